/**
 * Thin wrappers over the prompt library: the only importer of `@inquirer/prompts`, so the
 * library can be swapped without touching the flow. Prompts draw on stderr (stdout stays data),
 * take injectable streams for tests, and turn Ctrl-C into InterruptedError.
 *
 * Never call these when stdin is not a terminal: the library waits forever there under Deno.
 */
import { confirm as inqConfirm, input, password, search } from "@inquirer/prompts";
import process from "node:process";
import type { Readable, Writable } from "node:stream";
import { InterruptedError } from "../core/errors.ts";

export interface PromptContext {
  /** Defaults to the process' stdin. */
  input?: Readable;
  /** Defaults to the process' stderr. */
  output?: Writable;
  /** Cancels the prompt (it then throws an AbortError). */
  signal?: AbortSignal;
}

export interface Choice<T> {
  /** What the list shows. */
  name: string;
  value: T;
  /** Shown under the list for the highlighted entry. */
  description?: string;
  /** What the answered prompt's summary line shows (default: `name`). */
  short?: string;
  /** Shown but not selectable; a string says why. */
  disabled?: boolean | string;
}

/**
 * Checks a typed value: throw an Error (its message is shown) to reject it; whatever it returns
 * is ignored, so validators from core/validate.ts, which return the normalised value, can be
 * passed as they are.
 */
export type Validator = (value: string) => unknown;

export interface Prompts {
  /** A list you can type into to narrow it; returns the chosen value. */
  chooseOne<T>(
    message: string,
    choices: readonly Choice<T>[],
    options?: { default?: T; pageSize?: number },
  ): Promise<T>;
  /** A line of text; `validate` may reject it with a message. */
  ask(message: string, options?: { default?: string; validate?: Validator }): Promise<string>;
  /** Text that is never echoed (masked with `*`). */
  askSecret(message: string, options?: { validate?: Validator }): Promise<string>;
  confirm(message: string, options?: { default?: boolean }): Promise<boolean>;
}

/** The message a validator throws for a value, or true when it accepts it. */
export function validationMessage(validate: Validator | undefined, value: string): true | string {
  if (!validate) return true;
  try {
    validate(value);
    return true;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Case-insensitive match of every word of `term` against the name and description. */
export function matchesTerm(choice: Choice<unknown>, term: string | undefined): boolean {
  if (!term) return true;
  const hay = `${choice.name} ${choice.description ?? ""}`.toLowerCase();
  return term.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}

/** Ctrl-C (ExitPromptError) becomes InterruptedError; everything else passes through. */
async function guard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof Error && err.name === "ExitPromptError") throw new InterruptedError();
    throw err;
  }
}

export function makePrompts(context: PromptContext = {}): Prompts {
  const ctx = {
    input: context.input ?? process.stdin,
    output: context.output ?? process.stderr,
    ...(context.signal ? { signal: context.signal } : {}),
  };
  return {
    chooseOne<T>(
      message: string,
      choices: readonly Choice<T>[],
      options: { default?: T; pageSize?: number } = {},
    ): Promise<T> {
      return guard(() =>
        search<T>({
          message,
          pageSize: options.pageSize ?? 12,
          ...(options.default !== undefined ? { default: options.default } : {}),
          source: (term) =>
            choices.filter((c) => matchesTerm(c, term)).map((c) => ({
              name: c.name,
              value: c.value,
              ...(c.description !== undefined ? { description: c.description } : {}),
              ...(c.short !== undefined ? { short: c.short } : {}),
              ...(c.disabled !== undefined ? { disabled: c.disabled } : {}),
            })),
        }, ctx)
      );
    },
    ask(message, options = {}) {
      return guard(() =>
        input({
          message,
          ...(options.default !== undefined ? { default: options.default } : {}),
          validate: (value) => validationMessage(options.validate, value),
        }, ctx)
      );
    },
    askSecret(message, options = {}) {
      return guard(() =>
        password({
          message,
          mask: "*",
          validate: (value) => validationMessage(options.validate, value),
        }, ctx)
      );
    },
    confirm(message, options = {}) {
      return guard(() => inqConfirm({ message, default: options.default ?? false }, ctx));
    },
  };
}
