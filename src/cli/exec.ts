/**
 * `xrole exec --role X -- cmd args…`: run a command with the role's credentials in its
 * environment (AWS_PROFILE removed so the child uses them), stdio inherited, its exit code passed
 * through. Prints no secret.
 */
import { quote } from "../core/arn.ts";
import { UsageError } from "../core/errors.ts";
import type { Env } from "../core/env.ts";
import type { Credentials } from "../core/model.ts";
import type { CliDeps } from "./deps.ts";
import { credentialEnv } from "../core/format.ts";
import { loadRoleList } from "./role_list.ts";
import { resolveTarget, type TargetFlags, type TargetInput } from "./target.ts";
import { openTargetEarly } from "./early_identity.ts";

export type ExecFlags = TargetFlags;

export interface ExecInput {
  target: TargetInput;
  command: string;
  args: string[];
}

/** Variables removed from the child's environment: they would override the role's credentials. */
export const EXEC_REMOVED_VARS = [
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "AWS_CREDENTIAL_EXPIRATION",
] as const;

export async function execInput(
  command: string[],
  flags: ExecFlags,
  deps: CliDeps,
): Promise<ExecInput> {
  const [first, ...args] = command[0] === "--" ? command.slice(1) : command;
  if (!first) {
    throw new UsageError(
      'No command to run: pass it after "--", e.g. "xrole exec --role dev -- aws s3 ls"',
    );
  }
  const target = await resolveTarget(flags, {
    requireRole: true,
    command: "exec",
    roles: () => loadRoleList(deps.io.env),
  });
  return { target, command: first, args };
}

/**
 * The child's environment: `base` (the parent's) overlaid with xrole's Env (so the demo's files
 * apply), minus the profile variables, plus the credentials.
 */
export function childEnv(
  base: Record<string, string>,
  env: Env,
  creds: Credentials,
  region: string,
): Record<string, string> {
  const out: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  for (const name of EXEC_REMOVED_VARS) delete out[name];
  for (const [k, v] of credentialEnv(creds, region)) out[k] = v;
  return out;
}

/** The parent's whole environment when readable (full --allow-env), else undefined. */
function parentEnv(): Record<string, string> | undefined {
  try {
    return Deno.env.toObject();
  } catch {
    return undefined;
  }
}

/**
 * The program and arguments to spawn. When the parent's environment could not be read whole
 * (narrow --allow-env), the child inherits it, so profile variables that would override the
 * role's credentials are removed with `env -u` (POSIX) instead.
 */
export function spawnLine(
  input: ExecInput,
  inheritsParentEnv: boolean,
  env: Env,
  os: typeof Deno.build.os,
): [string, string[]] {
  const stale = inheritsParentEnv
    ? EXEC_REMOVED_VARS.filter((name) => env[name] !== undefined && !CREDENTIAL_VARS.has(name))
    : [];
  if (stale.length === 0 || os === "windows") return [input.command, input.args];
  return ["env", [...stale.flatMap((name) => ["-u", name]), input.command, ...input.args]];
}

/** Set again from the role's credentials, so they need no removal. */
const CREDENTIAL_VARS = new Set<string>(["AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION"]);

export async function runExec(input: ExecInput, deps: CliDeps): Promise<number> {
  const opened = await openTargetEarly(input.target, deps);
  const base = parentEnv();
  const env = childEnv(base ?? {}, deps.io.env, opened.credentials, opened.region);
  const [program, args] = spawnLine(input, base === undefined, deps.io.env, Deno.build.os);
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(program, {
      args,
      env,
      // With the whole parent environment at hand, replace it (so removed variables stay
      // removed); otherwise the child inherits what we could not read, plus ours.
      clearEnv: base !== undefined,
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new UsageError(`Cannot run ${quote(input.command)}: command not found`);
    }
    if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
      throw new UsageError(
        `Cannot run ${quote(input.command)}: not permitted (run xrole with --allow-run)`,
      );
    }
    throw err;
  }
  const onAbort = () => {
    try {
      child.kill("SIGINT");
    } catch {
      // already gone
    }
  };
  deps.signal.addEventListener("abort", onAbort, { once: true });
  try {
    const status = await child.status;
    if (status.signal) return 128 + signalNumber(status.signal);
    return status.code;
  } finally {
    deps.signal.removeEventListener("abort", onAbort);
  }
}

function signalNumber(signal: Deno.Signal): number {
  const numbers: Partial<Record<Deno.Signal, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGKILL: 9,
    SIGTERM: 15,
  };
  return numbers[signal] ?? 1;
}

export async function execCommand(
  command: string[],
  flags: ExecFlags,
  deps: CliDeps,
): Promise<number> {
  return await runExec(await execInput(command, flags, deps), deps);
}
