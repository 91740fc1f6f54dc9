/** `xrole console` (work in progress). */
import { UsageError } from "../core/errors.ts";
import type { CliDeps } from "./deps.ts";

// deno-lint-ignore require-await
export async function consoleCommand(opts: unknown, deps: CliDeps): Promise<number> {
  throw new UsageError('Command "console" is not available yet');
}
