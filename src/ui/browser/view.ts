/**
 * Renders the object browser to exactly `height` lines of at most `width` columns: the path in the
 * header, folders first (marked "/"), objects with size in human units and last-modified (UTC), a
 * reason in place when the folder cannot be listed. Only the rows on screen are formatted.
 */
import { padEnd, padStart, truncate } from "../../core/text_width.ts";
import { makeTheme, type Theme } from "../theme.ts";
import {
  EDITING_KEYS,
  filterSegments,
  fitHeight,
  keySegments,
  line,
  type Segment,
} from "../view_common.ts";
import { formatModified, humanSize, relativeName, s3Url } from "./format.ts";
import { BROWSER_KEYS, type BrowserEntry, browserListHeight, type BrowserState } from "./state.ts";

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
      "  " + padEnd("NAME", nameWidth) + " " + padStart("SIZE", SIZE_WIDTH) +
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
  lines.push(line(keySegments(state.editing ? EDITING_KEYS : BROWSER_KEYS, width, t), width));
  return fitHeight(lines, height);
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
  const segs = filterSegments(state.editing, state.filter, t);
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
    [padEnd(truncate(name, nameWidth), nameWidth), folder ? t.cyan : undefined],
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
