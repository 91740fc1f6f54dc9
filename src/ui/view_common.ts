/**
 * Pieces shared by the full-screen views (bucket table, object browser): styled segments cut to a
 * width, padding and truncation by display width, the filter status, the key footer and fitting
 * the lines to the screen's height.
 */
import stringWidth from "string-width";
import type { Theme } from "./theme.ts";

/** A piece of a line with its style, truncated as a unit. */
export type Style = ((text: string) => string) | undefined;
export type Segment = [text: string, style?: Style];

/** Pad text with spaces on the right to `width` columns. */
export function pad(text: string, width: number): string {
  const w = stringWidth(text);
  return w >= width ? text : text + " ".repeat(width - w);
}

/** Pad text with spaces on the left to `width` columns. */
export function padStart(text: string, width: number): string {
  const w = stringWidth(text);
  return w >= width ? text : " ".repeat(width - w) + text;
}

/** Cut plain text to `width` columns, ending in `…` when cut. */
export function truncate(text: string, width: number): string {
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

/** Join segments, cutting at `width` columns; styles apply after cutting. */
export function line(segments: Segment[], width: number): string {
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

/** The name filter in the status line: being typed (with a caret), set, or none. */
export function filterSegments(editing: boolean, filter: string, t: Theme): Segment[] {
  if (editing) return [["filter: ", t.cyan], [`/${filter}`], ["▏", t.cyan]];
  if (filter) return [["filter: "], [`/${filter}`, t.cyan]];
  return [["filter: none", t.dim]];
}

/** The footer's keys while a filter is being typed. */
export const EDITING_KEYS: readonly [key: string, description: string][] = [
  ["type", "to filter"],
  ["⏎", "keep"],
  ["Esc", "clear"],
  ["↑↓", "move"],
];

/**
 * Key hints ("k description", two spaces apart) that fit in `width` columns, dropping from the
 * front (movement keys) so the last ("quit") always shows.
 */
export function keySegments(
  keys: readonly (readonly [string, string])[],
  width: number,
  t: Theme,
): Segment[] {
  const items = [...keys];
  const sep = 2;
  const widthOf = ([k, d]: readonly [string, string]) => stringWidth(k) + 1 + stringWidth(d);
  let total = items.reduce((n, it) => n + widthOf(it), 0) + sep * (items.length - 1);
  while (items.length > 1 && total > width) total -= widthOf(items.shift()!) + sep;
  const segs: Segment[] = [];
  items.forEach(([k, d], i) => {
    if (i > 0) segs.push([" ".repeat(sep)]);
    segs.push([k, t.bold], [` ${d}`, t.dim]);
  });
  return segs;
}

/**
 * Exactly `height` lines: blank lines added below, or on very small terminals the header and the
 * footer (the last line) kept and the rows between cut.
 */
export function fitHeight(lines: string[], height: number): string[] {
  if (lines.length > height) {
    const footer = lines[lines.length - 1]!;
    const kept = lines.slice(0, Math.max(0, height - 1));
    return height === 1 ? [lines[0]!] : [...kept, footer];
  }
  while (lines.length < height) lines.push("");
  return lines;
}
