/**
 * Text the CLI prints besides bucket listings (core/format.ts): plain key/value tables and the
 * credential variables `exec` sets. Pure (no Deno, no SDK), byte-stable for the same input.
 */
import stringWidth from "string-width";
import { credentialVars } from "../core/format.ts";
import type { Credentials } from "../core/model.ts";

/** A plain aligned table with a header row; columns separated by two spaces. */
export function formatTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) =>
    Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? "")))
  );
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => i === cells.length - 1 ? c : pad(c, widths[i] ?? 0)).join("  ")
      .trimEnd();
  return [line(head), ...rows.map(line)].join("\n") + "\n";
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - stringWidth(text)));
}

/** The environment variables a child process needs for these credentials. */
export function credentialEnv(creds: Credentials, region: string): [string, string][] {
  // AWS_DEFAULT_REGION too: older tools read only that one.
  return [...credentialVars(creds, region), ["AWS_DEFAULT_REGION", region]];
}
