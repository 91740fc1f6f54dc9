/**
 * The real services behind the interactive flow: AWS files, xrole's roles file, the AWS session
 * functions. Loaded lazily by app.ts (static-string import) so tests of the flow need none of it.
 */
import { streamBuckets } from "../aws/s3.ts";
import { withFastLocations } from "../aws/fast_location.ts";
import { explainAwsError } from "../aws/explain.ts";
import { toXroleError } from "../aws/errors.ts";
import { assumeTarget, openSource, s3For, type Source } from "../aws/session.ts";
import type { SavedRole } from "../core/model.ts";
import { loadAwsProfiles } from "../config/aws_files.ts";
import { deleteRole, loadRoles, saveRole } from "../config/roles_store.ts";
import type { AppServices, SourceHandle } from "./app.ts";

export function realServices(): Omit<AppServices, "prompts" | "runTable" | "onInterrupt"> {
  const sources = new WeakMap<SourceHandle, Source>();
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
    assume(handle, role: SavedRole, opts) {
      const source = sources.get(handle);
      if (!source) throw new Error("Unknown source handle");
      return assumeTarget(source, role, opts);
    },
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
