/** `xrole whoami` (work in progress). */
import { UsageError } from "../core/errors.ts";
import type { CliDeps } from "./deps.ts";

// deno-lint-ignore require-await
export async function whoamiCommand(opts: unknown, deps: CliDeps): Promise<number> {
  throw new UsageError('Command "whoami" is not available yet');
}
