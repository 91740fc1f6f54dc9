/**
 * The real services behind the interactive flow: AWS files, xrole's roles file, the AWS session
 * functions. Loaded lazily by app.ts (static-string import) so tests of the flow need none of it.
 *
 * Temporary: reading the AWS files and the roles file is done here until src/config/ lands
 * (aws_files.ts, roles_store.ts); then these delegate to it.
 */
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import { streamBuckets } from "../aws/s3.ts";
import { explainAwsError } from "../aws/explain.ts";
import { toXroleError } from "../aws/errors.ts";
import { assumeTarget, awsFilePaths, openSource, s3For, type Source } from "../aws/session.ts";
import type { Env } from "../core/env.ts";
import type { SavedRole } from "../core/model.ts";
import { classifyProfiles } from "../core/profiles.ts";
import { parseRolesFile, removeRole, upsertRole } from "../core/roles_file.ts";
import type { AppServices, SourceHandle } from "./app.ts";

/** xrole's config directory: XROLE_CONFIG_DIR > $XDG_CONFIG_HOME/xrole > ~/.config/xrole. */
export function configDir(env: Env): string {
  if (env.XROLE_CONFIG_DIR) return env.XROLE_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return `${env.XDG_CONFIG_HOME}/xrole`;
  const home = env.HOME || env.USERPROFILE || ".";
  return `${home}/.config/xrole`;
}

function rolesPath(env: Env): string {
  return `${configDir(env)}/roles.ini`;
}

async function readText(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return "";
    throw err;
  }
}

/** Atomic write: a temp file next to the target (mode 0600), then rename. */
async function writeAtomic(path: string, text: string): Promise<void> {
  const dir = path.slice(0, path.lastIndexOf("/"));
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeTextFile(tmp, text, { mode: 0o600 });
    await Deno.rename(tmp, path);
  } catch (err) {
    await Deno.remove(tmp).catch(() => {});
    throw err;
  }
}

export function realServices(): Omit<AppServices, "prompts" | "runTable" | "onInterrupt"> {
  const sources = new WeakMap<SourceHandle, Source>();
  return {
    async loadProfiles(env) {
      const paths = awsFilePaths(env);
      const parsed = await loadSharedConfigFiles({
        filepath: paths.credentialsPath,
        configFilepath: paths.configPath,
        ignoreCache: true,
      });
      return classifyProfiles(parsed, env);
    },
    async loadRoles(env) {
      const path = rolesPath(env);
      return parseRolesFile(await readText(path), path);
    },
    async saveRole(env, role) {
      const path = rolesPath(env);
      const text = await readText(path);
      await writeAtomic(path, upsertRole(text, role, path));
    },
    async deleteRole(env, label) {
      const path = rolesPath(env);
      const text = await readText(path);
      await writeAtomic(path, removeRole(text, label, path));
    },
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
      const s3 = s3For(session, session.region, {
        env: opts.env,
        ...(source ? { source } : {}),
        ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
      });
      try {
        await streamBuckets(s3, { signal }, emit);
      } catch (err) {
        throw toXroleError(err, "ListBuckets");
      }
    },
    explain: (code, message) => explainAwsError(code, message),
  };
}
