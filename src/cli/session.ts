/**
 * Opening a target for the commands: source credentials → (AssumeRole) → clients for the target
 * account, through src/aws/session.ts. Heavy (imports the AWS modules): command modules load it
 * with a static `await import("./session.ts")` only when they run, so flag errors never load the
 * SDK.
 */
import { makeStsClient } from "../aws/clients.ts";
import type { S3Like } from "../aws/s3.ts";
import {
  type AssumeOptions,
  assumeTarget,
  cachedSession,
  openSource,
  s3For,
  type Source,
} from "../aws/session.ts";
import { cacheDir } from "../config/dirs.ts";
import { getCallerIdentity, type StsLike } from "../aws/sts.ts";
import { InterruptedError } from "../core/errors.ts";
import type { AssumedSession, CallerIdentity, Credentials, SavedRole } from "../core/model.ts";
import { type CliDeps, verboseLog } from "./deps.ts";
import { askMfaCodeOnTerminal } from "./mfa_prompt.ts";
import { mfaCodeNeeded, type RoleTarget, type TargetInput } from "./target.ts";

/** A source opened, and the role assumed when there is one. */
export interface OpenedTarget {
  source: Source;
  /** The assumed session (undefined with --no-assume). */
  session?: AssumedSession;
  /** The credentials the target calls use (the assumed role's, or the source's). */
  credentials: Credentials;
  /** Region for calls in the target account. */
  region: string;
  /** An STS client signed with the target credentials. */
  sts(): StsLike;
  /** One S3 client for the target account. */
  s3(options?: { requestTimeoutMs?: number }): S3Like;
}

/** The MFA code for `role`: given, asked on a terminal, or a UsageError naming the flag. */
export async function mfaCodeFor(role: RoleTarget, deps: CliDeps): Promise<string | undefined> {
  if (!role.mfaSerial) return undefined;
  if (role.mfaCode) return role.mfaCode;
  if (!deps.io.stdinIsTerminal) throw mfaCodeNeeded(role);
  if (deps.askMfaCode) return await deps.askMfaCode(role.label, role.mfaSerial);
  return await askMfaCodeOnTerminal(deps.io, role.label, deps.signal);
}

function savedRoleOf(role: RoleTarget): SavedRole {
  const saved: SavedRole = {
    label: role.label,
    roleArn: role.roleArn,
    origin: role.origin === "aws-config" ? "aws-config" : "xrole",
  };
  if (role.externalId) saved.externalId = role.externalId;
  if (role.sessionName) saved.sessionName = role.sessionName;
  if (role.durationSeconds) saved.durationSeconds = role.durationSeconds;
  if (role.mfaSerial) saved.mfaSerial = role.mfaSerial;
  if (role.region) saved.region = role.region;
  return saved;
}

/** Resolves the source, assumes the role (unless --no-assume) and returns target clients. */
export async function openTarget(target: TargetInput, deps: CliDeps): Promise<OpenedTarget> {
  const log = verboseLog(deps);
  const { env } = deps.io;
  const endpointUrl = deps.globals.endpointUrl;
  const source = await openSource({
    env,
    ...(target.profile ? { profile: target.profile } : {}),
    ...(endpointUrl ? { endpointUrl } : {}),
    ...(target.region ? { region: target.region } : {}),
    ...(log ? { log } : {}),
  });
  const s3Options = (requestTimeoutMs?: number) => ({
    env,
    source,
    ...(endpointUrl ? { endpointUrl } : {}),
    ...(log ? { log } : {}),
    ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
  });
  if (!target.role) {
    const credentials = await source.credentials();
    return {
      source,
      credentials,
      region: source.region,
      sts: () => source.sts,
      s3: (o = {}) => s3For(source, source.region, s3Options(o.requestTimeoutMs)),
    };
  }
  const role = savedRoleOf(target.role);
  const options: AssumeOptions = {
    ...(target.region ? { region: target.region } : {}),
    ...(target.useCache ? { cacheDir: cacheDir(env) } : {}),
    now: () => deps.io.now(),
  };
  // A cached session (still good for 5 minutes) needs no call and no MFA code.
  let session = await cachedSession(source, role, options);
  if (!session) {
    const mfaCode = await mfaCodeFor(target.role, deps);
    if (deps.signal.aborted) throw new InterruptedError();
    session = await assumeTarget(source, role, { ...options, ...(mfaCode ? { mfaCode } : {}) });
  }
  const assumed = session;
  return {
    source,
    session: assumed,
    credentials: assumed.credentials,
    region: assumed.region,
    sts: () =>
      makeStsClient({
        region: assumed.region,
        credentials: assumed.credentials,
        ...(source.endpoints.sts ? { endpoint: source.endpoints.sts } : {}),
        ...(log ? { log } : {}),
      }),
    s3: (o = {}) => s3For(assumed, assumed.region, s3Options(o.requestTimeoutMs)),
  };
}

/** GetCallerIdentity with the target's credentials. */
export function whoAmI(opened: OpenedTarget): Promise<CallerIdentity> {
  return getCallerIdentity(opened.sts());
}
