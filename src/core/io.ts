/**
 * What a command may touch of the outside world, injected so that tests, the demo and the real
 * terminal all run the same code. main.ts builds the real one; tests build fakes.
 */
import type { Env } from "./env.ts";

export interface Io {
  env: Env;
  /** Data (tables, JSON, credentials when asked). */
  stdout(text: string): void;
  /** People: prompts, progress, warnings, errors. */
  stderr(text: string): void;
  stdinIsTerminal: boolean;
  stdoutIsTerminal: boolean;
  /** Terminal width, or null when there is no terminal. */
  columns(): number | null;
  /** The clock (credential time left, cache expiry). */
  now(): Date;
}

/** Options that every command shares (global flags). */
export interface GlobalOptions {
  endpointUrl?: string;
  verbose?: boolean;
  color?: boolean;
}
