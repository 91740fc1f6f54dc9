/**
 * `xrole buckets --all-roles` (or `--role a --role b …`): every selected role's buckets in one
 * listing with `account` and `role` columns, sorted by role then name. MFA asked once per device.
 * A role that fails is one error row (its error code); the exit code is 4 then.
 */
import { quote } from "../core/arn.ts";
import { ExitCode, InterruptedError, UsageError } from "../core/errors.ts";
import { type OutputRow, sortRows } from "../core/format.ts";
import type { RowUpdate, SavedRole } from "../core/model.ts";
import { validateMfaCode, validateRegion } from "../core/validate.ts";
import type { InventoryEvent, InventoryItem, MfaDevice } from "../aws/inventory.ts";
import {
  type BucketsFlags,
  type ListingOptions,
  listingOptions,
  renderBuckets,
  RowCollector,
} from "./buckets.ts";
import { checkedChain } from "./chain.ts";
import { type CliDeps, verboseLog } from "./deps.ts";
import { loadRoleList } from "./role_list.ts";

export interface InventoryFlags extends Omit<BucketsFlags, "role"> {
  allRoles?: boolean | undefined;
  /** Every `--role` given, in order. */
  roles?: string[] | undefined;
}

export interface InventoryInput extends ListingOptions {
  roles: SavedRole[];
  /** Every role a `via` may name (default: `roles`). */
  known?: SavedRole[];
  profile?: string;
  region?: string;
  mfaCode?: string;
  useCache: boolean;
}

/** Whether these flags ask for the combined listing (several roles, or every saved one). */
export function wantsInventory(flags: { allRoles?: boolean | undefined; roles?: string[] }) {
  return flags.allRoles === true || (flags.roles?.length ?? 0) > 1;
}

const PER_ROLE_FLAGS: [keyof InventoryFlags, string][] = [
  ["roleArn", "--role-arn"],
  ["externalId", "--external-id"],
  ["sessionName", "--session-name"],
  ["duration", "--duration"],
  ["mfaSerial", "--mfa-serial"],
];

/** Picks the roles: every xrole saved role, or the ones named (case-insensitive, deduplicated). */
export function selectRoles(all: readonly SavedRole[], flags: InventoryFlags): SavedRole[] {
  if (flags.allRoles) {
    const saved = all.filter((r) => r.origin === "xrole");
    if (saved.length === 0) {
      throw new UsageError('No saved roles for --all-roles: add one with "xrole roles add"');
    }
    return saved;
  }
  const picked: SavedRole[] = [];
  for (const label of flags.roles ?? []) {
    const role = all.find((r) => r.label === label) ??
      all.find((r) => r.label.toLowerCase() === label.toLowerCase());
    if (!role) {
      const known = all.map((r) => quote(r.label));
      throw new UsageError(
        `Unknown role ${quote(label)}: ${
          known.length ? `known roles are ${known.slice(0, 8).join(", ")}` : "no roles saved yet"
        }`,
      );
    }
    if (!picked.includes(role)) picked.push(role);
  }
  return picked;
}

