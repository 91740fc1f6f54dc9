/**
 * Pieces shared by the full-screen views (bucket table, object browser): styled segments cut to a
 * width, padding and truncation by display width, the filter status, the key footer and fitting
 * the lines to the screen's height.
 */
import { displayWidth, truncate } from "../core/text_width.ts";
import type { Theme } from "./theme.ts";

/** A piece of a line with its style, truncated as a unit. */
export type Style = ((text: string) => string) | undefined;
export type Segment = [text: string, style?: Style];

/** Join segments, cutting at `width` columns; styles apply after cutting. */
export function line(segments: Segment[], width: number): string {
  let out = "";
  let used = 0;
  for (const [text, style] of segments) {
    if (used >= width) break;
    const room = width - used;
    const w = displayWidth(text);
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
  const widthOf = ([k, d]: readonly [string, string]) => displayWidth(k) + 1 + displayWidth(d);
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
