/**
 * `xrole demo [command…]`: start the simulator with the demo world and temporary AWS files
 * (never the user's ~/.aws or xrole config), then run xrole again in-process against them: the
 * interactive flow on a terminal, `buckets --role dev` without one, or the command given.
 */
import { quote } from "../core/arn.ts";
import type { Env } from "../core/env.ts";
import { parseIntFlag } from "./buckets.ts";
import type { CliDeps } from "./deps.ts";

/** Variables of the real environment that would steer the demo away from its own files. */
export const DEMO_CLEARED_VARS = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_CREDENTIAL_EXPIRATION",
  "AWS_DEFAULT_PROFILE",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_ENDPOINT_URL_STS",
  "AWS_ENDPOINT_URL_S3",
  "AWS_ROLE_ARN",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
] as const;

/** The Env the demo runs xrole with: the real one, minus AWS settings, plus the demo's files. */
export function demoEnv(base: Env, demo: Env): Env {
  const env: Record<string, string | undefined> = { ...base };
  for (const name of DEMO_CLEARED_VARS) delete env[name];
  return { ...env, ...demo };
}

/** What the demo runs: the command given, else interactive on a terminal, else a listing. */
export function demoArgs(command: string[], deps: CliDeps): string[] {
  const globals: string[] = [];
  if (deps.globals.verbose) globals.push("--verbose");
  if (!deps.globals.color) globals.push("--no-color");
  if (command.length > 0) return [...globals, ...command];
  if (deps.io.stdinIsTerminal && deps.io.stdoutIsTerminal) return globals;
  return [...globals, "buckets", "--role", "dev", "--format", "table"];
}

export async function demoCommand(
  command: string[],
  deps: CliDeps,
  options: { latency?: string } = {},
): Promise<number> {
  const latencyMs = options.latency === undefined
    ? undefined
    : parseIntFlag("--latency", options.latency, 0, 60_000);
  const { startDemo } = await import("../sim/demo.ts");
  const demo = await startDemo(latencyMs === undefined ? {} : { latencyMs });
  try {
    const args = demoArgs(command, deps);
    deps.io.stderr(
      `xrole demo: simulated AWS on ${demo.sim.url}, source profile "demo", roles dev, test ` +
        `and prod (prod needs MFA), temporary files in ${quote(demo.dir)}\n`,
    );
    if (command.length === 0 && !(deps.io.stdinIsTerminal && deps.io.stdoutIsTerminal)) {
      deps.io.stderr(`xrole demo: no terminal, running "xrole ${args.join(" ")}"\n`);
    }
    const io = { ...deps.io, env: demoEnv(deps.io.env, demo.env) };
    return await deps.main(args, io);
  } finally {
    await demo.close();
  }
}
