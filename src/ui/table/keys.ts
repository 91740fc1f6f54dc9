/**
 * The bucket table's keys as data: each binding names the keys, what they do (for the footer and
 * help) and the reducer action they trigger. Also decodes raw terminal input into keys.
 */

/** A decoded key press. `name` is a key name ("up", "enter", …) or the character typed. */
export interface Key {
  name: string;
  ctrl?: boolean;
}

export type Action =
  | "up"
  | "down"
  | "pageUp"
  | "pageDown"
  | "home"
  | "end"
  | "filter"
  | "sort"
  | "region"
  | "account"
  | "open"
  | "detail"
  | "console"
  | "back"
  | "quit"
  | "interrupt";

export interface Binding {
  /** Key names that trigger it (see decodeKeys); "ctrl+c" style for control keys. */
  keys: readonly string[];
  /** How the footer shows the keys. */
  label: string;
  description: string;
  action: Action;
  /** Shown in the footer (short help); all bindings are in the long help. */
  footer: boolean;
  /** Only in the combined table of several accounts ("All saved roles"). */
  only?: "multi";
}

export const BINDINGS: readonly Binding[] = [
  { keys: ["up", "k"], label: "↑/k", description: "up", action: "up", footer: false },
  { keys: ["down", "j"], label: "↓/j", description: "down", action: "down", footer: false },
  {
    keys: ["pageup"],
    label: "PgUp",
    description: "page up",
    action: "pageUp",
    footer: false,
  },
  {
    keys: ["pagedown", "space"],
    label: "PgDn",
    description: "page down",
    action: "pageDown",
    footer: false,
  },
  { keys: ["home", "g"], label: "Home", description: "first", action: "home", footer: false },
  { keys: ["end", "G"], label: "End", description: "last", action: "end", footer: false },
  { keys: ["/"], label: "/", description: "filter", action: "filter", footer: true },
  { keys: ["s"], label: "s", description: "sort", action: "sort", footer: true },
  { keys: ["r"], label: "r", description: "region", action: "region", footer: true },
  {
    keys: ["a"],
    label: "a",
    description: "account",
    action: "account",
    footer: true,
    only: "multi",
  },
  { keys: ["enter"], label: "⏎", description: "open", action: "open", footer: true },
  { keys: ["i"], label: "i", description: "details", action: "detail", footer: true },
  { keys: ["o"], label: "o", description: "console", action: "console", footer: true },
  { keys: ["b"], label: "b", description: "roles", action: "back", footer: true },
  { keys: ["q", "escape"], label: "q", description: "quit", action: "quit", footer: true },
  {
    keys: ["ctrl+c"],
    label: "^C",
    description: "interrupt",
    action: "interrupt",
    footer: false,
  },
];

/** The name a binding uses for a key: "ctrl+c", "up", "q", … */
export function keyId(key: Key): string {
  return key.ctrl ? `ctrl+${key.name}` : key.name;
}

/** The action bound to a key, if any (`multi`: the combined table of several accounts). */
export function actionFor(key: Key, multi = false): Action | undefined {
  const id = keyId(key);
  return BINDINGS.find((b) => b.keys.includes(id) && (multi || b.only !== "multi"))?.action;
}

/** The footer text: "↑↓ PgUp/PgDn move · / filter · s sort · …". */
export function footerItems(multi = false): [label: string, description: string][] {
  return [
    ["↑↓", "move"],
    ...BINDINGS.filter((b) => b.footer && (multi || b.only !== "multi")).map((b) =>
      [b.label, b.description] as [string, string]
    ),
  ];
}

const CSI_KEYS: Readonly<Record<string, string>> = {
  "A": "up",
  "B": "down",
  "C": "right",
  "D": "left",
  "H": "home",
  "F": "end",
  "1~": "home",
  "7~": "home",
  "4~": "end",
  "8~": "end",
  "5~": "pageup",
  "6~": "pagedown",
  "3~": "delete",
  "2~": "insert",
};

/**
 * Split raw terminal input into keys. Understands CSI (`ESC [`) and SS3 (`ESC O`) sequences for
 * arrows, Home/End, PgUp/PgDn; a lone ESC is the Escape key. Unknown sequences are dropped.
 */
export function decodeKeys(data: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  while (i < data.length) {
    const ch = data[i]!;
    if (ch === "\x1b") {
      const next = data[i + 1];
      if (next === "[" || next === "O") {
        // Parameters then a final byte in @..~
        let j = i + 2;
        while (j < data.length && !/[@-~]/.test(data[j]!)) j++;
        if (j >= data.length) {
          i = data.length; // incomplete sequence: drop it
          break;
        }
        const body = data.slice(i + 2, j + 1);
        // Strip modifiers like "1;5A" → "A", "5;2~" → "5~".
        const simple = body.replace(
          /^(\d*);\d+([~A-Z])$/,
          (_m, n: string, f: string) => f === "~" ? `${n}~` : f,
        );
        const name = CSI_KEYS[simple];
        if (name) keys.push({ name });
        i = j + 1;
        continue;
      }
      if (next === "\x1b") {
        keys.push({ name: "escape" });
        i += 1;
        continue;
      }
      keys.push({ name: "escape" });
      i += 1;
      continue;
    }
    const code = ch.charCodeAt(0);
    if (ch === "\r" || ch === "\n") keys.push({ name: "enter" });
    else if (ch === "\x7f" || ch === "\b") keys.push({ name: "backspace" });
    else if (ch === "\t") keys.push({ name: "tab" });
    else if (ch === " ") keys.push({ name: "space" });
    else if (code < 32) {
      keys.push({ name: String.fromCharCode(code + 96), ctrl: true });
    } else {
      // Keep surrogate pairs together.
      const cp = data.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      keys.push({ name: s });
      i += s.length;
      continue;
    }
    i += 1;
  }
  return keys;
}

/** The text a key types into the filter, or undefined for keys that do not type. */
export function typedText(key: Key): string | undefined {
  if (key.ctrl) return undefined;
  if (key.name === "space") return " ";
  return [...key.name].length === 1 ? key.name : undefined;
}
