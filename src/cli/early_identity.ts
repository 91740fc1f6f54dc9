/**
 * Starts the source's GetCallerIdentity before the SDK loads (aws/early_identity.ts) when the
 * command will need it: a role to assume directly, with no session name of its own and no cached
 * session to reuse. Light on purpose (no SDK): `openTargetEarly` sends it, then loads session.ts
 * and hands the promise to openTarget.
 */
import { readCachedSession } from "../aws/cache.ts";
import { earlyCallerIdentity } from "../aws/early_identity.ts";
import { DEFAULT_CHAIN_PROFILE, sourceSettings } from "../aws/source_settings.ts";
import { cacheDir } from "../config/dirs.ts";
import type { CallerIdentity } from "../core/model.ts";
import type { CliDeps } from "./deps.ts";
import type { TargetInput } from "./target.ts";
import type { OpenedTarget, OpenTargetHooks } from "./session.ts";

/** A request in flight (wrapped: an async function cannot return a promise unawaited). */
export interface EarlyIdentity {
  identity: Promise<CallerIdentity | undefined>;
}

/** The identity request, sent; undefined when none is needed or possible. */
export async function startEarlyIdentity(
  target: TargetInput,
  deps: CliDeps,
): Promise<EarlyIdentity | undefined> {
  const role = target.role;
  // --verbose logs every request through the SDK; a chain derives names from its own steps.
  if (!role || role.sessionName || role.via || deps.globals.verbose) return undefined;
  const { env } = deps.io;
  try {
    const settings = await sourceSettings({
      env,
      ...(target.profile ? { profile: target.profile } : {}),
      ...(deps.globals.endpointUrl ? { endpointUrl: deps.globals.endpointUrl } : {}),
      ...(target.region ? { region: target.region } : {}),
    });
    if (target.useCache) {
      // The cache key of session.ts's cacheKeyFor for a derived session name.
      const cached = await readCachedSession(cacheDir(env), {
        sourceProfile: settings.profile ?? DEFAULT_CHAIN_PROFILE,
        roleArn: role.roleArn,
        sessionName: "",
        ...(role.externalId ? { externalId: role.externalId } : {}),
      }, deps.io.now());
      if (cached) return undefined;
    }
    return { identity: earlyCallerIdentity(settings, env, deps.io.now) };
  } catch {
    return undefined; // openTarget meets the same problem and reports it
  }
}

/**
 * `openTarget` (session.ts, loaded here) with the source's identity asked before the SDK loads
 * when the default session name will need it: what every command that assumes a role calls.
 */
export async function openTargetEarly(
  target: TargetInput,
  deps: CliDeps,
  hooks: OpenTargetHooks = {},
): Promise<OpenedTarget> {
  const early = await startEarlyIdentity(target, deps);
  const { openTarget } = await import("./session.ts");
  return await openTarget(target, deps, {
    ...hooks,
    ...(early ? { earlyIdentity: early.identity } : {}),
  });
}
