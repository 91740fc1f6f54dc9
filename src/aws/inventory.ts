/**
 * Every account at once: assume each selected role (a few at a time), list and locate every
 * bucket in each account, and stream the rows tagged with the role and its account.
 *
 * MFA is asked once per (source profile, MFA device): GetSessionToken with the code gives an MFA
 * session, and the MFA roles are assumed with that session's credentials (not role chaining, so
 * no one-hour cap), so ten MFA accounts cost one code. A role with `via` is assumed through its
 * chain (aws/assume_chain.ts, each step cached); its device is that of the chain's first role
 * naming one, and an MFA session starts the whole chain. A role that fails (a chain that cannot
 * be resolved included) becomes one failure event; the others go on.
 *
 * The orchestration (`prepareInventory`, `runInventory`) takes its AWS calls as injected
 * services; `sdkInventoryServices` (at the end) wires the real ones.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { parseRoleArn } from "../core/arn.ts";
import type { Env } from "../core/env.ts";
import { formatError, InterruptedError, XroleError } from "../core/errors.ts";
import type { AssumedSession, Credentials, RowUpdate, SavedRole } from "../core/model.ts";
import { assumeChain, cachedChain } from "./assume_chain.ts";
import { makeStsClient } from "./clients.ts";
import { type RegionMode, streamBuckets } from "./s3.ts";
import {
  type AssumeOptions,
  assumeTarget,
  cachedSession,
  sharedSources,
  type Source,
} from "./session.ts";
import { s3For } from "./s3_client.ts";
import { getSessionToken } from "./sts.ts";

/** Roles assumed and listed at once (each listing has its own pool of region lookups). */
export const INVENTORY_CONCURRENCY = 4;

/** One role to list. */
export interface InventoryItem {
  role: SavedRole;
  /** The source profile to start from (undefined: AWS_PROFILE, then the default chain). */
  profile?: string;
  /**
   * A role with `via`: the roles to assume in turn, the last being `role` (cli/chain.ts
   * `roleChain`, durations checked). Absent: `role` is assumed directly.
   */
  chain?: readonly SavedRole[];
  /**
   * Why the role cannot be assumed, found before any request (unknown via, a cycle, a chained
   * duration over the cap): it becomes the role's failure row, not the listing's failure.
   */
  error?: unknown;
}

/** The role whose MFA device the item needs: the first of its chain that names one. */
export function mfaRoleOf(item: InventoryItem): SavedRole | undefined {
  return (item.chain ?? [item.role]).find((r) => r.mfaSerial);
}

/** An MFA device that needs one code for some roles. */
export interface MfaDevice {
  profile?: string;
  mfaSerial: string;
  /** Labels of the roles behind it. */
  roles: string[];
}

/** What the orchestration needs from AWS and from the person at the keyboard. */
export interface InventoryServices {
  /** A cached session still good (no call, no MFA code needed), or undefined. */
  cached(item: InventoryItem): Promise<AssumedSession | undefined>;
  /** The MFA code for a device: asked once, whatever the number of roles behind it. */
  mfaCode(device: MfaDevice): Promise<string>;
  /** GetSessionToken with the source's long-term credentials and the MFA code. */
  mfaSession(profile: string | undefined, mfaSerial: string, code: string): Promise<Credentials>;
  /**
   * AssumeRole with the source's credentials, or with an MFA session's (no MFA parameters); a
   * chained item through its chain, the MFA session (if any) assuming its first role.
   */
  assume(item: InventoryItem, mfaSession: Credentials | undefined): Promise<AssumedSession>;
  /** ListBuckets then the region lookups in the session's account, as RowUpdate events. */
  listBuckets(
    item: InventoryItem,
    session: AssumedSession,
    signal: AbortSignal,
    emit: (u: RowUpdate) => void,
  ): Promise<void>;
}

/** A role ready to run: a cached session, an MFA session to assume with, or why it cannot. */
export interface PreparedItem {
  item: InventoryItem;
  account: string;
  cached?: AssumedSession;
  mfaSession?: Credentials;
  failure?: RoleFailure;
}

/** Why a role produced no buckets. */
export interface RoleFailure {
  code: string;
  message: string;
  exitCode: number;
}

/** What the combined listing emits: bucket updates tagged with their role, or a failed role. */
export type InventoryEvent =
  | { type: "role-update"; role: string; account: string; update: RowUpdate }
  | { type: "role-failed"; role: string; account: string; code: string; message: string };

