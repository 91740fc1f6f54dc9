/** `xrole assume` (work in progress). */
import { UsageError } from "../core/errors.ts";
import type { CliDeps } from "./deps.ts";

// deno-lint-ignore require-await
export async function assumeCommand(opts: unknown, deps: CliDeps): Promise<number> {
  throw new UsageError('Command "assume" is not available yet');
}
