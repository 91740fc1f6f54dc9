/**
 * A bucket listing as a table for people: columns measured by display width, the name column
 * shortened to fit the terminal. Loaded only when the table format is asked for (it imports the
 * text width library; see text_width.ts).
 */
import { style } from "./colors.ts";
import { formatDate, hasExtra, type OutputRow, regionCell } from "./format.ts";
import { displayWidth, padEnd, truncate } from "./text_width.ts";

export interface FormatOptions {
  /** ANSI colour in the table (callers decide: NO_COLOR, --no-color, not a terminal). */
  color: boolean;
  /** Terminal width: the table's name column is shortened to fit. null/absent: no limit. */
  columns?: number | null;
  /** The clock (reserved for relative dates; listings stay byte-stable without it). */
  now?: Date;
}

/** The listing as aligned columns, the error code (red) or "…" (dim) in the region column. */
export function formatBucketTable(rows: readonly OutputRow[], options: FormatOptions): string {
  const color = options.color;
  const cells: string[][] = [];
  const headers: string[] = [];
  const withAccount = hasExtra(rows, "account");
  const withRole = hasExtra(rows, "role");
  if (withAccount) headers.push("ACCOUNT");
  if (withRole) headers.push("ROLE");
  headers.push("NAME", "REGION", "CREATED");
  const nameIndex = headers.indexOf("NAME");
  const regionIndex = headers.indexOf("REGION");
  for (const r of rows) {
    const line: string[] = [];
    if (withAccount) line.push(r.account ?? "");
    if (withRole) line.push(r.role ?? "");
    line.push(r.name.replace(/[\t\r\n]/g, " "), regionCell(r), formatDate(r.created));
    cells.push(line);
  }
  const widths = headers.map((h, i) =>
    Math.max(displayWidth(h), ...cells.map((line) => displayWidth(line[i] ?? "")))
  );
  const gap = 2;
  if (options.columns) {
    const total = widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
    const over = total - options.columns;
    const nameWidth = widths[nameIndex] ?? 0;
    if (over > 0) widths[nameIndex] = Math.max(8, nameWidth - over);
  }
  const render = (line: string[], isHeader: boolean, row?: OutputRow) =>
    line.map((cell, i) => {
      const width = widths[i] ?? 0;
      const text = truncate(cell, width);
      const last = i === line.length - 1;
      const padded = last ? text : padEnd(text, width);
      if (isHeader) return style.bold(padded, color);
      if (i === regionIndex && row?.state === "error") return style.red(padded, color);
      if (i === regionIndex && row?.state === "pending") return style.dim(padded, color);
      return padded;
    }).join(" ".repeat(gap)).trimEnd();
  const out = [render(headers, true)];
  rows.forEach((row, i) => out.push(render(cells[i] ?? [], false, row)));
  return out.join("\n") + "\n";
}
