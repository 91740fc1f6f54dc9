/**
 * `xrole roles list|show|add|remove`: manage xrole's saved roles (roles.ini) with flags, with the
 * same validation as the interactive flow. AWS config role profiles are listed, never written.
 * External IDs are masked in table output.
 */
import { parseRoleArn, quote } from "../core/arn.ts";
import { ExitCode, UsageError } from "../core/errors.ts";
import type { SavedRole } from "../core/model.ts";
import { type RoleEntry, validateSavedRole } from "../core/roles_file.ts";
import { deleteRole, rolesFilePath, saveRole } from "../config/roles_store.ts";
import { maskExternalId, validateDuration, validateLabel } from "../core/validate.ts";
import type { CliDeps } from "./deps.ts";
import { formatTable } from "./output.ts";
import { loadRoleList } from "./role_list.ts";
import { checkViaOnSave } from "./chain.ts";

export type ListFormat = "table" | "json";

export interface RolesListFlags {
  format?: ListFormat | undefined;
  /** Show External IDs in full (they are masked otherwise, in every format). */
  reveal?: boolean | undefined;
}

export interface RolesAddFlags {
  roleArn: string;
  externalId?: string | undefined;
  sessionName?: string | undefined;
  duration?: string | undefined;
  mfaSerial?: string | undefined;
  region?: string | undefined;
  roleColor?: string | undefined;
  sourceProfile?: string | undefined;
  /** A saved role to assume first (role chaining). */
  via?: string | undefined;
}

function listFormat(flags: RolesListFlags, deps: CliDeps): ListFormat {
  return flags.format ?? (deps.io.stdoutIsTerminal ? "table" : "json");
}

/** A role as scripts get it (`--format json`): every field, the External ID masked unless revealed. */
function roleJson(role: SavedRole, reveal: boolean): Record<string, string | number> {
  const arn = parseRoleArn(role.roleArn);
  const out: Record<string, string | number> = {
    label: role.label,
    roleArn: role.roleArn,
    accountId: arn.accountId,
    roleName: arn.roleName,
    origin: role.origin,
  };
  for (
    const key of [
      "externalId",
      "sessionName",
      "durationSeconds",
      "mfaSerial",
      "region",
      "color",
      "sourceProfile",
      "via",
    ] as const
  ) {
    const v = role[key];
    if (v !== undefined && v !== "") out[key] = v;
  }
  if (role.externalId && !reveal) out.externalId = maskExternalId(role.externalId);
  return out;
}

export async function rolesListCommand(flags: RolesListFlags, deps: CliDeps): Promise<number> {
  const roles = await loadRoleList(deps.io.env);
  if (listFormat(flags, deps) === "json") {
    const json = roles.map((role) => roleJson(role, flags.reveal === true));
    deps.io.stdout(JSON.stringify(json, null, 2) + "\n");
    return ExitCode.ok;
  }
  if (roles.length === 0) {
    deps.io.stderr(
      'xrole: No roles saved yet: add one with "xrole roles add LABEL --role-arn ARN"\n',
    );
    return ExitCode.ok;
  }
  const rows = roles.map((r) => {
    const arn = parseRoleArn(r.roleArn);
    return [
      r.label,
      arn.accountId,
      arn.pathAndName,
      r.externalId ? (flags.reveal ? r.externalId : maskExternalId(r.externalId)) : "-",
      r.mfaSerial ? "yes" : "-",
      r.region ?? "-",
      r.color ?? "-",
      r.origin === "aws-config" ? "aws config" : "xrole",
    ];
  });
  deps.io.stdout(
    formatTable(
      ["LABEL", "ACCOUNT", "ROLE", "EXTERNAL ID", "MFA", "REGION", "COLOR", "FROM"],
      rows,
    ),
  );
  return ExitCode.ok;
}

async function findRole(label: string, deps: CliDeps): Promise<SavedRole> {
  const roles = await loadRoleList(deps.io.env);
  const role = roles.find((r) => r.label === label);
  if (!role) throw new UsageError(`Unknown role ${quote(label)} (see "xrole roles list")`);
  return role;
}

export async function rolesShowCommand(
  label: string,
  flags: RolesListFlags,
  deps: CliDeps,
): Promise<number> {
  const role = await findRole(label, deps);
  const json = roleJson(role, flags.reveal === true);
  if (listFormat(flags, deps) === "json") {
    deps.io.stdout(JSON.stringify(json, null, 2) + "\n");
    return ExitCode.ok;
  }
  deps.io.stdout(
    formatTable(["FIELD", "VALUE"], Object.entries(json).map(([k, v]) => [k, String(v)])),
  );
  return ExitCode.ok;
}

/** Flags → a validated role (UsageError on any bad value). */
export function rolesAddInput(label: string, flags: RolesAddFlags): RoleEntry {
  const role: RoleEntry = { label: validateLabel(label), roleArn: flags.roleArn, origin: "xrole" };
  if (flags.externalId !== undefined) role.externalId = flags.externalId;
  if (flags.sessionName !== undefined) role.sessionName = flags.sessionName;
  if (flags.duration !== undefined) role.durationSeconds = validateDuration(flags.duration);
  if (flags.mfaSerial !== undefined) role.mfaSerial = flags.mfaSerial;
  if (flags.region !== undefined) role.region = flags.region;
  if (flags.roleColor !== undefined) role.color = flags.roleColor;
  if (flags.sourceProfile !== undefined) role.sourceProfile = flags.sourceProfile;
  if (flags.via !== undefined) role.via = flags.via;
  return validateSavedRole(role);
}

export async function rolesAddCommand(
  label: string,
  flags: RolesAddFlags,
  deps: CliDeps,
): Promise<number> {
  const role = rolesAddInput(label, flags);
  const known = await loadRoleList(deps.io.env);
  checkViaOnSave(role, known);
  const existed = known.some((r) => r.label === role.label && r.origin === "xrole");
  await saveRole(deps.io.env, role, { replace: true });
  deps.io.stderr(
    `xrole: ${existed ? "Updated" : "Saved"} role ${quote(role.label)} in "${
      rolesFilePath(deps.io.env)
    }"\n`,
  );
  return ExitCode.ok;
}

export async function rolesRemoveCommand(label: string, deps: CliDeps): Promise<number> {
  const role = await findRole(label, deps);
  if (role.origin === "aws-config") {
    throw new UsageError(
      `Role ${quote(label)} is a profile of the AWS config: xrole never edits that file`,
    );
  }
  await deleteRole(deps.io.env, label);
  deps.io.stderr(`xrole: Removed role ${quote(label)} from "${rolesFilePath(deps.io.env)}"\n`);
  return ExitCode.ok;
}
