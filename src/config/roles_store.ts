/**
 * xrole's saved roles on disk (roles.ini in the config directory). Writes are locked, re-read
 * under the lock, written to a temp file (0600, fsync) and renamed over the old one, so two
 * xrole processes lose neither change and a failed write leaves the old file intact. A file that
 * does not parse is never rewritten.
 */
import { dirname, join } from "node:path";
import type { Env } from "../core/env.ts";
import type { SavedRole } from "../core/model.ts";
import { ExitCode, UsageError, XroleError } from "../core/errors.ts";
import {
  parseRolesFile,
  removeRole,
  type RoleEntry,
  upsertRole,
  validateSavedRole,
} from "../core/roles_file.ts";
import { quote } from "../core/arn.ts";
import { configDir } from "./dirs.ts";
import { describeFsError, loadAwsProfiles } from "./aws_files.ts";

/** The file operations the store uses; tests inject failures (disk full, permission denied). */
export interface StoreFs {
  readTextFile(path: string): Promise<string>;
  mkdir(path: string, options: { recursive: boolean; mode: number }): Promise<void>;
  /** Create a new file (fails if it exists) with mode, write all of data, fsync, close. */
  writeNewFile(path: string, data: Uint8Array, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** Modification time in ms, or undefined when the file does not exist. */
  mtime(path: string): Promise<number | undefined>;
}

export const denoFs: StoreFs = {
  readTextFile: (path) => Deno.readTextFile(path),
  mkdir: (path, options) => Deno.mkdir(path, options),
  async writeNewFile(path, data, mode) {
    const file = await Deno.open(path, { write: true, createNew: true, mode });
    try {
      let written = 0;
      while (written < data.length) written += await file.write(data.subarray(written));
      await file.sync();
    } finally {
      file.close();
    }
    // The umask may have narrowed the mode, never widened it; make it exact.
    if (Deno.build.os !== "windows") await Deno.chmod(path, mode);
  },
  rename: (from, to) => Deno.rename(from, to),
  remove: (path) => Deno.remove(path),
  async mtime(path) {
    try {
      return (await Deno.stat(path)).mtime?.getTime() ?? 0;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return undefined;
      throw e;
    }
  },
};

export interface StoreOptions {
  fs?: StoreFs;
  /** How long to wait for another xrole's lock (default 5000 ms). */
  lockTimeoutMs?: number;
  /** A lock older than this is stale and broken (default 30000 ms). */
  staleLockMs?: number;
}

/** The roles file: <config dir>/roles.ini. */
export function rolesFilePath(env: Env): string {
  return join(configDir(env), "roles.ini");
}

async function readText(fs: StoreFs, path: string): Promise<string | undefined> {
  try {
    return await fs.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw new UsageError(`Cannot read "${path}": ${describeFsError(e)}`, { cause: e });
  }
}

/** xrole's saved roles (a missing file has none). Throws ConfigParseError for a bad file. */
export async function loadRoles(env: Env, options: StoreOptions = {}): Promise<RoleEntry[]> {
  const path = rolesFilePath(env);
  const text = await readText(options.fs ?? denoFs, path);
  return text === undefined ? [] : parseRolesFile(text, path);
}

function writeError(path: string, e: unknown): XroleError {
  return new XroleError(`Cannot save "${path}": ${describeFsError(e)}`, ExitCode.failure, {
    cause: e,
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Run `fn` holding `<file>.lock` (created exclusively; a stale lock is broken). */
async function withLock<T>(
  path: string,
  options: StoreOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const fs = options.fs ?? denoFs;
  const lock = `${path}.lock`;
  const timeout = options.lockTimeoutMs ?? 5000;
  const stale = options.staleLockMs ?? 30_000;
  const started = Date.now();
  const body = new TextEncoder().encode(`${Deno.pid} ${new Date().toISOString()}\n`);
  for (let attempt = 0;; attempt++) {
    try {
      await fs.writeNewFile(lock, body, 0o600);
      break;
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw writeError(path, e);
      const mtime = await fs.mtime(lock).catch(() => undefined);
      if (mtime !== undefined && Date.now() - mtime > stale) {
        await fs.remove(lock).catch(() => {});
        continue;
      }
      if (Date.now() - started > timeout) {
        throw new XroleError(
          `Cannot save "${path}": another xrole is editing it (lock "${lock}"; remove it if no xrole is running)`,
          ExitCode.failure,
        );
      }
      await sleep(Math.min(20 + attempt * 10, 100) * (0.5 + Math.random()));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.remove(lock).catch(() => {});
  }
}

/** Write text to path atomically: temp file in the same directory (0600, fsync), then rename. */
async function writeAtomic(fs: StoreFs, path: string, text: string): Promise<void> {
  const tmp = join(
    dirname(path),
    `.roles.ini.${Deno.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  try {
    await fs.writeNewFile(tmp, new TextEncoder().encode(text), 0o600);
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.remove(tmp).catch(() => {});
    throw writeError(path, e);
  }
}

/** Apply a text edit to the roles file under the lock; the file is re-read inside the lock. */
async function editRolesFile(
  env: Env,
  options: StoreOptions,
  edit: (text: string, path: string) => string,
): Promise<void> {
  const fs = options.fs ?? denoFs;
  const path = rolesFilePath(env);
  try {
    await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  } catch (e) {
    throw writeError(path, e);
  }
  await withLock(path, options, async () => {
    const text = (await readText(fs, path)) ?? "";
    // Parses (and throws ConfigParseError) before any write: a bad file is never rewritten.
    const next = edit(text, path);
    if (next !== text) await writeAtomic(fs, path, next);
  });
}

/**
 * Save a role. UsageError when it is invalid, or when its label exists and `replace` is not set.
 */
export async function saveRole(
  env: Env,
  role: RoleEntry,
  options: StoreOptions & { replace?: boolean } = {},
): Promise<void> {
  const valid = validateSavedRole({ ...role, origin: "xrole" });
  await editRolesFile(env, options, (text, path) => {
    const exists = parseRolesFile(text, path).some((r) => r.label === valid.label);
    if (exists && !options.replace) {
      throw new UsageError(`Role ${quote(valid.label)} already exists in "${path}"`);
    }
    return upsertRole(text, valid, path);
  });
}

/** Delete a saved role. UsageError when there is no such role. */
export async function deleteRole(
  env: Env,
  label: string,
  options: StoreOptions = {},
): Promise<void> {
  const path = rolesFilePath(env);
  const fs = options.fs ?? denoFs;
  if ((await readText(fs, path)) === undefined) {
    throw new UsageError(`Unknown role ${quote(label)} in "${path}"`);
  }
  await editRolesFile(env, options, (text, p) => removeRole(text, label, p));
}

/**
 * xrole's roles, then the AWS config's role profiles (sorted). On a label clash xrole's role
 * wins and a warning says so. AWS file warnings come from loadAwsProfiles, not from here.
 */
export async function allRoles(
  env: Env,
  options: StoreOptions & { awsRoleProfiles?: SavedRole[] } = {},
): Promise<{ roles: RoleEntry[]; warnings: string[] }> {
  const own = await loadRoles(env, options);
  const aws = options.awsRoleProfiles ?? (await loadAwsProfiles(env)).roleProfiles;
  const labels = new Set(own.map((r) => r.label));
  const warnings: string[] = [];
  const roles: RoleEntry[] = [...own];
  for (const r of aws) {
    if (labels.has(r.label)) {
      warnings.push(
        `Role ${
          quote(r.label)
        } is both saved by xrole and a profile of the AWS config: using xrole's`,
      );
      continue;
    }
    roles.push(r);
  }
  return { roles, warnings };
}
