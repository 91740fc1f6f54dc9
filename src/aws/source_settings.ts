/**
 * A source's settings, worked out from the environment and the AWS files without loading any SDK
 * client: which profile, its region, its endpoints, and its static keys when it has them.
 * openSource (session.ts) builds on it, and so does the early identity call
 * (early_identity.ts), which is sent while the SDK is still loading.
 */
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import type { Credentials } from "../core/model.ts";
import type { Env } from "../core/env.ts";
import { defaultRegion } from "../core/env.ts";
import { UsageError } from "../core/errors.ts";

/** The profile name that stands for the AWS_ACCESS_KEY_ID environment variables. */
export const ENVIRONMENT_PROFILE = "(environment)";
/** The profile name shown when credentials come from the SDK's default chain. */
export const DEFAULT_CHAIN_PROFILE = "(default chain)";

/** The AWS config and credentials files as the SDK's own loader parses them. */
export type AwsFiles = Awaited<ReturnType<typeof loadSharedConfigFiles>>;

/** Reads both AWS files afresh (no loader cache: a long-lived TUI sees edits). */
export function readAwsFiles(
  paths: { configPath: string; credentialsPath: string },
): Promise<AwsFiles> {
  return loadSharedConfigFiles({
    filepath: paths.credentialsPath,
    configFilepath: paths.configPath,
    ignoreCache: true,
  });
}

/** A profile's keys and values. */
export type ProfileData = Record<string, string | undefined>;

/** A profile's settings as the SDK merges them (the credentials file wins). */
export function profileData(files: AwsFiles, profile: string): ProfileData {
  return { ...files.configFile[profile], ...files.credentialsFile[profile] };
}

/**
 * The profile's static keys when the SDK would use them: both keys present and no role_arn (a
 * role in the profile itself takes precedence over its keys in the SDK's order).
 */
export function staticKeys(data: ProfileData): Credentials | undefined {
  const { aws_access_key_id: id, aws_secret_access_key: secret } = data;
  if (data.role_arn || !id || !secret) return undefined;
  const creds: Credentials = { accessKeyId: id, secretAccessKey: secret };
  if (data.aws_session_token) creds.sessionToken = data.aws_session_token;
  return creds;
}

/**
 * The endpoint to use for `service`: the flag, then AWS_ENDPOINT_URL_<SERVICE>, then
 * AWS_ENDPOINT_URL, then the profile's endpoint_url. Undefined means the AWS default.
 */
export function resolveEndpoint(
  env: Env,
  service: "sts" | "s3",
  flag?: string,
  profileEndpoint?: string,
): string | undefined {
  const specific = service === "sts" ? env.AWS_ENDPOINT_URL_STS : env.AWS_ENDPOINT_URL_S3;
  return flag || specific || env.AWS_ENDPOINT_URL || profileEndpoint || undefined;
}

/** Where the AWS files are for this environment (AWS_CONFIG_FILE etc. honoured). */
export function awsFilePaths(env: Env): { configPath: string; credentialsPath: string } {
  const home = env.HOME || env.USERPROFILE || ".";
  const sep = home.includes("\\") && !home.includes("/") ? "\\" : "/";
  const base = `${home.replace(/[\\/]+$/, "")}${sep}.aws${sep}`;
  return {
    configPath: env.AWS_CONFIG_FILE || `${base}config`,
    credentialsPath: env.AWS_SHARED_CREDENTIALS_FILE || `${base}credentials`,
  };
}

interface ProfileSettings {
  exists: boolean;
  region?: string;
  endpoints: { sts?: string; s3?: string };
}

/** A profile's region and endpoint_url settings (profile-wide and per service). */
function profileSettings(
  profile: string | undefined,
  files: AwsFiles,
): ProfileSettings & { hasDefault: boolean } {
  const hasDefault = "default" in files.configFile || "default" in files.credentialsFile;
  const name = profile ?? (hasDefault ? "default" : undefined);
  const result: ProfileSettings & { hasDefault: boolean } = {
    exists: false,
    endpoints: {},
    hasDefault,
  };
  if (!name) return result;
  const config = files.configFile[name];
  const creds = files.credentialsFile[name];
  result.exists = Boolean(config || creds);
  const region = config?.region ?? creds?.region;
  if (region) result.region = region;
  const services = config?.services ? files.configFile[`services.${config.services}`] : undefined;
  for (const service of ["sts", "s3"] as const) {
    const url = services?.[`${service}.endpoint_url`] ?? config?.endpoint_url;
    if (url) result.endpoints[service] = url;
  }
  return result;
}

/** The region used when neither flags, environment nor profile name one. */
export const FALLBACK_REGION = "us-east-1";

export interface SourceSettingsOptions {
  env: Env;
  profile?: string;
  endpointUrl?: string;
  region?: string;
}

/** Where a source's requests go and where its credentials come from. */
export interface SourceSettings {
  /** The profile, ENVIRONMENT_PROFILE, or undefined (the SDK's default chain). */
  profile?: string;
  region: string;
  /** Endpoint overrides in effect (undefined: AWS). */
  endpoints: { sts?: string; s3?: string };
  paths: { configPath: string; credentialsPath: string };
  /** The AWS files as read (undefined for environment credentials). */
  files?: AwsFiles;
}

/**
 * Which profile (flag, AWS_PROFILE, environment credentials, "default", else the SDK's default
 * chain), its region and its endpoints. A named profile missing from both files is a UsageError.
 */
export async function sourceSettings(opts: SourceSettingsOptions): Promise<SourceSettings> {
  const { env } = opts;
  const paths = awsFilePaths(env);
  let profile: string | undefined = opts.profile || env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE ||
    undefined;
  if (!profile && env.AWS_ACCESS_KEY_ID) profile = ENVIRONMENT_PROFILE;
  const files = profile === ENVIRONMENT_PROFILE ? undefined : await readAwsFiles(paths);
  const settings = files === undefined
    ? { exists: true, endpoints: {}, hasDefault: false } as ProfileSettings & {
      hasDefault: boolean;
    }
    : profileSettings(profile, files);
  if (!profile && settings.hasDefault) profile = "default";
  if (profile && profile !== ENVIRONMENT_PROFILE && !settings.exists) {
    throw new UsageError(`Unknown profile "${profile}"`);
  }
  const endpoints: { sts?: string; s3?: string } = {};
  const sts = resolveEndpoint(env, "sts", opts.endpointUrl, settings.endpoints.sts);
  const s3 = resolveEndpoint(env, "s3", opts.endpointUrl, settings.endpoints.s3);
  if (sts) endpoints.sts = sts;
  if (s3) endpoints.s3 = s3;
  return {
    ...(profile ? { profile } : {}),
    region: opts.region || defaultRegion(env) || settings.region || FALLBACK_REGION,
    endpoints,
    paths,
    ...(files ? { files } : {}),
  };
}
