/**
 * xrole entry point: `main(args, io)` runs one command against an injected Io and returns its exit
 * code; under `import.meta.main` it builds the real Io from Deno and exits. The only module that
 * exits the process.
 */
import denoJson from "../deno.json" with { type: "json" };
import { type Env, ENV_NAMES } from "./core/env.ts";
import { BrokenPipeError, exitCodeOf, formatError, InterruptedError } from "./core/errors.ts";
import type { Io } from "./core/io.ts";
import { runProgram } from "./cli/program.ts";

/** The version `--version` prints (from deno.json, read statically so bundles/binaries carry it). */
export const VERSION: string = denoJson.version;

export interface MainOptions {
  /** Aborted on Ctrl-C (SIGINT): the command stops and main returns 130. */
  signal?: AbortSignal;
}

/**
 * Runs xrole with `args` (without the program name). Never throws and never exits: errors become
 * one line on stderr (`xrole: …`) and an exit code (see ExitCode in core/errors.ts); a closed
 * stdout (BrokenPipeError) only becomes its exit code, 141.
 */
export async function main(args: string[], io: Io, options: MainOptions = {}): Promise<number> {
  const verbose = args.includes("--verbose");
  const signal = options.signal ?? new AbortController().signal;
  try {
    if (signal.aborted) throw new InterruptedError();
    const run = runProgram(args, {
      io,
      version: VERSION,
      signal,
      main: (again, againIo) => main(again, againIo, options),
    });
    return await raceAbort(run, signal);
  } catch (err) {
    if (!(err instanceof BrokenPipeError)) io.stderr(`xrole: ${formatError(err, { verbose })}\n`);
    return exitCodeOf(err);
  }
}

/** Resolves like `work`, or rejects with InterruptedError as soon as `signal` aborts. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new InterruptedError());
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Reads exactly ENV_NAMES; a variable we may not read (narrow --allow-env) counts as unset. */
export function readEnv(): Env {
  const env: Record<string, string | undefined> = {};
  for (const name of ENV_NAMES) {
    try {
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    } catch {
      // not permitted: unset
    }
  }
  return env;
}

function writeAll(file: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = new TextEncoder().encode(text);
  while (bytes.length > 0) {
    const n = file.writeSync(bytes);
    bytes = bytes.subarray(n);
  }
}

/**
 * Writes to stdout; when its reader has gone (`| head -1`) throws BrokenPipeError, which stops the
 * command and exits 141 without a word, like a Unix tool killed by SIGPIPE.
 */
function writeStdout(text: string): void {
  try {
    writeAll(Deno.stdout, text);
  } catch (err) {
    if (err instanceof Deno.errors.BrokenPipe) throw new BrokenPipeError({ cause: err });
    throw err;
  }
}

/** Writes to stderr; a closed stderr is ignored: there is nowhere left to report anything. */
function writeStderr(text: string): void {
  try {
    writeAll(Deno.stderr, text);
  } catch (err) {
    if (!(err instanceof Deno.errors.BrokenPipe)) throw err;
  }
}

/** The Io of the real process. */
export function realIo(): Io {
  return {
    env: readEnv(),
    stdout: writeStdout,
    stderr: writeStderr,
    stdinIsTerminal: Deno.stdin.isTerminal(),
    stdoutIsTerminal: Deno.stdout.isTerminal(),
    columns: () => {
      try {
        return Deno.consoleSize().columns;
      } catch {
        return null;
      }
    },
    now: () => new Date(),
  };
}

if (import.meta.main) {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  try {
    Deno.addSignalListener("SIGINT", onSigint);
  } catch {
    // signals unsupported here (e.g. some Windows consoles): Ctrl-C ends the process as usual
  }
  let code: number;
  try {
    code = await main(Deno.args, realIo(), { signal: controller.signal });
  } catch {
    code = 1;
  }
  Deno.exit(code);
}