export interface InventorySummary {
  roles: number;
  failed: { role: string; account: string; failure: RoleFailure }[];
}

export interface InventoryOptions {
  /** Roles in flight at once (default INVENTORY_CONCURRENCY). */
  concurrency?: number;
  signal?: AbortSignal;
}

function accountOf(role: SavedRole): string {
  try {
    return parseRoleArn(role.roleArn).accountId;
  } catch {
    return "";
  }
}

/** An error as a role failure (its AWS code, else the error's kind); Ctrl-C is rethrown. */
export function roleFailure(err: unknown): RoleFailure {
  if (err instanceof InterruptedError) throw err;
  const code = typeof (err as { code?: unknown })?.code === "string"
    ? (err as { code: string }).code
    : err instanceof Error
    ? err.name
    : "Error";
  return {
    code,
    message: formatError(err),
    exitCode: err instanceof XroleError ? err.exitCode : 1,
  };
}

function deviceKey(profile: string | undefined, serial: string): string {
  return `${profile ?? ""}\n${serial}`;
}

/**
 * Before the listing: look up cached sessions, then for each MFA device still needed ask the code
 * once and call GetSessionToken once. A refused code fails that device's roles (not the others).
 * Errors from asking (no terminal, Ctrl-C) propagate.
 */
export async function prepareInventory(
  items: readonly InventoryItem[],
  services: Pick<InventoryServices, "cached" | "mfaCode" | "mfaSession">,
): Promise<PreparedItem[]> {
  const prepared: PreparedItem[] = [];
  for (const item of items) {
    const p: PreparedItem = { item, account: accountOf(item.role) };
    if (item.error !== undefined) {
      p.failure = roleFailure(item.error);
      prepared.push(p);
      continue;
    }
    try {
      const cached = await services.cached(item);
      if (cached) p.cached = cached;
    } catch (err) {
      if (err instanceof InterruptedError) throw err;
      // A cache that cannot be read is only a missed shortcut.
    }
    prepared.push(p);
  }
  const devices = new Map<string, { device: MfaDevice; waiting: PreparedItem[] }>();
  for (const p of prepared) {
    // A chain needs the code where AWS checks it: its first role naming a device.
    const serial = mfaRoleOf(p.item)?.mfaSerial;
    if (!serial || p.cached || p.failure) continue;
    const key = deviceKey(p.item.profile, serial);
    let entry = devices.get(key);
    if (!entry) {
      const device: MfaDevice = { mfaSerial: serial, roles: [] };
      if (p.item.profile !== undefined) device.profile = p.item.profile;
      entry = { device, waiting: [] };
      devices.set(key, entry);
    }
    entry.device.roles.push(p.item.role.label);
    entry.waiting.push(p);
  }
  for (const { device, waiting } of devices.values()) {
    const code = await services.mfaCode(device);
    try {
      const session = await services.mfaSession(device.profile, device.mfaSerial, code);
      for (const p of waiting) p.mfaSession = session;
    } catch (err) {
      const failure = roleFailure(err);
      for (const p of waiting) p.failure = failure;
    }
  }
  return prepared;
}

/**
 * Assume and list every prepared role, `concurrency` at a time, emitting tagged updates as they
 * come. Never rejects for one role's failure (that role gets one `role-failed` event); rejects
 * with InterruptedError when `signal` aborts.
 */
