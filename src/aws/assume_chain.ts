/**
 * Assuming a saved role through its `via` chain, shared by the CLI (src/cli/session.ts) and the
 * interactive flow (src/ui/adapters.ts): each role is assumed with the previous one's
 * credentials (the first with the source's), each step cached like a single assume, and the MFA
 * code asked once, for the first role that names a device and has no cached session. A chain of
 * one role is a plain cached assume.
 *
 * The chain itself (labels resolved, cycles and durations checked) comes from src/cli/chain.ts.
 */
import { forgetCachedSession } from "./cache.ts";
import { makeStsClient } from "./clients.ts";
import {
  type AssumeOptions,
  assumeTarget,
  cachedSession,
  cacheKeyFor,
  type Source,
} from "./session.ts";
import { getCallerIdentity } from "./sts.ts";
import { InterruptedError } from "../core/errors.ts";
import type { AssumedSession, CallerIdentity, SavedRole } from "../core/model.ts";

export interface ChainAssumeOptions extends Omit<AssumeOptions, "mfaCode"> {
  /**
   * The MFA code for `role` (the first role of the chain that names a device and is not cached);
   * called at most once per chain. Undefined: the assume fails saying a code is needed.
   */
  askMfaCode(role: SavedRole): Promise<string | undefined>;
  /**
   * Assume the last role again even when the cache holds a session for it (AWS refused that
   * session): its entry is removed first. Earlier roles still come from the cache.
   */
  refresh?: boolean;
  /** Checked before each AssumeRole call: aborted → InterruptedError. */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface ChainAssumed {
  /** The last role's session. */
  session: AssumedSession;
  /** The last role's session came from the credential cache (no AssumeRole call for it). */
  cached: boolean;
}

/**
 * Assumes each role of `chain` in turn (see the module comment). `options.region` applies to the
 * last role; the others use their own region, else the previous step's.
 */
export async function assumeChain(
  source: Source,
  chain: readonly SavedRole[],
  options: ChainAssumeOptions,
): Promise<ChainAssumed> {
  const { askMfaCode, refresh, signal, log, ...assume } = options;
  let current = source;
  let mfaCode: string | undefined;
  let asked = false;
  let result: ChainAssumed | undefined;
  for (const [i, role] of chain.entries()) {
    const last = i === chain.length - 1;
    const opts = stepOptions(assume, role, last, current, result?.session);
    if (last && refresh && opts.cacheDir) {
      await forgetCachedSession(opts.cacheDir, cacheKeyFor(current, role, opts)).catch(() => {});
    }
    let next = await cachedSession(current, role, opts);
    const cached = next !== undefined;
    if (!next) {
      if (role.mfaSerial && !asked) {
        asked = true;
        mfaCode = await askMfaCode(role);
      }
      if (signal?.aborted) throw new InterruptedError();
      next = await assumeTarget(current, role, {
        ...opts,
        ...(role.mfaSerial && mfaCode ? { mfaCode } : {}),
      });
    }
    result = { session: next, cached };
    if (!last) {
      current = sessionAsSource(next, `${current.profileName} > ${role.label}`, current, log);
    }
  }
  if (!result) throw new Error("Empty role chain");
  return result;
}

/**
 * One step's options (they make its cache key): the last role gets `options.region`, the others
 * their own region, else the previous step's; a role without a session name keeps the previous
 * session's.
 */
function stepOptions(
  assume: AssumeOptions,
  role: SavedRole,
  last: boolean,
  current: Source,
  previous: AssumedSession | undefined,
): AssumeOptions {
  return {
    ...assume,
    ...(last ? {} : { region: role.region || current.region }),
    ...(previous && !role.sessionName ? { sessionName: previous.sessionName } : {}),
  };
}

/**
 * The last role's session when every step of `chain` is in the credential cache (no request),
 * else undefined: the same keys as `assumeChain`, so a chain assumed there is reused here (the
 * combined listing then needs no MFA code for it).
 */
export async function cachedChain(
  source: Source,
  chain: readonly SavedRole[],
  options: Omit<AssumeOptions, "mfaCode"> & { log?: (line: string) => void },
): Promise<AssumedSession | undefined> {
  const { log, ...assume } = options;
  let current = source;
  let previous: AssumedSession | undefined;
  for (const [i, role] of chain.entries()) {
    const last = i === chain.length - 1;
    const session = await cachedSession(
      current,
      role,
      stepOptions(assume, role, last, current, previous),
    );
    if (!session) return undefined;
    if (last) return session;
    previous = session;
    current = sessionAsSource(session, `${current.profileName} > ${role.label}`, current, log);
  }
  return undefined;
}

/** An assumed session used as the source of the next role in a chain. */
export function sessionAsSource(
  session: AssumedSession,
  name: string,
  previous: Source,
  log?: (line: string) => void,
): Source {
  const sts = makeStsClient({
    region: session.region,
    credentials: session.credentials,
    ...(previous.endpoints.sts ? { endpoint: previous.endpoints.sts } : {}),
    ...(log ? { log } : {}),
  });
  let identity: Promise<CallerIdentity> | undefined;
  return {
    profileName: name,
    region: session.region,
    credentials: () => Promise.resolve(session.credentials),
    sts,
    endpoints: previous.endpoints,
    whoami() {
      identity ??= getCallerIdentity(sts);
      return identity;
    },
  };
}
