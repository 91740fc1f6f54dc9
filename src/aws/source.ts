/**
 * Source credentials through the SDK's own providers: environment credentials from the passed Env,
 * a named profile through fromIni (static, role, SSO, credential_process, web identity), or the
 * default chain (OIDC web identity, container and instance roles).
 */
import { fromIni, fromNodeProviderChain, fromWebToken } from "@aws-sdk/credential-providers";
import { FetchHttpHandler } from "@smithy/fetch-http-handler";
import type { Credentials } from "../core/model.ts";
import type { Env } from "../core/env.ts";
import { UsageError, XroleError } from "../core/errors.ts";
import type { AwsCredentialIdentityProvider } from "./clients.ts";
import { isServiceError, toXroleError } from "./errors.ts";
import {
  type AwsFiles,
  ENVIRONMENT_PROFILE,
  type ProfileData,
  profileData as mergedProfile,
  readAwsFiles,
  staticKeys,
} from "./source_settings.ts";

export { DEFAULT_CHAIN_PROFILE, ENVIRONMENT_PROFILE } from "./source_settings.ts";

export interface SourceCredentialsOptions {
  /** A profile name, ENVIRONMENT_PROFILE, or undefined (env credentials, else the default chain). */
  profile?: string;
  env: Env;
  configPath: string;
  credentialsPath: string;
  /** STS endpoint for the inner clients of role/SSO profiles. */
  endpoint?: string;
  region?: string;
  /** Asked when a role profile has mfa_serial. */
  mfaCodeProvider?: (mfaSerial: string) => Promise<string>;
  /** The AWS files as the caller already read them (read here when absent). */
  files?: AwsFiles;
}

function filesOf(opts: SourceCredentialsOptions): Promise<AwsFiles> {
  return opts.files ? Promise.resolve(opts.files) : readAwsFiles(opts);
}

/** Credentials still this fresh (ms before expiry) are reused. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A provider for the source's credentials. Resolution is lazy (nothing is read until called) and
 * memoised until 5 minutes before expiry, so the STS and S3 clients share one resolution.
 * Failures become UsageError (unknown profile, no credentials) or AwsError / NetworkError.
 */
