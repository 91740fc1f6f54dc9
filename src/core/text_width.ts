/**
 * Display width of terminal text, the one importer of string-width: wide (CJK) characters and
 * emoji take two columns, ANSI escapes none. Only tables import this module: string-width takes
 * ~35 ms to load, the largest single piece of a JSON listing's start-up before it moved here.
 */
import stringWidth from "string-width";

/** One column per character, nothing to measure (bucket names, regions, dates, most labels). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Columns `text` takes on a terminal. */
export function displayWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

/** Pad with spaces on the right to `width` columns. */
export function padEnd(text: string, width: number): string {
  const w = displayWidth(text);
  return w >= width ? text : text + " ".repeat(width - w);
}

/** Pad with spaces on the left to `width` columns. */
export function padStart(text: string, width: number): string {
  const w = displayWidth(text);
  return w >= width ? text : " ".repeat(width - w) + text;
}

/** Cut to `width` columns, ending in "…" when cut; never splits a grapheme (emoji, accents). */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return "";
  if (PRINTABLE_ASCII.test(text)) return `${text.slice(0, width - 1)}…`;
  let out = "";
  let used = 0;
  for (const { segment } of new Intl.Segmenter().segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}
