/** `xrole demo` (work in progress). */
import { UsageError } from "../core/errors.ts";
import type { CliDeps } from "./deps.ts";

// deno-lint-ignore require-await
export async function demoCommand(command: string[], deps: CliDeps): Promise<number> {
  throw new UsageError('Command "demo" is not available yet');
}
