/**
 * The real services behind the interactive flow: AWS files, xrole's roles file, the AWS session
 * functions. Loaded lazily by app.ts (static-string import) so tests of the flow need none of it.
 */
import { streamBuckets } from "../aws/s3.ts";
import { withFastLocations } from "../aws/fast_location.ts";
import { explainAwsError } from "../aws/explain.ts";
import { toXroleError } from "../aws/errors.ts";
import { openSource, type Source } from "../aws/session.ts";
import { s3For } from "../aws/s3_client.ts";
import { assumeChain } from "../aws/assume_chain.ts";
import { federatedSigninUrl } from "../aws/federation.ts";
import { openInBrowser } from "../cli/console.ts";
import { cacheDir } from "../config/dirs.ts";
import { parseRoleArn } from "../core/arn.ts";
import type { Env } from "../core/env.ts";
import { loadAwsProfiles } from "../config/aws_files.ts";
import { deleteRole, loadRoles, saveRole } from "../config/roles_store.ts";
import type { AppServices, SourceHandle } from "./app.ts";

/**
 * The credential cache directory, or undefined when there is none to use (no HOME and no
 * XROLE_CACHE_DIR / XDG_CACHE_HOME): the flow then assumes every time, as with --no-cache.
 */
export function usableCacheDir(env: Env): string | undefined {
  try {
    return cacheDir(env);
  } catch {
    return undefined;
  }
}

export function realServices(): Omit<AppServices, "prompts" | "runTable" | "onInterrupt"> {
  const sources = new WeakMap<SourceHandle, Source>();
  const sourceOf = (handle: SourceHandle): Source => {
    const source = sources.get(handle);
    if (!source) throw new Error("Unknown source handle");
    return source;
  };
  return {
    async loadProfiles(env) {
      const { profiles, roleProfiles, warnings } = await loadAwsProfiles(env);
      return { profiles, roleProfiles, warnings };
    },
    loadRoles: (env) => loadRoles(env),
    saveRole: (env, role, replace) => saveRole(env, role, { replace }),
    deleteRole: (env, label) => deleteRole(env, label),
    async openSource(opts) {
      const source = await openSource(opts);
      const handle: SourceHandle = {
        profileName: source.profileName,
        region: source.region,
        whoami: () => source.whoami(),
      };
      sources.set(handle, source);
      return handle;
    },
    async assume(handle, chain, opts) {
      const dir = usableCacheDir(opts.env);
      return await assumeChain(sourceOf(handle), chain, {
        ...(dir ? { cacheDir: dir } : {}),
        now: opts.now,
        askMfaCode: opts.askMfaCode,
        ...(opts.refresh ? { refresh: true } : {}),
      });
    },
    async signinUrl(handle, session, opts) {
      const source = sourceOf(handle);
      return await federatedSigninUrl(session.credentials, {
        partition: parseRoleArn(session.roleArn).partition,
        region: session.region,
        ...(source.endpoints.sts ? { endpointOverride: source.endpoints.sts } : {}),
        signal: opts.signal,
      });
    },
    openBrowser: (url) => openInBrowser(url),
    async listBuckets(handle, session, opts, signal, emit) {
      const source = sources.get(handle);
      const s3 = withFastLocations(s3For(session, session.region, {
        env: opts.env,
        ...(source ? { source } : {}),
        ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
      }));
      try {
        await streamBuckets(s3, { signal }, emit);
      } catch (err) {
        throw toXroleError(err, "ListBuckets");
      }
    },
    explain: (code, message) => explainAwsError(code, message),
  };
}
