/**
 * `xrole assume` (and `xrole credential-process`): print the role's temporary credentials. The one
 * command that prints secrets, on purpose, in the format asked for.
 */
import { type CredentialFormat, formatCredentials } from "../core/format.ts";
import { ExitCode, UsageError } from "../core/errors.ts";
import type { CliDeps } from "./deps.ts";
import { loadRoleList } from "./role_list.ts";
import { resolveTarget, type TargetFlags, type TargetInput } from "./target.ts";
import { openTargetEarly } from "./early_identity.ts";

export interface AssumeFlags extends TargetFlags {
  format?: CredentialFormat | undefined;
}

export interface AssumeInput {
  target: TargetInput;
  format: CredentialFormat;
}

/** Flags → validated input (UsageError on anything wrong; no network). */
export async function assumeInput(flags: AssumeFlags, deps: CliDeps): Promise<AssumeInput> {
  if (flags.assume === false) {
    throw new UsageError(
      "Conflicting flags: --no-assume assumes no role, so there are no role credentials to print",
    );
  }
  const target = await resolveTarget(flags, {
    requireRole: true,
    command: flags.format === "credential-process" ? "credential-process" : "assume",
    roles: () => loadRoleList(deps.io.env),
  });
  return { target, format: flags.format ?? "env" };
}

export async function runAssume(input: AssumeInput, deps: CliDeps): Promise<number> {
  const opened = await openTargetEarly(input.target, deps);
  if (!opened.session) throw new UsageError("No role given: pass --role LABEL or --role-arn ARN");
  deps.io.stdout(formatCredentials(opened.session, input.format));
  return ExitCode.ok;
}

export async function assumeCommand(flags: AssumeFlags, deps: CliDeps): Promise<number> {
  return await runAssume(await assumeInput(flags, deps), deps);
}
