/**
 * The flow shared by the CLI and the TUI: open a source (profile → credentials + STS client) and
 * assume a target role. The S3 client for a listing is made by s3_client.ts (`s3For`), which
 * loads the S3 half of the SDK: this module loads only STS.
 */
import type { STSClient } from "@aws-sdk/client-sts";
import type { AssumedSession, CallerIdentity, SavedRole } from "../core/model.ts";
import type { Env } from "../core/env.ts";
import { parseRoleArn, partitionOf, quote } from "../core/arn.ts";
import { UsageError } from "../core/errors.ts";
import { sanitizeSessionName } from "../core/validate.ts";
import { type AwsCredentialIdentityProvider, makeStsClient } from "./clients.ts";
import { sourceCredentials } from "./source.ts";
import { DEFAULT_CHAIN_PROFILE, sourceSettings } from "./source_settings.ts";
import { assumeRole, getCallerIdentity } from "./sts.ts";
import { type CacheKey, readCachedSession, writeCachedSession } from "./cache.ts";

/** An opened source: credentials (resolved lazily) and an STS client using them. */
export interface Source {
  /** The profile name, ENVIRONMENT_PROFILE or DEFAULT_CHAIN_PROFILE. */
  profileName: string;
  region: string;
  credentials: AwsCredentialIdentityProvider;
  sts: STSClient;
  /** Endpoint overrides in effect (undefined: AWS). */
  endpoints: { sts?: string; s3?: string };
  /** GetCallerIdentity of the source (called once, then remembered). */
  whoami(): Promise<CallerIdentity>;
}

export interface OpenSourceOptions {
  env: Env;
  profile?: string;
  endpointUrl?: string;
  region?: string;
  log?: (line: string) => void;
  /** For role profiles with mfa_serial (the SDK asks through this). */
  mfaCodeProvider?: (mfaSerial: string) => Promise<string>;
  /** Per-attempt timeout in ms for the STS client. */
  requestTimeoutMs?: number;
  /** Called as each STS request of the source goes out (see ClientOptions.onSend). */
  onSend?: () => void;
  /**
   * The source's GetCallerIdentity, already sent before the SDK loaded (early_identity.ts):
   * `whoami()` uses its answer, and asks through the SDK when it has none.
   */
  earlyIdentity?: Promise<CallerIdentity | undefined>;
}

/**
 * Open the source: which profile (flag, AWS_PROFILE, environment credentials, "default", else the
 * SDK's default chain), its region and endpoints, a lazy credential provider and an STS client.
 * Nothing is sent to AWS until `whoami()` or an assume.
 */
export async function openSource(opts: OpenSourceOptions): Promise<Source> {
  const { env } = opts;
  const settings = await sourceSettings({
    env,
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
    ...(opts.region ? { region: opts.region } : {}),
  });
  const { profile, region, endpoints, files } = settings;
  const sts = endpoints.sts;
  // The files read once: the credential provider reuses them (the SDK's fromIni reads its own).
  const credentials = sourceCredentials({
    env,
    ...settings.paths,
    region,
    ...(profile ? { profile } : {}),
    ...(sts ? { endpoint: sts } : {}),
    ...(opts.mfaCodeProvider ? { mfaCodeProvider: opts.mfaCodeProvider } : {}),
    ...(files ? { files } : {}),
  });
  const client = makeStsClient({
    region,
    credentials,
    ...(sts ? { endpoint: sts } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.requestTimeoutMs ? { requestTimeoutMs: opts.requestTimeoutMs } : {}),
    ...(opts.onSend ? { onSend: opts.onSend } : {}),
  });
  let identity: Promise<CallerIdentity> | undefined;
  return {
    profileName: profile ?? DEFAULT_CHAIN_PROFILE,
    region,
    credentials,
    sts: client,
    endpoints,
    whoami() {
      const early = opts.earlyIdentity;
      identity ??=
        (early ? early.then((id) => id ?? getCallerIdentity(client)) : getCallerIdentity(client))
          .catch((err) => {
            identity = undefined;
            throw err;
          });
      return identity;
    },
  };
}

/**
 * `openSource` remembered per profile, endpoint and region (the environment and log are the
 * caller's, the same for every call): one opened source however many roles use it. A failed open
 * is forgotten, so the next call tries again.
 */
