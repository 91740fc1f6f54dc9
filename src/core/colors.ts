/**
 * The AWS console's Switch Role colours, and a small ANSI helper for the TUI. Pure: imports only
 * core/. Whether colour is on (NO_COLOR, --no-color, not a terminal) is decided by callers.
 */
import { UsageError } from "./errors.ts";
import { quote } from "./arn.ts";

export interface RoleColor {
  /** Lower-case name: "red", "orange", "yellow", "green", "blue". */
  name: string;
  /** Six upper-case hex digits without "#", as the console's `color=` parameter wants. */
  hex: string;
}

/** The colours the console's Switch Role page offers, in its order. */
export const ROLE_COLORS: readonly RoleColor[] = [
  { name: "red", hex: "F2B0A9" },
  { name: "orange", hex: "FBBF93" },
  { name: "yellow", hex: "FAD791" },
  { name: "green", hex: "B7CA9D" },
  { name: "blue", hex: "99BCE3" },
];

/**
 * A colour by name ("Red", "red") or hex ("F2B0A9", "#f2b0a9"): one of the console's colours.
 * Throws UsageError otherwise.
 */
export function resolveColor(nameOrHex: string): RoleColor {
  const text = nameOrHex.trim();
  const lower = text.toLowerCase().replace(/^#/, "");
  const found = ROLE_COLORS.find((c) => c.name === lower || c.hex.toLowerCase() === lower);
  if (!found) {
    const names = ROLE_COLORS.map((c) => c.name).join(", ");
    throw new UsageError(`Invalid colour ${quote(text)}: expected one of ${names}`);
  }
  return found;
}

/** Like resolveColor but undefined for an unknown or absent colour (for display only). */
export function tryResolveColor(nameOrHex: string | undefined): RoleColor | undefined {
  if (nameOrHex === undefined) return undefined;
  try {
    return resolveColor(nameOrHex);
  } catch {
    return undefined;
  }
}

function rgbOf(hex: string): [number, number, number] {
  const n = parseInt(hex, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Nearest xterm-256 colour index for an RGB triple (6×6×6 cube). */
export function ansi256Of(hex: string): number {
  const [r, g, b] = rgbOf(hex);
  const step = (v: number) => (v < 48 ? 0 : v < 115 ? 1 : Math.floor((v - 35) / 40));
  return 16 + 36 * step(r) + 6 * step(g) + step(b);
}

export interface PaintOptions {
  /** False: return the text unchanged (NO_COLOR, --no-color, not a terminal). */
  color: boolean;
  /** Use 24-bit colour (default true); false uses the xterm-256 palette. */
  trueColor?: boolean;
  /** Paint the background instead of the foreground (a "badge"). */
  background?: boolean;
}

/** Wrap text in the ANSI sequence for a role colour (name or hex); unchanged when color is off. */
export function paint(text: string, nameOrHex: string | undefined, options: PaintOptions): string {
  if (!options.color) return text;
  const c = tryResolveColor(nameOrHex);
  if (!c) return text;
  const bg = options.background === true;
  let open: string;
  if (options.trueColor === false) {
    open = `\x1b[${bg ? 48 : 38};5;${ansi256Of(c.hex)}m`;
  } else {
    const [r, g, b] = rgbOf(c.hex);
    open = `\x1b[${bg ? 48 : 38};2;${r};${g};${b}m`;
  }
  // The console's colours are pastel: a badge gets black text to stay readable.
  const fg = bg ? "\x1b[30m" : "";
  return `${open}${fg}${text}\x1b[0m`;
}

/** Basic ANSI styles for the TUI and tables; unchanged when color is off. */
export const style = {
  bold: (text: string, color: boolean) => color ? `\x1b[1m${text}\x1b[22m` : text,
  dim: (text: string, color: boolean) => color ? `\x1b[2m${text}\x1b[22m` : text,
  red: (text: string, color: boolean) => color ? `\x1b[31m${text}\x1b[39m` : text,
  green: (text: string, color: boolean) => color ? `\x1b[32m${text}\x1b[39m` : text,
  yellow: (text: string, color: boolean) => color ? `\x1b[33m${text}\x1b[39m` : text,
  cyan: (text: string, color: boolean) => color ? `\x1b[36m${text}\x1b[39m` : text,
};

/** Remove ANSI escape sequences (for width measurement and tests). */
export function stripAnsi(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}
