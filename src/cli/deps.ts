/**
 * What every command receives besides its validated input. Light on purpose: importing this (and
 * the command modules' flag parsing) loads neither the AWS SDK nor the prompt library.
 */
import type { Io } from "../core/io.ts";

/** The global flags in effect (`--verbose`, `--no-color` / NO_COLOR, `--endpoint-url`). */
export interface Globals {
  verbose: boolean;
  color: boolean;
  endpointUrl?: string;
}

export interface CliDeps {
  io: Io;
  globals: Globals;
  /** Aborted on Ctrl-C: commands stop their requests and throw InterruptedError. */
  signal: AbortSignal;
  /** Runs xrole again in-process (used by `demo`). */
  main: (args: string[], io: Io) => Promise<number>;
  /** Asks for an MFA code (masked). Tests inject one; the default uses the terminal. */
  askMfaCode?: (roleLabel: string, serial: string) => Promise<string>;
}

/** Writes a line to stderr when --verbose. */
export function verboseLog(deps: CliDeps): ((line: string) => void) | undefined {
  return deps.globals.verbose ? (line) => deps.io.stderr(`xrole: ${line}\n`) : undefined;
}
