/**
 * Cache of assumed-role credentials, so repeated commands within a session's lifetime neither call
 * STS again nor ask for MFA again. One file per (source profile, role ARN, session name, SHA-256 of
 * the External ID) under the cache directory: directory 0700, files 0600, written atomically
 * (temp file + rename), reused until 5 minutes before expiry, ignored and replaced when corrupt.
 * This is the only place xrole writes secrets to disk. No SDK import.
 */
import type { AssumedSession } from "../core/model.ts";

/** What identifies a cached session. `sessionName` is the configured one ("" = derived). */
export interface CacheKey {
  sourceProfile: string;
  roleArn: string;
  sessionName: string;
  externalId?: string;
}

/** Cached credentials are reused until this long before they expire. */
export const CACHE_MARGIN_MS = 5 * 60_000;

const VERSION = 1;

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

interface StoredKey {
  sourceProfile: string;
  roleArn: string;
  sessionName: string;
  externalIdSha256: string;
}

async function storedKey(key: CacheKey): Promise<StoredKey> {
  return {
    sourceProfile: key.sourceProfile,
    roleArn: key.roleArn,
    sessionName: key.sessionName,
    externalIdSha256: key.externalId ? await sha256Hex(key.externalId) : "",
  };
}

/** The cache file for a key: a hash, so no profile or role name appears in file names. */
export async function cacheFile(dir: string, key: CacheKey): Promise<string> {
  const k = await storedKey(key);
  const name = await sha256Hex(
    [k.sourceProfile, k.roleArn, k.sessionName, k.externalIdSha256].join("\0"),
  );
  return `${dir.replace(/[\\/]+$/, "")}/${name.slice(0, 40)}.json`;
}

/** A cached session still good at `now` (5-minute margin), or undefined (missing, stale, corrupt). */
export async function readCachedSession(
  dir: string,
  key: CacheKey,
  now: Date,
): Promise<AssumedSession | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(await cacheFile(dir, key));
  } catch {
    return undefined;
  }
  const session = parseEntry(text, await storedKey(key));
  if (!session) return undefined;
  if (session.credentials.expiration.getTime() - CACHE_MARGIN_MS <= now.getTime()) return undefined;
  return session;
}

function parseEntry(text: string, key: StoredKey): AssumedSession | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== "object" || data === null) return undefined;
  const entry = data as { version?: unknown; key?: Partial<StoredKey>; session?: unknown };
  if (entry.version !== VERSION || !entry.key) return undefined;
  for (const field of Object.keys(key) as (keyof StoredKey)[]) {
    if (entry.key[field] !== key[field]) return undefined;
  }
  const s = entry.session as Record<string, unknown> | undefined;
  const c = s?.credentials as Record<string, unknown> | undefined;
  const strings = (o: Record<string, unknown> | undefined, names: string[]) =>
    o !== undefined && names.every((n) => typeof o[n] === "string" && o[n] !== "");
  if (
    !s || !c ||
    !strings(c, ["accessKeyId", "secretAccessKey", "sessionToken", "expiration"]) ||
    !strings(s, ["assumedRoleArn", "accountId", "roleArn", "sessionName", "region"])
  ) {
    return undefined;
  }
  const expiration = new Date(c.expiration as string);
  if (Number.isNaN(expiration.getTime())) return undefined;
  return {
    credentials: {
      accessKeyId: c.accessKeyId as string,
      secretAccessKey: c.secretAccessKey as string,
      sessionToken: c.sessionToken as string,
      expiration,
    },
    assumedRoleArn: s.assumedRoleArn as string,
    assumedRoleId: typeof s.assumedRoleId === "string" ? s.assumedRoleId : "",
    accountId: s.accountId as string,
    roleArn: s.roleArn as string,
    sessionName: s.sessionName as string,
    region: s.region as string,
  };
}

/** Make the cache directory (0700, also tightened when it already exists). */
async function ensureDir(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  if (Deno.build.os !== "windows") await Deno.chmod(dir, 0o700);
}

/** Store a session (atomically, 0600). */
export async function writeCachedSession(
  dir: string,
  key: CacheKey,
  session: AssumedSession,
): Promise<void> {
  await ensureDir(dir);
  const file = await cacheFile(dir, key);
  const entry = {
    version: VERSION,
    key: await storedKey(key),
    session: {
      ...session,
      credentials: {
        ...session.credentials,
        expiration: session.credentials.expiration.toISOString(),
      },
    },
  };
  const random = crypto.getRandomValues(new Uint32Array(2)).join("");
  const temp = `${file}.${random}.tmp`;
  try {
    await Deno.writeTextFile(temp, JSON.stringify(entry), { mode: 0o600, createNew: true });
    if (Deno.build.os !== "windows") await Deno.chmod(temp, 0o600);
    await Deno.rename(temp, file);
  } catch (err) {
    await Deno.remove(temp).catch(() => {});
    throw err;
  }
}

/** Delete the entry of one key (a session AWS refused); a missing entry is fine. */
export async function forgetCachedSession(dir: string, key: CacheKey): Promise<void> {
  await Deno.remove(await cacheFile(dir, key)).catch(() => {});
}

/** Delete every cache entry; returns how many were removed. A missing directory is empty. */
export async function clearCache(dir: string): Promise<number> {
  let removed = 0;
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && /\.json(\.\d+\.tmp)?$/.test(entry.name)) {
        await Deno.remove(`${dir}/${entry.name}`);
        removed++;
      }
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return 0;
    throw err;
  }
  return removed;
}

/**
 * The cached session for `key` when still good, else `assume()` and cache its result. A cache
 * that cannot be written (read-only disk) does not fail the command.
 */
export async function cachedAssume(
  dir: string,
  key: CacheKey,
  now: Date,
  assume: () => Promise<AssumedSession>,
): Promise<{ session: AssumedSession; fromCache: boolean }> {
  const cached = await readCachedSession(dir, key, now);
  if (cached) return { session: cached, fromCache: true };
  const session = await assume();
  await writeCachedSession(dir, key, session).catch(() => {});
  return { session, fromCache: false };
}
