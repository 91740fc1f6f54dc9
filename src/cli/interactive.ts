/** `xrole` with no command on a terminal: the interactive flow (src/ui/app.ts, loaded lazily). */
import type { CliDeps } from "./deps.ts";

export interface InteractiveInput {
  profile?: string;
  role?: string;
}

export async function runInteractiveCommand(
  input: InteractiveInput,
  deps: CliDeps,
): Promise<number> {
  const { runInteractive } = await import("../ui/app.ts");
  const { globals } = deps;
  return await runInteractive(deps.io, {
    ...input,
    ...(globals.endpointUrl ? { endpointUrl: globals.endpointUrl } : {}),
    verbose: globals.verbose,
    ...(globals.color ? {} : { color: false }),
  });
}
