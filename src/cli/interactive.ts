/** `xrole` with no command on a terminal: the interactive flow (src/ui/app.ts, loaded lazily). */
import { UsageError } from "../core/errors.ts";
import type { CliDeps } from "./deps.ts";

export interface InteractiveInput {
  profile?: string;
  role?: string;
}

export function runInteractiveCommand(_input: InteractiveInput, _deps: CliDeps): Promise<number> {
  return Promise.reject(
    new UsageError("The interactive flow is not available yet: pass a command"),
  );
}
