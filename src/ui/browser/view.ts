/**
 * Renders the object browser to exactly `height` lines of at most `width` columns: the path in the
 * header, folders first (marked "/"), objects with size in human units and last-modified (UTC), a
 * reason in place when the folder cannot be listed. Only the rows on screen are formatted.
 */
import stringWidth from "string-width";
import { makeTheme, type Theme } from "../theme.ts";
import { formatModified, humanSize, relativeName, s3Url } from "./format.ts";
import { BROWSER_KEYS, type BrowserEntry, browserListHeight, type BrowserState } from "./state.ts";

type Style = ((text: string) => string) | undefined;
type Segment = [text: string, style?: Style];

const SIZE_WIDTH = 10;
const MODIFIED_WIDTH = 16;

export interface BrowserViewOptions {
  width: number;
  height: number;
  color: boolean;
  /** One line explaining an error code to people (aws/explain.ts), when there is one. */
  explain?: (code: string, message: string) => string | undefined;
}

export function browserView(state: BrowserState, options: BrowserViewOptions): string[] {
  const width = Math.max(10, options.width);
  const height = Math.max(1, options.height);
  const t = makeTheme(options.color);
  const lines: string[] = [];
  lines.push(line(headerSegments(state, t), width));
  lines.push(line(statusSegments(state, t), width));
  const showModified = width >= 60;
  const nameWidth = Math.max(
    4,
    width - 2 - 1 - SIZE_WIDTH - (showModified ? 2 + MODIFIED_WIDTH : 0),
  );
  lines.push(line(
    [[
      "  " + pad("NAME", nameWidth) + " " + padStart("SIZE", SIZE_WIDTH) +
      (showModified ? "  LAST MODIFIED (UTC)" : ""),
      t.dim,
    ]],
    width,
  ));

  const rowsShown = browserListHeight(state);
  const body: string[] = [];
  if (state.error) {
    body.push(line([["  "], [state.error.code, t.red], [`: ${state.error.message}`]], width));
    const hint = options.explain?.(state.error.code, state.error.message);
    if (hint) body.push(line([[`  ${hint}`, t.dim]], width));
  } else if (state.shown.length === 0) {
    body.push(line([[emptyMessage(state), t.dim]], width));
  }
  if (!state.error) {
    const end = Math.min(state.shown.length, state.offset + rowsShown);
    for (let i = state.offset; i < end; i++) {
      const entry = state.shown[i]!;
      body.push(entryLine(state, entry, i === state.cursor, nameWidth, showModified, width, t));
    }
  }
  while (body.length < rowsShown) body.push("");
  lines.push(...body.slice(0, rowsShown));
  lines.push(line(footerSegments(width, state.editing, t), width));

  if (lines.length > height) {
    const footer = lines[lines.length - 1]!;
    const kept = lines.slice(0, Math.max(0, height - 1));
    return height === 1 ? [lines[0]!] : [...kept, footer];
  }
  while (lines.length < height) lines.push("");
  return lines;
}

function emptyMessage(state: BrowserState): string {
  if (state.loading && state.pages === 0) return "  listing…";
  if (state.filter) return `  nothing here whose name contains "${state.filter}"`;
  return state.prefix ? "  this folder is empty" : "  this bucket is empty";
}

function headerSegments(state: BrowserState, t: Theme): Segment[] {
  const { target } = state;
  const segs: Segment[] = [["xrole", t.bold], ["  "], [s3Url(target.bucket, state.prefix), t.bold]];
  if (target.region) segs.push(["  region "], [target.region]);
  if (target.account) segs.push(["  account "], [target.account]);
  if (target.role) segs.push(["  role "], [target.role]);
  return segs;
}

function statusSegments(state: BrowserState, t: Theme): Segment[] {
  const segs: Segment[] = [];
  if (state.editing) {
    segs.push(["filter: ", t.cyan], [`/${state.filter}`], ["▏", t.cyan]);
  } else if (state.filter) {
    segs.push(["filter: "], [`/${state.filter}`, t.cyan]);
  } else {
    segs.push(["filter: none", t.dim]);
  }
  const f = state.folders.length;
  const o = state.objects.length;
  segs.push([
    `  ${f} folder${f === 1 ? "" : "s"}, ${o} object${o === 1 ? "" : "s"}${
      state.complete ? "" : "+"
    }`,
  ]);
  if (state.loading) segs.push(["  loading…", t.yellow]);
  if (state.shown.length > 0) {
    segs.push(["  "], [`${state.cursor + 1}/${state.shown.length}`, t.dim]);
  }
  return segs;
}

function footerSegments(width: number, editing: boolean, t: Theme): Segment[] {
  const items: [string, string][] = editing
    ? [["type", "to filter"], ["⏎", "keep"], ["Esc", "clear"], ["↑↓", "move"]]
    : BROWSER_KEYS.map(([k, d]) => [k, d]);
  const sep = 2;
  const widthOf = ([k, d]: [string, string]) => stringWidth(k) + 1 + stringWidth(d);
  let total = items.reduce((n, it) => n + widthOf(it), 0) + sep * (items.length - 1);
  while (items.length > 1 && total > width) total -= widthOf(items.shift()!) + sep;
  const segs: Segment[] = [];
  items.forEach(([k, d], i) => {
    if (i > 0) segs.push([" ".repeat(sep)]);
    segs.push([k, t.bold], [` ${d}`, t.dim]);
  });
  return segs;
}

function entryLine(
  state: BrowserState,
  entry: BrowserEntry,
  selected: boolean,
  nameWidth: number,
  showModified: boolean,
  width: number,
  t: Theme,
): string {
  const name = relativeName(entry.key, state.prefix).replace(/[\t\r\n]/g, " ");
  const folder = entry.kind === "folder";
  const segs: Segment[] = [
    [selected ? "› " : "  ", selected ? t.bold : undefined],
    [pad(truncate(name, nameWidth), nameWidth), folder ? t.cyan : undefined],
    [" "],
    [
      padStart(folder ? "folder" : humanSize(entry.size ?? 0), SIZE_WIDTH),
      folder ? t.dim : undefined,
    ],
  ];
  if (showModified) segs.push(["  " + formatModified(entry.lastModified)]);
  const text = line(segs, width);
  return selected ? t.inverse(text) : text;
}

function pad(text: string, width: number): string {
  const w = stringWidth(text);
  return w >= width ? text : text + " ".repeat(width - w);
}

function padStart(text: string, width: number): string {
  const w = stringWidth(text);
  return w >= width ? text : " ".repeat(width - w) + text;
}

function truncate(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  if (width <= 0) return "";
  let out = "";
  let w = 0;
  for (const ch of text) {
    const cw = stringWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + "…";
}

function line(segments: Segment[], width: number): string {
  let out = "";
  let used = 0;
  for (const [text, style] of segments) {
    if (used >= width) break;
    const room = width - used;
    const w = stringWidth(text);
    const piece = w <= room ? text : truncate(text, room);
    used += Math.min(w, room);
    out += style ? style(piece) : piece;
  }
  return out;
}