export async function runInventory(
  prepared: readonly PreparedItem[],
  services: Pick<InventoryServices, "assume" | "listBuckets">,
  options: InventoryOptions,
  emit: (e: InventoryEvent) => void,
): Promise<InventorySummary> {
  const signal = options.signal ?? new AbortController().signal;
  const limit = Math.max(1, Math.floor(options.concurrency ?? INVENTORY_CONCURRENCY));
  const summary: InventorySummary = { roles: prepared.length, failed: [] };
  const fail = (p: PreparedItem, failure: RoleFailure) => {
    const role = p.item.role.label;
    summary.failed.push({ role, account: p.account, failure });
    emit({
      type: "role-failed",
      role,
      account: p.account,
      code: failure.code,
      message: failure.message,
    });
  };
  let next = 0;
  const worker = async () => {
    while (next < prepared.length && !signal.aborted) {
      const p = prepared[next++]!;
      if (p.failure) {
        fail(p, p.failure);
        continue;
      }
      const role = p.item.role.label;
      try {
        const session = p.cached ?? await services.assume(p.item, p.mfaSession);
        const account = session.accountId || p.account;
        if (signal.aborted) break;
        await services.listBuckets(p.item, session, signal, (update) => {
          if (!signal.aborted) emit({ type: "role-update", role, account, update });
        });
      } catch (err) {
        if (signal.aborted) break;
        fail(p, roleFailure(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, prepared.length) }, worker));
  if (signal.aborted) throw new InterruptedError();
  return summary;
}

/** Settings of the real services. */
export interface SdkInventoryOptions {
  env: Env;
  endpointUrl?: string;
  /** `--region`: the region for every role's calls (default: each role's, then the source's). */
  region?: string;
  /** Credential cache directory (omit for --no-cache). */
  cacheDir?: string;
  now?: () => Date;
  log?: (line: string) => void;
  /** Region lookups per account (see aws/s3.ts). */
  lookupConcurrency?: number;
  regions?: RegionMode;
  timeoutMs?: number;
  mfaCode(device: MfaDevice): Promise<string>;
}

/** The real services: one opened source per profile, the SDK clients, the credential cache. */
export function sdkInventoryServices(opts: SdkInventoryOptions): InventoryServices {
  const open = sharedSources();
  const source = (profile: string | undefined): Promise<Source> =>
    open({
      env: opts.env,
      ...(profile ? { profile } : {}),
      ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
      ...(opts.region ? { region: opts.region } : {}),
      ...(opts.log ? { log: opts.log } : {}),
    });
  const logOption = opts.log ? { log: opts.log } : {};
  const assumeOptions = (): AssumeOptions => ({
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return {
    async cached(item) {
      if (!opts.cacheDir) return undefined;
      const s = await source(item.profile);
      if (item.chain && item.chain.length > 1) {
        return await cachedChain(s, item.chain, { ...assumeOptions(), ...logOption });
      }
      return await cachedSession(s, item.role, assumeOptions());
    },
    mfaCode: (device) => opts.mfaCode(device),
    async mfaSession(profile, mfaSerial, code) {
      const s = await source(profile);
      return await getSessionToken(s.sts, { mfaSerial, mfaCode: code });
    },
    async assume(item, mfaSession) {
      const s = await source(item.profile);
      const chained = item.chain && item.chain.length > 1;
      if (!mfaSession) {
        if (!chained) return await assumeTarget(s, item.role, assumeOptions());
        // No device left to ask (prepareInventory found none needed): a step that still wants a
        // code fails saying so rather than prompting in the middle of the listing.
        return (await assumeChain(s, item.chain!, {
          ...assumeOptions(),
          ...logOption,
          askMfaCode: () => Promise.resolve(undefined),
        })).session;
      }
      // The MFA session satisfies the role's MFA condition: assume without SerialNumber/TokenCode.
      // Same profile name, so the same cache entries as a plain assume of these roles.
      const viaMfa: Source = {
        ...s,
        sts: makeStsClient({
          region: s.region,
          credentials: mfaSession,
          ...(s.endpoints.sts ? { endpoint: s.endpoints.sts } : {}),
          ...(opts.log ? { log: opts.log } : {}),
        }),
      };
      const withoutMfa = (r: SavedRole): SavedRole => {
        const copy = { ...r };
        delete copy.mfaSerial;
        return copy;
      };
      if (!chained) return await assumeTarget(viaMfa, withoutMfa(item.role), assumeOptions());
      // The chain starts from the MFA session: its sessions carry that MFA context onwards, so
      // no step passes the (already used) code again.
      return (await assumeChain(viaMfa, item.chain!.map(withoutMfa), {
        ...assumeOptions(),
        ...logOption,
        askMfaCode: () => Promise.resolve(undefined),
      })).session;
    },
    async listBuckets(item, session, signal, emit) {
      const s = await source(item.profile);
      const s3: S3Client = s3For(session, session.region, {
        env: opts.env,
        source: s,
        ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
        ...(opts.log ? { log: opts.log } : {}),
      });
      await streamBuckets(s3, {
        signal,
        ...(opts.lookupConcurrency ? { concurrency: opts.lookupConcurrency } : {}),
        ...(opts.regions ? { mode: opts.regions } : {}),
        ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      }, emit);
    },
  };
}