export function sharedSources(): (opts: OpenSourceOptions) => Promise<Source> {
  const sources = new Map<string, Promise<Source>>();
  return (opts) => {
    const key = `${opts.profile ?? ""}\n${opts.endpointUrl ?? ""}\n${opts.region ?? ""}`;
    let s = sources.get(key);
    if (!s) {
      s = openSource(opts);
      s.catch(() => sources.delete(key));
      sources.set(key, s);
    }
    return s;
  };
}

export interface AssumeOptions {
  mfaCode?: string;
  sessionName?: string;
  durationSeconds?: number;
  region?: string;
  /** Credential cache directory (omit for --no-cache). */
  cacheDir?: string;
  /** The clock for cache expiry (default: now). */
  now?: () => Date;
}

/** The cache key of a (source, role) pair: the configured session name, "" when derived. */
export function cacheKeyFor(source: Source, role: SavedRole, opts: AssumeOptions = {}): CacheKey {
  return {
    sourceProfile: source.profileName,
    roleArn: role.roleArn,
    sessionName: opts.sessionName || role.sessionName || "",
    ...(role.externalId ? { externalId: role.externalId } : {}),
  };
}

/**
 * The cached session for this role when one is still good (so the UI can skip the MFA prompt);
 * undefined without a cache directory or a usable entry. Its region is the one asked for now.
 */
export async function cachedSession(
  source: Source,
  role: SavedRole,
  opts: AssumeOptions = {},
): Promise<AssumedSession | undefined> {
  if (!opts.cacheDir) return undefined;
  const now = opts.now?.() ?? new Date();
  const cached = await readCachedSession(opts.cacheDir, cacheKeyFor(source, role, opts), now);
  return cached && { ...cached, region: opts.region || role.region || source.region };
}

/**
 * A role can only be assumed through STS in its own partition: a role in "aws-cn" with a region of
 * "aws" would be refused by AWS with a confusing AccessDenied, so say what is wrong instead.
 */
export function checkPartition(roleArn: string, region: string): void {
  const rolePartition = parseRoleArn(roleArn).partition;
  const regionPartition = partitionOf(region);
  if (rolePartition !== regionPartition) {
    throw new UsageError(
      `Role ARN ${quote(roleArn)} is in partition ${quote(rolePartition)} but region ${
        quote(region)
      } is in ${quote(regionPartition)}: pass --region with a region of ${quote(rolePartition)}`,
    );
  }
}

/** The default session name for a caller: "xrole-" + the last part of its ARN, sanitised. */
export function defaultSessionName(callerArn: string): string {
  const user = callerArn.split(":").pop()?.split("/").pop() || "user";
  return sanitizeSessionName(`xrole-${user}`);
}

/**
 * AssumeRole for a saved role with the source's credentials. Region: option, role, source.
 * Session name: option, role, else derived from the caller (one GetCallerIdentity).
 * With `cacheDir`, a cached session still good for 5 minutes is returned without any call (and
 * without needing the MFA code); a fresh one is cached.
 */
export async function assumeTarget(
  source: Source,
  role: SavedRole,
  opts: AssumeOptions = {},
): Promise<AssumedSession> {
  checkPartition(role.roleArn, opts.region || role.region || source.region);
  const cached = await cachedSession(source, role, opts);
  if (cached) return cached;
  if (role.mfaSerial && !opts.mfaCode) {
    throw new UsageError(`Role "${role.label}" requires an MFA code: pass --mfa-code`);
  }
  const sessionName = opts.sessionName || role.sessionName ||
    defaultSessionName((await source.whoami()).arn);
  const durationSeconds = opts.durationSeconds ?? role.durationSeconds;
  const region = opts.region || role.region || source.region;
  const session = await assumeRole(source.sts, {
    roleArn: role.roleArn,
    sessionName,
    ...(role.externalId ? { externalId: role.externalId } : {}),
    ...(durationSeconds ? { durationSeconds } : {}),
    ...(role.mfaSerial ? { mfaSerial: role.mfaSerial } : {}),
    ...(opts.mfaCode ? { mfaCode: opts.mfaCode } : {}),
  }, region);
  if (opts.cacheDir) {
    // A cache that cannot be written must not fail the command.
    await writeCachedSession(opts.cacheDir, cacheKeyFor(source, role, opts), session).catch(
      () => {},
    );
  }
  return session;
}