/** Flags → validated input (UsageError on conflicts; no network). */
export async function inventoryInput(
  flags: InventoryFlags,
  deps: CliDeps,
): Promise<InventoryInput> {
  if (flags.allRoles && (flags.roles?.length ?? 0) > 0) {
    throw new UsageError("Conflicting flags: pass --all-roles or --role, not both");
  }
  if (flags.assume === false) {
    throw new UsageError("Conflicting flags: --no-assume assumes no role, so --all-roles is wrong");
  }
  const what = flags.allRoles ? "--all-roles" : "several --role";
  for (const [key, flag] of PER_ROLE_FLAGS) {
    if (flags[key] !== undefined) {
      throw new UsageError(
        `Conflicting flags: ${flag} is one role's setting and cannot go with ${what} (save the role with it instead)`,
      );
    }
  }
  const known = await loadRoleList(deps.io.env);
  const roles = selectRoles(known, flags);
  const input: InventoryInput = {
    roles,
    known,
    useCache: flags.cache !== false,
    ...listingOptions(flags, deps),
  };
  if (flags.profile !== undefined) {
    const profile = flags.profile.trim();
    if (profile === "") throw new UsageError('Invalid profile "": must not be empty');
    input.profile = profile;
  }
  if (flags.region !== undefined) input.region = validateRegion(flags.region);
  if (flags.mfaCode !== undefined) {
    // A chained role needs the code of its chain's device (a broken chain needs none).
    const chainOf = (r: SavedRole) => {
      try {
        return checkedChain(r, known);
      } catch {
        return [];
      }
    };
    if (!roles.some((r) => chainOf(r).some((x) => x.mfaSerial))) {
      throw new UsageError("Flag --mfa-code is not needed: none of these roles uses MFA");
    }
    input.mfaCode = validateMfaCode(flags.mfaCode);
  }
  return input;
}

