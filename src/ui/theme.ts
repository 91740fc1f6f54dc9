/**
 * Colours for the interactive screens. Every style is a function of the text; with colour off
 * (NO_COLOR, --no-color, or not a terminal) they return the text unchanged, so no escape codes
 * reach the screen.
 */
import type { Env } from "../core/env.ts";

export interface Theme {
  color: boolean;
  bold(text: string): string;
  dim(text: string): string;
  inverse(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  /** Text in a role's colour (a console colour name or `#rrggbb`); plain when unknown. */
  role(text: string, color: string | undefined): string;
}

/**
 * The console's Switch Role colours. Kept here as a fallback so the UI needs nothing else to
 * paint a role; names are matched case-insensitively.
 */
const ROLE_COLORS: Readonly<Record<string, string>> = {
  red: "#f2b0a9",
  orange: "#fbbf93",
  yellow: "#fad791",
  green: "#b7ca9d",
  blue: "#99bce3",
};

/** `#rrggbb` (or a known colour name) → [r, g, b], or undefined. */
export function roleRgb(color: string | undefined): [number, number, number] | undefined {
  if (!color) return undefined;
  const hex = ROLE_COLORS[color.toLowerCase()] ?? color;
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return undefined;
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/**
 * Whether to use colour: an explicit flag wins, then NO_COLOR (any non-empty value) turns it off,
 * FORCE_COLOR turns it on, else colour when writing to a terminal.
 */
export function useColor(env: Env, isTerminal: boolean, flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== "0") return true;
  if (env.TERM === "dumb") return false;
  return isTerminal;
}

const wrap = (open: string, close: string) => (text: string) =>
  text === "" ? text : `\x1b[${open}m${text}\x1b[${close}m`;

export function makeTheme(color: boolean): Theme {
  if (!color) {
    const plain = (text: string) => text;
    return {
      color,
      bold: plain,
      dim: plain,
      inverse: plain,
      red: plain,
      green: plain,
      yellow: plain,
      cyan: plain,
      role: plain,
    };
  }
  return {
    color,
    bold: wrap("1", "22"),
    dim: wrap("2", "22"),
    inverse: wrap("7", "27"),
    red: wrap("31", "39"),
    green: wrap("32", "39"),
    yellow: wrap("33", "39"),
    cyan: wrap("36", "39"),
    role(text, roleColor) {
      const rgb = roleRgb(roleColor);
      return rgb
        ? wrap(`1;38;2;${rgb[0]};${rgb[1]};${rgb[2]}`, "22;39")(text)
        : wrap("1", "22")(text);
    },
  };
}

/** Remove ANSI escape sequences (for measuring and tests). */
export function stripAnsi(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
}
