/**
 * The roles `--role` can name: xrole's saved roles (roles.ini) first, then the role profiles of
 * the AWS config. Private adapter over core/roles_file.ts and core/profiles.ts until the config
 * layer (src/config/) exists; loads no AWS SDK.
 */
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import type { Env } from "../core/env.ts";
import type { SavedRole } from "../core/model.ts";
import { classifyProfiles, type ParsedAwsFiles } from "../core/profiles.ts";
import { parseRolesFile, type RoleEntry } from "../core/roles_file.ts";

/** xrole's config directory: XROLE_CONFIG_DIR > $XDG_CONFIG_HOME/xrole > $HOME/.config/xrole. */
export function configDirOf(env: Env): string {
  if (env.XROLE_CONFIG_DIR) return env.XROLE_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return `${env.XDG_CONFIG_HOME}/xrole`;
  return `${env.HOME || env.USERPROFILE || "."}/.config/xrole`;
}

/** The path of roles.ini for this Env. */
export function rolesFileOf(env: Env): string {
  return `${configDirOf(env)}/roles.ini`;
}

/** The AWS files for this Env (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE honoured). */
export function awsFilesOf(env: Env): { configPath: string; credentialsPath: string } {
  const home = env.HOME || env.USERPROFILE || ".";
  return {
    configPath: env.AWS_CONFIG_FILE || `${home}/.aws/config`,
    credentialsPath: env.AWS_SHARED_CREDENTIALS_FILE || `${home}/.aws/credentials`,
  };
}

/** Reads a text file; a missing file is undefined. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

/** xrole's saved roles (empty when roles.ini does not exist). Throws ConfigParseError. */
export async function loadSavedRoles(env: Env): Promise<RoleEntry[]> {
  const file = rolesFileOf(env);
  const text = await readIfExists(file);
  return text === undefined ? [] : parseRolesFile(text, file);
}

/** The AWS config and credentials files as the SDK parses them. */
export async function loadAwsFiles(env: Env): Promise<ParsedAwsFiles> {
  const { configPath, credentialsPath } = awsFilesOf(env);
  const files = await loadSharedConfigFiles({
    filepath: credentialsPath,
    configFilepath: configPath,
    ignoreCache: true,
  });
  return files as unknown as ParsedAwsFiles;
}

/** Saved roles, then AWS config role profiles whose label is not taken. */
export async function loadRoleList(env: Env): Promise<SavedRole[]> {
  const saved = await loadSavedRoles(env);
  const { roleProfiles } = classifyProfiles(await loadAwsFiles(env), env);
  const taken = new Set(saved.map((r) => r.label));
  return [...saved, ...roleProfiles.filter((r) => !taken.has(r.label))];
}
