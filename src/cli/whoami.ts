/** `xrole whoami [--role …]`: GetCallerIdentity of the source, or of the assumed role. */
import { ExitCode } from "../core/errors.ts";
import type { CliDeps } from "./deps.ts";
import { formatTable } from "./output.ts";
import { loadRoleList } from "./role_list.ts";
import { resolveTarget, type TargetFlags, type TargetInput } from "./target.ts";
import { openTargetEarly } from "./early_identity.ts";

export interface WhoamiFlags extends TargetFlags {
  format?: "table" | "json" | undefined;
}

export interface WhoamiInput {
  target: TargetInput;
  format: "table" | "json";
}

export async function whoamiInput(flags: WhoamiFlags, deps: CliDeps): Promise<WhoamiInput> {
  const target = await resolveTarget(flags, {
    requireRole: false,
    command: "whoami",
    roles: () => loadRoleList(deps.io.env),
  });
  return { target, format: flags.format ?? (deps.io.stdoutIsTerminal ? "table" : "json") };
}

export async function runWhoami(input: WhoamiInput, deps: CliDeps): Promise<number> {
  const opened = await openTargetEarly(input.target, deps);
  const { whoAmI } = await import("./session.ts");
  const id = await whoAmI(opened);
  const expiration = opened.credentials.expiration?.toISOString();
  if (input.format === "json") {
    const out: Record<string, string> = { account: id.account, arn: id.arn, userId: id.userId };
    if (input.target.role) out.role = input.target.role.label;
    if (expiration) out.expiration = expiration;
    deps.io.stdout(JSON.stringify(out, null, 2) + "\n");
  } else {
    const rows: string[][] = [["Account", id.account], ["Arn", id.arn], ["UserId", id.userId]];
    if (expiration) rows.push(["Expires", expiration]);
    deps.io.stdout(formatTable(["FIELD", "VALUE"], rows));
  }
  return ExitCode.ok;
}

export async function whoamiCommand(flags: WhoamiFlags, deps: CliDeps): Promise<number> {
  return await runWhoami(await whoamiInput(flags, deps), deps);
}
