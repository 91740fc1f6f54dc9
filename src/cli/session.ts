/**
 * Opening a target for the commands: source credentials → (AssumeRole) → clients for the target
 * account, through src/aws/session.ts. Heavy (imports the AWS modules): command modules load it
 * with a static `await import("./session.ts")` only when they run, so flag errors never load the
 * SDK.
 */
import { makeStsClient } from "../aws/clients.ts";
import { assumeChain as assumeRoleChain } from "../aws/assume_chain.ts";
import type { S3Like } from "../aws/s3.ts";
import type * as S3ClientModule from "../aws/s3_client.ts";
import { forgetCachedSession } from "../aws/cache.ts";
import {
  type AssumeOptions,
  assumeTarget,
  cachedSession,
  cacheKeyFor,
  openSource,
  type Source,
} from "../aws/session.ts";
import { cacheDir } from "../config/dirs.ts";
import { getCallerIdentity, type StsLike } from "../aws/sts.ts";
import { InterruptedError, isExpiredSessionCode } from "../core/errors.ts";
import type { AssumedSession, CallerIdentity, Credentials, SavedRole } from "../core/model.ts";
import { type CliDeps, verboseLog } from "./deps.ts";
import { askMfaCodeOnTerminal } from "./mfa_prompt.ts";
import { mfaCodeNeeded, type RoleTarget, type TargetInput } from "./target.ts";
import { checkChainDurations, roleChain } from "./chain.ts";
import { loadRoleList } from "./role_list.ts";

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

export interface OpenTargetHooks {
  /** The source's GetCallerIdentity, sent before the SDK loaded (cli/early_identity.ts). */
  earlyIdentity?: Promise<CallerIdentity | undefined>;
  /**
   * Called once, as the first STS request goes out: the caller can start loading what it needs
   * next (module evaluation then overlaps the round trip instead of delaying the request).
   */
  whileAssuming?: () => void;
}

/** Resolves the source, assumes the role (unless --no-assume) and returns target clients. */
export async function openTarget(
  target: TargetInput,
  deps: CliDeps,
  hooks: OpenTargetHooks = {},
): Promise<OpenedTarget> {
  const log = verboseLog(deps);
  const { env } = deps.io;
  const endpointUrl = deps.globals.endpointUrl;
  // A role with `via` is assumed through its chain (chain.ts); the chain's first role names the
  // default source profile.
  const chain = target.role?.via ? await chainOf(target.role, env) : undefined;
  const profile = target.profile ?? chain?.[0]?.sourceProfile;
  // The S3 half of the SDK loads while STS answers rather than before the first request: ~20 ms
  // off every listing's start (awaited below; a cached session sends nothing and loads it there).
  let s3Loading: Promise<typeof S3ClientModule> | undefined;
  const loadS3 = () => {
    if (!s3Loading) {
      s3Loading = import("../aws/s3_client.ts");
      s3Loading.catch(() => {}); // a failed assume must not leave it unhandled
      hooks.whileAssuming?.();
    }
    return s3Loading;
  };
  const source = await openSource({
    onSend: () => void loadS3(),
    ...(hooks.earlyIdentity ? { earlyIdentity: hooks.earlyIdentity } : {}),
    env,
    ...(profile ? { profile } : {}),
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
    const { s3For } = await loadS3();
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
  let session = chain
    ? await assumeChain(source, [...chain.slice(0, -1), role], target.role, options, deps)
    : await cachedSession(source, role, options);
  const fromCache = !chain && session !== undefined;
  if (!session) {
    const mfaCode = await mfaCodeFor(target.role, deps);
    if (deps.signal.aborted) throw new InterruptedError();
    session = await assumeTarget(source, role, { ...options, ...(mfaCode ? { mfaCode } : {}) });
  }
  const assumed = session;
  const { s3For } = await loadS3();
  // A cached session AWS refuses (revoked, or expired early) is removed, so the next run assumes
  // the role again instead of failing until the cached expiry.
  const cacheDirUsed = options.cacheDir;
  const guard = <C extends { send: unknown }>(client: C): C =>
    fromCache && cacheDirUsed
      ? forgetOnRefusal(
        client,
        () => forgetCachedSession(cacheDirUsed, cacheKeyFor(source, role, options)),
      )
      : client;
  return {
    source,
    session: assumed,
    credentials: assumed.credentials,
    region: assumed.region,
    sts: () =>
      guard(makeStsClient({
        region: assumed.region,
        credentials: assumed.credentials,
        ...(source.endpoints.sts ? { endpoint: source.endpoints.sts } : {}),
        ...(log ? { log } : {}),
      })),
    s3: (o = {}) => guard(s3For(assumed, assumed.region, s3Options(o.requestTimeoutMs))),
  };
}

/**
 * Wraps `client.send`: when AWS refuses the credentials themselves, `forget()` runs and the
 * error says that the next run will assume the role again.
 */
export function forgetOnRefusal<C extends { send: unknown }>(
  client: C,
  forget: () => Promise<void>,
): C {
  const send = (client.send as (...args: unknown[]) => Promise<unknown>).bind(client);
  (client as { send: unknown }).send = async (...args: unknown[]) => {
    try {
      return await send(...args);
    } catch (err) {
      const name = (err as { name?: unknown })?.name;
      if (typeof name === "string" && isExpiredSessionCode(name) && err instanceof Error) {
        await forget();
        err.message = `${
          err.message.replace(/\.?$/, ".")
        } The cached session was removed: run the command again`;
      }
      throw err;
    }
  };
  return client;
}

/** GetCallerIdentity with the target's credentials. */
export function whoAmI(opened: OpenedTarget): Promise<CallerIdentity> {
  return getCallerIdentity(opened.sts());
}

/** The chain of saved roles for a role with `via`, the last one being the role itself. */
async function chainOf(role: RoleTarget, env: CliDeps["io"]["env"]): Promise<SavedRole[]> {
  const roles = await loadRoleList(env);
  const others = roles.filter((r) => r.label !== role.label);
  return roleChain(role.label, [...others, { ...savedRoleOf(role), via: role.via ?? "" }]);
}

/**
 * Assumes the roles of `chain` in turn through the loop shared with the TUI
 * (src/aws/assume_chain.ts): each step cached, the MFA code asked once. Durations above the
 * chained-session cap are refused before any request.
 */
async function assumeChain(
  source: Source,
  chain: SavedRole[],
  target: RoleTarget,
  options: AssumeOptions,
  deps: CliDeps,
): Promise<AssumedSession> {
  checkChainDurations(chain);
  const log = verboseLog(deps);
  const { session } = await assumeRoleChain(source, chain, {
    ...options,
    askMfaCode: (role) =>
      mfaCodeFor({ ...target, label: role.label, mfaSerial: role.mfaSerial ?? "" }, deps),
    signal: deps.signal,
    ...(log ? { log } : {}),
  });
  return session;
}
