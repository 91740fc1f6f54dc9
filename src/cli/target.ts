/**
 * Source and role flags → a validated target: which profile to start from and which role to
 * assume (a saved role or AWS config role profile with `--role`, or `--role-arn` and friends).
 * Pure apart from the role list it is given; loads no SDK.
 */
import { parseMfaSerial, parseRoleArn, quote } from "../core/arn.ts";
import { UsageError } from "../core/errors.ts";
import type { SavedRole } from "../core/model.ts";
import {
  validateDuration,
  validateExternalId,
  validateMfaCode,
  validateRegion,
  validateSessionName,
} from "../core/validate.ts";

/** The source/role flags as commander hands them over (all strings; `assume` false = --no-assume). */
export interface TargetFlags {
  profile?: string | undefined;
  assume?: boolean | undefined;
  role?: string | undefined;
  roleArn?: string | undefined;
  externalId?: string | undefined;
  sessionName?: string | undefined;
  duration?: string | undefined;
  mfaSerial?: string | undefined;
  mfaCode?: string | undefined;
  region?: string | undefined;
  cache?: boolean | undefined;
}

/** The role to assume, validated. */
export interface RoleTarget {
  /** The saved label, or the role name for `--role-arn`. */
  label: string;
  roleArn: string;
  accountId: string;
  externalId?: string;
  sessionName?: string;
  durationSeconds?: number;
  mfaSerial?: string;
  mfaCode?: string;
  region?: string;
  color?: string;
  /** A role to assume first (chaining, see chain.ts); the MFA code may be for a role of the chain. */
  via?: string;
  origin: "xrole" | "aws-config" | "flags";
}

export interface TargetInput {
  /** The source profile; undefined = AWS_PROFILE, then the SDK's default chain. */
  profile?: string;
  /** Undefined with --no-assume (or when no role is needed, e.g. whoami). */
  role?: RoleTarget;
  /** `--region` (undefined: the role's, the environment's, the profile's, then us-east-1). */
  region?: string;
  useCache: boolean;
}

const ROLE_FLAGS: [keyof TargetFlags, string][] = [
  ["externalId", "--external-id"],
  ["sessionName", "--session-name"],
  ["duration", "--duration"],
  ["mfaSerial", "--mfa-serial"],
  ["mfaCode", "--mfa-code"],
];

export interface ResolveTargetOptions {
  /** Whether a role (or --no-assume) must be named (buckets, assume, exec: yes; whoami: no). */
  requireRole: boolean;
  /** The command, for messages ("xrole buckets"). */
  command: string;
  /** Loads saved roles and AWS config role profiles; only called when --role is given. */
  roles: () => Promise<SavedRole[]>;
}

/** Validates the flags (UsageError on conflicts and bad values) and resolves `--role`. */
export async function resolveTarget(
  flags: TargetFlags,
  options: ResolveTargetOptions,
): Promise<TargetInput> {
  const noAssume = flags.assume === false;
  const given = ROLE_FLAGS.filter(([key]) => flags[key] !== undefined);
  if (flags.role !== undefined && flags.roleArn !== undefined) {
    throw new UsageError("Conflicting flags: pass --role or --role-arn, not both");
  }
  if (noAssume) {
    const roleFlag = flags.role !== undefined
      ? "--role"
      : flags.roleArn !== undefined
      ? "--role-arn"
      : given[0]?.[1];
    if (roleFlag) {
      throw new UsageError(
        `Conflicting flags: --no-assume assumes no role, so ${roleFlag} is wrong`,
      );
    }
  } else if (flags.role === undefined && flags.roleArn === undefined) {
    const first = given[0];
    if (first) {
      throw new UsageError(`Flag ${first[1]} needs a role: pass --role LABEL or --role-arn ARN`);
    }
    if (options.requireRole) {
      throw new UsageError(
        `No role given: pass --role LABEL, --role-arn ARN or --no-assume (see "xrole ${options.command} --help")`,
      );
    }
  }

  const input: TargetInput = { useCache: flags.cache !== false };
  if (flags.profile !== undefined) {
    const profile = flags.profile.trim();
    if (profile === "") throw new UsageError('Invalid profile "": must not be empty');
    input.profile = profile;
  }
  if (flags.region !== undefined) input.region = validateRegion(flags.region);

  let base: RoleTarget | undefined;
  if (flags.role !== undefined) {
    const label = flags.role;
    const roles = await options.roles();
    const saved = roles.find((r) => r.label === label) ??
      roles.find((r) => r.label.toLowerCase() === label.toLowerCase());
    if (!saved) {
      const known = roles.map((r) => r.label);
      throw new UsageError(
        `Unknown role ${quote(label)}: ${
          known.length
            ? `known roles are ${known.slice(0, 8).map((l) => quote(l)).join(", ")}${
              known.length > 8 ? ", …" : ""
            }`
            : 'no roles saved yet (see "xrole roles add --help")'
        }`,
      );
    }
    base = fromSaved(saved);
    if (input.profile === undefined && saved.sourceProfile) input.profile = saved.sourceProfile;
  } else if (flags.roleArn !== undefined) {
    const arn = parseRoleArn(flags.roleArn);
    base = { label: arn.roleName, roleArn: arn.arn, accountId: arn.accountId, origin: "flags" };
  }

  if (base) {
    if (flags.externalId !== undefined) base.externalId = validateExternalId(flags.externalId);
    if (flags.sessionName !== undefined) base.sessionName = validateSessionName(flags.sessionName);
    if (flags.duration !== undefined) base.durationSeconds = validateDuration(flags.duration);
    if (flags.mfaSerial !== undefined) base.mfaSerial = parseMfaSerial(flags.mfaSerial).serial;
    if (flags.mfaCode !== undefined) {
      if (!base.mfaSerial && !base.via) {
        throw new UsageError(
          `Flag --mfa-code needs an MFA device: pass --mfa-serial ARN (role ${
            quote(base.label)
          } has none)`,
        );
      }
      base.mfaCode = validateMfaCode(flags.mfaCode);
    }
    input.role = base;
  }
  return input;
}

function fromSaved(saved: SavedRole): RoleTarget {
  const arn = parseRoleArn(saved.roleArn);
  const role: RoleTarget = {
    label: saved.label,
    roleArn: arn.arn,
    accountId: arn.accountId,
    origin: saved.origin,
  };
  if (saved.externalId) role.externalId = saved.externalId;
  if (saved.sessionName) role.sessionName = saved.sessionName;
  if (saved.durationSeconds) role.durationSeconds = saved.durationSeconds;
  if (saved.mfaSerial) role.mfaSerial = saved.mfaSerial;
  if (saved.region) role.region = saved.region;
  if (saved.color) role.color = saved.color;
  if (saved.via) role.via = saved.via;
  return role;
}

/** The UsageError for a role that needs an MFA code when xrole cannot ask for one. */
export function mfaCodeNeeded(role: RoleTarget): UsageError {
  return new UsageError(`Role ${quote(role.label)} needs an MFA code: pass --mfa-code`);
}

/** The same command line without secrets, for "repeat this" hints and logs. */
export function describeTarget(target: TargetInput): string {
  const parts: string[] = [];
  if (target.profile) parts.push(`--profile ${target.profile}`);
  if (!target.role) parts.push("--no-assume");
  else if (target.role.origin === "flags") parts.push(`--role-arn ${target.role.roleArn}`);
  else parts.push(`--role ${target.role.label}`);
  return parts.join(" ");
}
