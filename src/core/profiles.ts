/**
 * Source profiles and role profiles from the AWS config and credentials files, as parsed by
 * `loadSharedConfigFiles` of `@smithy/shared-ini-file-loader` (keys have "profile " stripped;
 * "sso-session.x" and "services.x" keys are not profiles). Pure: imports only core/.
 */
import type { ProfileKind, SavedRole, SourceProfile } from "./model.ts";
import type { Env } from "./env.ts";
import { defaultRegion } from "./env.ts";
import { UsageError } from "./errors.ts";
import { parseMfaSerial, parseRoleArn, quote } from "./arn.ts";
import { validateDuration, validateExternalId, validateSessionName } from "./validate.ts";

/** One INI section as the SDK's loader returns it. */
export type IniSection = Record<string, string | undefined>;
/** The loader's output for one file: section name → keys. */
export type IniData = Record<string, IniSection>;

/** The shape of `loadSharedConfigFiles(...)`. */
export interface ParsedAwsFiles {
  configFile: IniData;
  credentialsFile: IniData;
}

export interface ClassifiedProfiles {
  /** Every profile, sorted by name; "(environment)" first when AWS_ACCESS_KEY_ID is set. */
  profiles: SourceProfile[];
  /** Profiles with a role_arn (not web identity), as saved roles of origin "aws-config". */
  roleProfiles: SavedRole[];
  /** One line each, for stderr. */
  warnings: string[];
}

/** The name of the "environment credentials" entry. */
export const ENV_PROFILE_NAME = "(environment)";

/** Loader keys that are not profiles. */
const NON_PROFILE_PREFIXES = ["sso-session.", "services."];

function isProfileKey(key: string): boolean {
  return !NON_PROFILE_PREFIXES.some((p) => key.startsWith(p));
}

function has(section: IniSection, key: string): boolean {
  const v = section[key];
  return v !== undefined && v !== "";
}

/** What kind of credentials a (merged) profile section holds, in the SDK's order. */
export function kindOf(section: IniSection): ProfileKind {
  if (has(section, "role_arn")) {
    if (has(section, "web_identity_token_file") && !has(section, "source_profile")) {
      return "web-identity";
    }
    return "role";
  }
  if (has(section, "aws_access_key_id") && has(section, "aws_secret_access_key")) return "static";
  if (has(section, "web_identity_token_file")) return "web-identity";
  if (has(section, "credential_process")) return "process";
  if (has(section, "sso_session") || has(section, "sso_start_url")) return "sso";
  return "unknown";
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Merge and classify the profiles of both files. A profile in both files is merged (credentials
 * file values win, as in the SDK; the region comes from the config file first).
 */
export function classifyProfiles(parsed: ParsedAwsFiles, env: Env): ClassifiedProfiles {
  const warnings: string[] = [];
  const merged = new Map<
    string,
    { config?: IniSection; credentials?: IniSection }
  >();
  for (const [key, section] of Object.entries(parsed.configFile)) {
    if (!isProfileKey(key)) continue;
    merged.set(key, { config: section });
  }
  for (const [key, section] of Object.entries(parsed.credentialsFile)) {
    if (key.startsWith("profile.")) {
      const name = key.slice("profile.".length);
      warnings.push(
        `The credentials file has a section [profile ${name}]: the credentials file names profiles without "profile " ([${name}]), so it is ignored`,
      );
      continue;
    }
    if (!isProfileKey(key)) continue;
    const entry = merged.get(key);
    if (entry) entry.credentials = section;
    else merged.set(key, { credentials: section });
  }

  const profiles: SourceProfile[] = [];
  const roleProfiles: SavedRole[] = [];
  for (const [name, { config, credentials }] of merged) {
    const data: IniSection = { ...config, ...credentials };
    const kind = kindOf(data);
    const profile: SourceProfile = {
      name,
      kind,
      files: [
        ...(config ? ["config" as const] : []),
        ...(credentials ? ["credentials" as const] : []),
      ],
    };
    const region = config?.region || credentials?.region;
    if (region) profile.region = region;
    if (data.role_arn) profile.roleArn = data.role_arn;
    if (data.source_profile) profile.sourceProfile = data.source_profile;
    if (data.external_id) profile.externalId = data.external_id;
    if (data.mfa_serial) profile.mfaSerial = data.mfa_serial;
    profiles.push(profile);
    if (kind === "role") {
      const role = roleProfileOf(name, data, profile.region, warnings);
      if (role) roleProfiles.push(role);
    }
  }
  profiles.sort(byName);
  roleProfiles.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  if (env.AWS_ACCESS_KEY_ID) {
    const envProfile: SourceProfile = { name: ENV_PROFILE_NAME, kind: "env", files: [] };
    const region = defaultRegion(env);
    if (region) envProfile.region = region;
    profiles.unshift(envProfile);
  }
  return { profiles, roleProfiles, warnings };
}

function roleProfileOf(
  name: string,
  data: IniSection,
  region: string | undefined,
  warnings: string[],
): SavedRole | undefined {
  try {
    const role: SavedRole = {
      label: name,
      roleArn: parseRoleArn(data.role_arn ?? "").arn,
      origin: "aws-config",
    };
    if (data.external_id) role.externalId = validateExternalId(data.external_id);
    if (data.mfa_serial) role.mfaSerial = parseMfaSerial(data.mfa_serial).serial;
    if (data.role_session_name) role.sessionName = validateSessionName(data.role_session_name);
    if (data.duration_seconds) role.durationSeconds = validateDuration(data.duration_seconds);
    if (region) role.region = region;
    if (data.source_profile) role.sourceProfile = data.source_profile;
    return role;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    warnings.push(`Profile ${quote(name)} in the AWS config is not usable as a role: ${e.message}`);
    return undefined;
  }
}

/** The profile to preselect: AWS_PROFILE, then AWS_DEFAULT_PROFILE, then "default". */
export function defaultProfileName(env: Env): string {
  return env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || "default";
}

/**
 * The chain of profiles from `name` through its source_profile links, `name` first.
 * A profile naming itself as source (static keys next to role_arn, as the SDK allows) ends the
 * chain. Throws UsageError for an unknown profile, a missing source, a cycle, or (unless
 * `requireCredentials: false`) a chain ending in a profile without credentials.
 */
export function sourceChain(
  profiles: readonly SourceProfile[] | ReadonlyMap<string, SourceProfile>,
  name: string,
  options: { requireCredentials?: boolean } = {},
): SourceProfile[] {
  const byNameMap = profiles instanceof Map
    ? profiles
    : new Map((profiles as readonly SourceProfile[]).map((p) => [p.name, p]));
  const first = byNameMap.get(name);
  if (!first) throw new UsageError(`Unknown profile ${quote(name)}`);
  const chain = [first];
  const seen = new Set([name]);
  let current = first;
  while (current.sourceProfile && current.sourceProfile !== current.name) {
    const next = current.sourceProfile;
    if (seen.has(next)) {
      const names = [...chain.map((p) => p.name), next].join(" -> ");
      throw new UsageError(`Profile ${quote(name)} has a source_profile cycle: ${names}`);
    }
    const nextProfile = byNameMap.get(next);
    if (!nextProfile) {
      throw new UsageError(
        `Profile ${quote(current.name)} has source_profile ${quote(next)}, which does not exist`,
      );
    }
    seen.add(next);
    chain.push(nextProfile);
    current = nextProfile;
  }
  if (options.requireCredentials !== false && current.kind === "unknown") {
    throw new UsageError(
      `Profile ${
        quote(current.name)
      } has no credentials: expected keys, role_arn, SSO, credential_process or web identity`,
    );
  }
  return chain;
}