export function sourceCredentials(opts: SourceCredentialsOptions): AwsCredentialIdentityProvider {
  const { env } = opts;
  if (opts.profile === ENVIRONMENT_PROFILE || (!opts.profile && env.AWS_ACCESS_KEY_ID)) {
    return envCredentials(env);
  }
  const clientConfig: Record<string, unknown> = {
    requestHandler: new FetchHttpHandler(),
    region: opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
  };
  if (opts.endpoint) clientConfig.endpoint = opts.endpoint;
  if (!opts.profile) {
    const chain = fromNodeProviderChain({ clientConfig });
    return memoize(async () => {
      try {
        return await chain();
      } catch (err) {
        if (isServiceError(err)) throw toXroleError(err, "Loading the default credentials");
        const tokenFile = env.AWS_WEB_IDENTITY_TOKEN_FILE;
        if (tokenFile && isFileError(err)) {
          throw tokenFileError(err, "AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile);
        }
        throw new UsageError(
          "No credentials found: pass --profile, set AWS_PROFILE, or set AWS_ACCESS_KEY_ID",
          { cause: err },
        );
      }
    });
  }
  const profile = opts.profile;
  const provider = fromIni({
    profile,
    filepath: opts.credentialsPath,
    configFilepath: opts.configPath,
    ignoreCache: true,
    clientConfig,
    ...(opts.mfaCodeProvider ? { mfaCodeProvider: opts.mfaCodeProvider } : {}),
  });
  return memoize(async () => {
    try {
      const data = await profileData(profile, opts);
      // Static keys as fromIni would return them, from the files already read: no second read
      // of the files and none of the provider chain (~15 ms of the first request).
      const keys = data && staticKeys(data);
      if (keys) return keys;
      // credential_process ourselves: the SDK's runner needs a blanket --allow-env (it copies
      // the whole environment to the program); Deno.Command passes it on without reading it.
      const command = data && credentialProcessOf(data);
      if (command !== undefined) return await runCredentialProcess(profile, command);
      // Web identity ourselves: fromIni's path to AssumeRoleWithWebIdentity drops clientConfig
      // (an endpoint override went to real STS), and its file errors read as network failures.
      const web = data && webIdentityOf(data);
      if (web) return await webIdentityCredentials(profile, web, clientConfig);
      return await provider();
    } catch (err) {
      throw await profileError(err, profile, opts);
    }
  });
}

/** A profile's settings as the SDK merges them (the credentials file wins); undefined if unread. */
async function profileData(
  profile: string,
  opts: SourceCredentialsOptions,
): Promise<ProfileData | undefined> {
  try {
    return mergedProfile(await filesOf(opts), profile);
  } catch {
    return undefined; // let the SDK report it
  }
}

/**
 * The `credential_process` of a profile whose credentials come from it (no role_arn, static keys
 * or web identity, which the SDK prefers), else undefined.
 */
function credentialProcessOf(data: ProfileData): string | undefined {
  if (data.role_arn || data.aws_access_key_id || data.web_identity_token_file) return undefined;
  const command = data.credential_process?.trim();
  return command ? command : undefined;
}

/**
 * Run a credential_process command through the shell, as the AWS CLI does, and read its JSON
 * (Version 1). Its output is never quoted in errors: it holds secrets.
 */
export async function runCredentialProcess(
  profile: string,
  command: string,
): Promise<Credentials> {
  const [shell, args] = Deno.build.os === "windows"
    ? ["cmd", ["/d", "/s", "/c", command]]
    : ["/bin/sh", ["-c", command]];
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(shell, { args, stdin: "null", stdout: "piped", stderr: "null" })
      .output();
  } catch (err) {
    if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
      throw new UsageError(
        `Profile "${profile}" uses credential_process, which needs permission to run programs (--allow-run)`,
        { cause: err },
      );
    }
    throw new UsageError(
      `Profile "${profile}": credential_process could not start: ${
        err instanceof Error ? err.message : String(err)
      }`,
      { cause: err },
    );
  }
  if (!out.success) {
    throw new UsageError(`Profile "${profile}": credential_process exited with code ${out.code}`);
  }
  let data: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(out.stdout));
    if (typeof parsed === "object" && parsed !== null) data = parsed as Record<string, unknown>;
  } catch {
    data = undefined;
  }
  const text = (key: string) => typeof data?.[key] === "string" ? data[key] as string : "";
  if (!data || data.Version !== 1 || !text("AccessKeyId") || !text("SecretAccessKey")) {
    throw new UsageError(
      `Profile "${profile}": credential_process printed no valid credentials (expected JSON with Version 1, AccessKeyId and SecretAccessKey)`,
    );
  }
  const creds: Credentials = {
    accessKeyId: text("AccessKeyId"),
    secretAccessKey: text("SecretAccessKey"),
  };
  if (text("SessionToken")) creds.sessionToken = text("SessionToken");
  if (text("Expiration")) {
    const expiration = new Date(text("Expiration"));
    if (Number.isNaN(expiration.getTime())) {
      throw new UsageError(
        `Profile "${profile}": credential_process printed an invalid Expiration`,
      );
    }
    if (expiration.getTime() <= Date.now()) {
      throw new UsageError(`Profile "${profile}": credential_process returned expired credentials`);
    }
    creds.expiration = expiration;
  }
  return creds;
}

/** A profile's web identity settings when the SDK would use them, else undefined. */
export function webIdentityOf(
  data: Record<string, string | undefined>,
): { roleArn: string; tokenFile: string; sessionName?: string } | undefined {
  const { role_arn: roleArn, web_identity_token_file: tokenFile } = data;
  // The SDK's order: a role with a source comes first, then static keys, then web identity.
  if (!roleArn || !tokenFile || data.source_profile || data.credential_source) return undefined;
  if (data.aws_access_key_id && data.aws_secret_access_key) return undefined;
  return {
    roleArn,
    tokenFile,
    ...(data.role_session_name ? { sessionName: data.role_session_name } : {}),
  };
}

/**
 * Exchange the profile's token file for the role's credentials (the SDK's fromWebToken, so STS
 * gets the same client settings as every other source). The token is never quoted in errors.
 */
async function webIdentityCredentials(
  profile: string,
  web: { roleArn: string; tokenFile: string; sessionName?: string },
  clientConfig: Record<string, unknown>,
): Promise<Credentials> {
  let token: string;
  try {
    token = await Deno.readTextFile(web.tokenFile);
  } catch (err) {
    throw tokenFileError(err, `Profile "${profile}": web_identity_token_file`, web.tokenFile);
  }
  return await fromWebToken({
    roleArn: web.roleArn,
    webIdentityToken: token,
    ...(web.sessionName ? { roleSessionName: web.sessionName } : {}),
    clientConfig,
  })();
}

