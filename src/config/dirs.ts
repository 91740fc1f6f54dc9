/**
 * Where xrole's own files and the AWS files live, from an explicit Env (never Deno.env here).
 */
import { isAbsolute, join } from "node:path";
import type { Env } from "../core/env.ts";
import { UsageError } from "../core/errors.ts";

/** The home directory: HOME, else USERPROFILE (Windows). UsageError when neither is set. */
export function homeDir(env: Env, what = "XROLE_CONFIG_DIR"): string {
  const home = env.HOME || env.USERPROFILE;
  if (!home) {
    throw new UsageError(`Cannot find the home directory: set HOME (or ${what})`);
  }
  return home;
}

/** Expand a leading "~/" (or "~\") with the home directory. */
export function expandHome(path: string, env: Env, what: string): string {
  if (path === "~") return homeDir(env, what);
  if (path.startsWith("~/") || path.startsWith("~\\")) {
    return join(homeDir(env, what), path.slice(2));
  }
  return path;
}

function xdg(value: string | undefined): string | undefined {
  // The XDG spec says relative paths are invalid and must be ignored.
  return value && isAbsolute(value) ? value : undefined;
}

/** xrole's config directory: XROLE_CONFIG_DIR > $XDG_CONFIG_HOME/xrole > ~/.config/xrole. */
export function configDir(env: Env): string {
  if (env.XROLE_CONFIG_DIR) return expandHome(env.XROLE_CONFIG_DIR, env, "XROLE_CONFIG_DIR");
  const base = xdg(env.XDG_CONFIG_HOME);
  if (base) return join(base, "xrole");
  return join(homeDir(env, "XROLE_CONFIG_DIR"), ".config", "xrole");
}

/** xrole's cache directory: XROLE_CACHE_DIR > $XDG_CACHE_HOME/xrole > ~/.cache/xrole. */
export function cacheDir(env: Env): string {
  if (env.XROLE_CACHE_DIR) return expandHome(env.XROLE_CACHE_DIR, env, "XROLE_CACHE_DIR");
  const base = xdg(env.XDG_CACHE_HOME);
  if (base) return join(base, "xrole");
  return join(homeDir(env, "XROLE_CACHE_DIR"), ".cache", "xrole");
}

/** The AWS config file: AWS_CONFIG_FILE, else ~/.aws/config. */
export function awsConfigPath(env: Env): string {
  if (env.AWS_CONFIG_FILE) return expandHome(env.AWS_CONFIG_FILE, env, "AWS_CONFIG_FILE");
  return join(homeDir(env, "AWS_CONFIG_FILE"), ".aws", "config");
}

/** The AWS credentials file: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials. */
export function awsCredentialsPath(env: Env): string {
  if (env.AWS_SHARED_CREDENTIALS_FILE) {
    return expandHome(env.AWS_SHARED_CREDENTIALS_FILE, env, "AWS_SHARED_CREDENTIALS_FILE");
  }
  return join(homeDir(env, "AWS_SHARED_CREDENTIALS_FILE"), ".aws", "credentials");
}