/** Folds the combined listing's events into rows: buckets per role, one row per failed role. */
export class InventoryCollector {
  readonly #byRole = new Map<string, { account: string; rows: RowCollector }>();
  readonly failedRows: OutputRow[] = [];
  apply(e: InventoryEvent): void {
    if (e.type === "role-failed") {
      this.failedRows.push({
        name: "",
        state: "error",
        error: e.code,
        account: e.account,
        role: e.role,
      });
      return;
    }
    let entry = this.#byRole.get(e.role);
    if (!entry) {
      entry = { account: e.account, rows: new RowCollector() };
      this.#byRole.set(e.role, entry);
    }
    entry.rows.apply(e.update as RowUpdate);
  }
  /** Every row, tagged with its account and role. */
  rows(): OutputRow[] {
    const out: OutputRow[] = [...this.failedRows];
    for (const [role, { account, rows }] of this.#byRole) {
      for (const r of rows.rows.values()) out.push({ ...r, account, role });
    }
    return out;
  }
  get done(): number {
    let n = 0;
    for (const { rows } of this.#byRole.values()) n += rows.done;
    return n;
  }
  get total(): number {
    let n = 0;
    for (const { rows } of this.#byRole.values()) n += rows.rows.size;
    return n;
  }
}

/** Sorted by role, then the sort key, then name (a failed role's row first in its role). */
export function sortInventoryRows(
  rows: readonly OutputRow[],
  key: "name" | "region" | "created",
): OutputRow[] {
  const byName = sortRows(rows, "name");
  const byKey = key === "name" ? byName : sortRows(byName, key);
  const roleOf = (r: OutputRow) => r.role ?? "";
  return byKey.slice().sort((a, b) => (roleOf(a) < roleOf(b) ? -1 : roleOf(a) > roleOf(b) ? 1 : 0));
}

/**
 * The roles to list, each with its `via` chain and source profile as a single listing resolves
 * them (`--profile`, else the chain's first role's source_profile); a chain that cannot be
 * resolved is that role's error, so only that role fails.
 */
export function inventoryItems(input: InventoryInput): InventoryItem[] {
  return input.roles.map((role) => {
    const withProfile = (profile: string | undefined) => profile ? { profile } : {};
    try {
      const chain = checkedChain(role, input.known ?? input.roles);
      if (chain.length === 1) return { role, ...withProfile(input.profile ?? role.sourceProfile) };
      return { role, chain, ...withProfile(input.profile ?? chain[0]!.sourceProfile) };
    } catch (error) {
      return { role, error, ...withProfile(input.profile ?? role.sourceProfile) };
    }
  });
}

/** Runs the combined listing and prints it; 0, 4 when a role or a lookup failed. */
export async function runInventoryCommand(input: InventoryInput, deps: CliDeps): Promise<number> {
  const { io } = deps;
  const { prepareInventory, runInventory, sdkInventoryServices } = await import(
    "../aws/inventory.ts"
  );
  const { cacheDir } = await import("../config/dirs.ts");
  const log = verboseLog(deps);
  const endpointUrl = deps.globals.endpointUrl;
  const askCode = async (device: MfaDevice): Promise<string> => {
    if (input.mfaCode) return input.mfaCode;
    const label = device.roles.join(", ");
    if (!io.stdinIsTerminal) {
      throw new UsageError(
        `Role${device.roles.length === 1 ? "" : "s"} ${
          device.roles.map((r) => quote(r)).join(", ")
        } need${device.roles.length === 1 ? "s" : ""} an MFA code: pass --mfa-code`,
      );
    }
    if (deps.askMfaCode) return validateMfaCode(await deps.askMfaCode(label, device.mfaSerial));
    const { askMfaCodeOnTerminal } = await import("./mfa_prompt.ts");
    return await askMfaCodeOnTerminal(io, label, deps.signal);
  };
  const services = sdkInventoryServices({
    env: io.env,
    ...(endpointUrl ? { endpointUrl } : {}),
    ...(input.region ? { region: input.region } : {}),
    ...(input.useCache ? { cacheDir: cacheDir(io.env) } : {}),
    now: () => io.now(),
    ...(log ? { log } : {}),
    lookupConcurrency: input.concurrency,
    regions: input.regions,
    ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
    mfaCode: askCode,
  });
  const items = inventoryItems(input);
  const prepared = await prepareInventory(items, services);
  if (deps.signal.aborted) throw new InterruptedError();

  const collected = new InventoryCollector();
  const progress = io.stdoutIsTerminal && io.stdinIsTerminal;
  let lastDraw = 0;
  let rolesDone = 0;
  const draw = () => {
    const now = Date.now();
    if (!progress || now - lastDraw < 100) return;
    lastDraw = now;
    io.stderr(
      `\r\x1b[2KListing ${input.roles.length} roles: ${rolesDone} done, regions ${collected.done}/${collected.total}`,
    );
  };
  let summary;
  try {
    summary = await runInventory(prepared, services, { signal: deps.signal }, (e) => {
      collected.apply(e);
      if (e.type === "role-failed" || e.update.type === "done") rolesDone++;
      draw();
    });
  } finally {
    if (progress) io.stderr("\r\x1b[2K");
  }

  let rows = collected.rows();
  if (input.regionFilter.length) {
    const wanted = new Set(input.regionFilter);
    rows = rows.filter((r) => r.name === "" || (r.region !== undefined && wanted.has(r.region)));
  }
  io.stdout(
    await renderBuckets(sortInventoryRows(rows, input.sort), input.format, {
      color: deps.globals.color && io.stdoutIsTerminal,
      columns: io.stdoutIsTerminal ? io.columns() : null,
    }),
  );
  for (const f of summary.failed) {
    io.stderr(`xrole: Role ${quote(f.role)} (account ${f.account}): ${f.failure.message}\n`);
  }
  const lookupsFailed = collected.rows().filter((r) => r.name !== "" && r.state === "error");
  if (lookupsFailed.length > 0) {
    const codes = [...new Set(lookupsFailed.map((r) => r.error ?? "error"))].sort();
    io.stderr(
      `xrole: Region lookup failed for ${lookupsFailed.length} of ${collected.total} buckets: ${
        codes.join(", ")
      }\n`,
    );
  }
  if (summary.failed.length > 0 && summary.failed.length === summary.roles) {
    // Nothing listed at all: the failure's own exit code (3 access denied, 1 otherwise).
    return summary.failed[0]!.failure.exitCode;
  }
  return summary.failed.length > 0 || lookupsFailed.length > 0 ? ExitCode.partial : ExitCode.ok;
}

/** The action: flags → input → run. */
export async function inventoryCommand(flags: InventoryFlags, deps: CliDeps): Promise<number> {
  return await runInventoryCommand(await inventoryInput(flags, deps), deps);
}