function isFileError(err: unknown): boolean {
  return err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.NotFound ||
    err instanceof Deno.errors.PermissionDenied ||
    (err instanceof Error && ["ENOENT", "EACCES", "EISDIR"].includes(
      (err as Error & { code?: string }).code ?? "",
    ));
}

/** One clear line for a token file xrole may not or cannot read (Deno's sandbox, or the OS). */
function tokenFileError(err: unknown, what: string, file: string): UsageError {
  const code = (err as { code?: string } | undefined)?.code;
  const reason = err instanceof Deno.errors.NotCapable
    ? `is outside xrole's read permission: allow it with --allow-read=${file}`
    : err instanceof Deno.errors.NotFound || code === "ENOENT"
    ? "does not exist"
    : `cannot be read: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`;
  return new UsageError(`${what} ${file} ${reason}`, { cause: err });
}

function envCredentials(env: Env): AwsCredentialIdentityProvider {
  return () => {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      return Promise.reject(
        new UsageError(
          "Environment credentials are incomplete: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        ),
      );
    }
    const creds: Credentials = { accessKeyId, secretAccessKey };
    if (env.AWS_SESSION_TOKEN) creds.sessionToken = env.AWS_SESSION_TOKEN;
    const expiration = env.AWS_CREDENTIAL_EXPIRATION
      ? new Date(env.AWS_CREDENTIAL_EXPIRATION)
      : undefined;
    if (expiration && !Number.isNaN(expiration.getTime())) creds.expiration = expiration;
    return Promise.resolve(creds);
  };
}

async function profileError(
  err: unknown,
  profile: string,
  opts: SourceCredentialsOptions,
): Promise<XroleError> {
  if (err instanceof XroleError) return err;
  if (isServiceError(err)) return toXroleError(err, `Credentials for profile "${profile}"`);
  const message = err instanceof Error ? err.message : String(err);
  if (/multi-factor|MFA/i.test(message)) {
    return new UsageError(`Profile "${profile}" requires an MFA code`, { cause: err });
  }
  if (/cycle/i.test(message)) {
    return new UsageError(`Profile "${profile}" has a source_profile cycle`, { cause: err });
  }
  if (!(await profileExists(profile, opts))) {
    return new UsageError(`Unknown profile "${profile}"`, { cause: err });
  }
  if (/Could not resolve credentials|Could not load credentials|Unable to find/i.test(message)) {
    return new UsageError(`Profile "${profile}" has no credentials`, { cause: err });
  }
  if (err instanceof Error && err.name === "CredentialsProviderError") {
    return new UsageError(`Profile "${profile}" has no usable credentials: ${firstLine(message)}`, {
      cause: err,
    });
  }
  return toXroleError(err, `Credentials for profile "${profile}"`);
}

function firstLine(text: string): string {
  return text.split("\n")[0]?.trim() ?? "";
}

async function profileExists(profile: string, opts: SourceCredentialsOptions): Promise<boolean> {
  try {
    const files = await filesOf(opts);
    return profile in files.configFile || profile in files.credentialsFile;
  } catch {
    return true; // unreadable files: do not claim the profile is unknown
  }
}

/**
 * Share one resolution until 5 minutes before expiry (or half its lifetime, for short-lived
 * credentials); concurrent callers share one call; a failure is not cached.
 */
export function memoize(
  provider: () => Promise<Credentials>,
  now: () => number = Date.now,
): AwsCredentialIdentityProvider {
  let cached: { creds: Credentials; reuseUntil: number } | undefined;
  let inflight: Promise<Credentials> | undefined;
  return () => {
    if (cached && now() < cached.reuseUntil) return Promise.resolve(cached.creds);
    inflight ??= provider().then((creds) => {
      const fetched = now();
      const exp = creds.expiration?.getTime() ?? Infinity;
      const margin = Math.min(REFRESH_MARGIN_MS, (exp - fetched) / 2);
      cached = { creds, reuseUntil: exp - margin };
      return creds;
    }).finally(() => {
      inflight = undefined;
    });
    return inflight;
  };
}
