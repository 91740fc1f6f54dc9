/** `xrole exec` (work in progress). */
import { UsageError } from "../core/errors.ts";
import type { CliDeps } from "./deps.ts";

// deno-lint-ignore require-await
export async function execCommand(
  command: string[],
  opts: unknown,
  deps: CliDeps,
): Promise<number> {
  throw new UsageError('Command "exec" is not available yet');
}
