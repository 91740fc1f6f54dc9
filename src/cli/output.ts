/**
 * The plain key/value tables the CLI prints besides bucket listings (core/bucket_table.ts): one
 * header row, columns aligned by display width. Pure (no Deno, no SDK), byte-stable.
 */
import { displayWidth, padEnd } from "../core/text_width.ts";

/** A plain aligned table with a header row; columns separated by two spaces. */
export function formatTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? "")))
  );
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => i === cells.length - 1 ? c : padEnd(c, widths[i] ?? 0)).join("  ")
      .trimEnd();
  return [line(head), ...rows.map(line)].join("\n") + "\n";
}
