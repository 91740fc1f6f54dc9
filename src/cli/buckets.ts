/**
 * `xrole buckets`: assume (or use the source with --no-assume), list the buckets, find each
 * bucket's region, print them sorted. Exit 4 when some lookups failed (the rows still print).
 */
import { quote } from "../core/arn.ts";
import { ExitCode, InterruptedError, UsageError } from "../core/errors.ts";
import type { BucketRow, RowUpdate } from "../core/model.ts";
import { validateRegion } from "../core/validate.ts";
import type { CliDeps } from "./deps.ts";
import {
  type BucketFormat,
  formatBuckets,
  type OutputRow,
  type SortKey,
  sortRows,
} from "../core/format.ts";
import type { FormatOptions } from "../core/bucket_table.ts";
import type * as S3Module from "../aws/s3.ts";
import type * as FastLocationModule from "../aws/fast_location.ts";
import { loadRoleList } from "./role_list.ts";
import { resolveTarget, type TargetFlags, type TargetInput } from "./target.ts";
import { openTargetEarly } from "./early_identity.ts";

export interface BucketsFlags extends TargetFlags {
  regionFilter?: string[] | undefined;
  concurrency?: string | undefined;
  regions?: "location" | "list" | undefined;
  format?: BucketFormat | undefined;
  sort?: SortKey | undefined;
  timeout?: string | undefined;
}

/** How to list and print buckets: shared by one role (`buckets`) and many (`--all-roles`). */
export interface ListingOptions {
  regionFilter: string[];
  concurrency: number;
  regions: "location" | "list";
  format: BucketFormat;
  sort: SortKey;
  /** Per-lookup timeout in ms (undefined: the default). */
  timeoutMs?: number;
}

export interface BucketsInput extends ListingOptions {
  target: TargetInput;
}

export const DEFAULT_CONCURRENCY = 32;
export const MAX_CONCURRENCY = 1024;

/** A whole number within bounds, else a UsageError naming the flag. */
export function parseIntFlag(flag: string, text: string, min: number, max: number): number {
  const t = text.trim();
  const value = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(
      `Invalid ${flag} ${quote(t)}: must be a whole number from ${min} to ${max}`,
    );
  }
  return value;
}

/** Seconds (decimals allowed) → ms, else a UsageError naming the flag. */
export function parseSecondsFlag(flag: string, text: string): number {
  const t = text.trim();
  const value = /^\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
  if (!(value > 0) || value > 3600) {
    throw new UsageError(
      `Invalid ${flag} ${quote(t)}: must be a number of seconds above 0, at most 3600`,
    );
  }
  return Math.round(value * 1000);
}

/** Flags → validated input (UsageError on anything wrong; no network). */
export async function bucketsInput(flags: BucketsFlags, deps: CliDeps): Promise<BucketsInput> {
  const target = await resolveTarget(flags, {
    requireRole: true,
    command: "buckets",
    roles: () => loadRoleList(deps.io.env),
  });
  return { target, ...listingOptions(flags, deps) };
}

/** The listing flags → validated options (UsageError naming the flag). */
export function listingOptions(
  flags: Pick<
    BucketsFlags,
    "regionFilter" | "concurrency" | "regions" | "format" | "sort" | "timeout"
  >,
  deps: CliDeps,
): ListingOptions {
  const options: ListingOptions = {
    regionFilter: [...new Set((flags.regionFilter ?? []).map(validateRegion))],
    concurrency: flags.concurrency === undefined
      ? DEFAULT_CONCURRENCY
      : parseIntFlag("--concurrency", flags.concurrency, 1, MAX_CONCURRENCY),
    regions: flags.regions ?? "location",
    format: flags.format ?? (deps.io.stdoutIsTerminal ? "table" : "json"),
    sort: flags.sort ?? "name",
  };
  if (flags.timeout !== undefined) {
    options.timeoutMs = parseSecondsFlag("--timeout", flags.timeout);
  }
  return options;
}

/**
 * A listing in `format`. The table's module (and the text width library behind it) is loaded
 * only for the table: JSON, CSV and TSV start faster without it.
 */
export async function renderBuckets(
  rows: readonly OutputRow[],
  format: BucketFormat,
  options: FormatOptions,
): Promise<string> {
  if (format !== "table") return formatBuckets(rows, format);
  const { formatBucketTable } = await import("../core/bucket_table.ts");
  return formatBucketTable(rows, options);
}

/** Folds the listing's events into rows (one per bucket). */
export class RowCollector {
  readonly rows = new Map<string, BucketRow>();
  apply(u: RowUpdate): void {
    if (u.type === "listed") {
      for (const b of u.buckets) {
        const row: BucketRow = { name: b.name, state: "pending" };
        if (b.created) row.created = b.created;
        this.rows.set(b.name, row);
      }
    } else if (u.type === "region") {
      const row = this.rows.get(u.name);
      if (row) {
        row.state = "done";
        row.region = u.region;
        row.regionSource = u.source;
      }
    } else if (u.type === "error") {
      const row = this.rows.get(u.name);
      if (row) {
        row.state = "error";
        row.error = u.code;
      }
    }
  }
  get done(): number {
    let n = 0;
    for (const r of this.rows.values()) if (r.state !== "pending") n++;
    return n;
  }
}

/** Runs the listing and prints it; returns 0, or 4 when some region lookups failed. */
export async function runBuckets(input: BucketsInput, deps: CliDeps): Promise<number> {
  const { io } = deps;
  // The listing modules need the S3 half of the SDK (openTarget only STS): loaded while STS
  // answers.
  let listing: Promise<[typeof S3Module, typeof FastLocationModule]> | undefined;
  const loadListing = () =>
    listing ??= Promise.all([import("../aws/s3.ts"), import("../aws/fast_location.ts")]);
  const opened = await openTargetEarly(input.target, deps, {
    whileAssuming: () => void loadListing().catch(() => {}),
  });
  const [{ streamBuckets }, { withFastLocations }] = await loadListing();
  // GetBucketLocation as one signed fetch (the SDK only for errors): see tests/bench/RESULTS.md.
  const s3 = withFastLocations(opened.s3());
  const rows = new RowCollector();
  // Progress only for people at a terminal, on stderr, never on stdout.
  const progress = io.stdoutIsTerminal && io.stdinIsTerminal;
  let lastDraw = 0;
  const draw = (force = false) => {
    const now = Date.now();
    if (!progress || (!force && now - lastDraw < 100)) return;
    lastDraw = now;
    io.stderr(`\r\x1b[2KFinding regions: ${rows.done}/${rows.rows.size}`);
  };
  try {
    await streamBuckets(s3, {
      concurrency: input.concurrency,
      mode: input.regions,
      signal: deps.signal,
      ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
    }, (u) => {
      rows.apply(u);
      draw();
    });
  } finally {
    if (progress) io.stderr("\r\x1b[2K");
  }
  if (deps.signal.aborted) throw new InterruptedError();
  let list = [...rows.rows.values()];
  if (input.regionFilter.length) {
    const wanted = new Set(input.regionFilter);
    list = list.filter((r) => r.region !== undefined && wanted.has(r.region));
  }
  // Sorted by the key, then by name, so the output is the same bytes for the same world.
  const byName = sortRows(list, "name");
  const sorted = input.sort === "name" ? byName : sortRows(byName, input.sort);
  io.stdout(
    await renderBuckets(sorted, input.format, {
      color: deps.globals.color && io.stdoutIsTerminal,
      columns: io.stdoutIsTerminal ? io.columns() : null,
    }),
  );
  const failed = [...rows.rows.values()].filter((r) => r.state === "error");
  if (failed.length > 0) {
    const codes = [...new Set(failed.map((r) => r.error ?? "error"))].sort();
    io.stderr(
      `xrole: Region lookup failed for ${failed.length} of ${rows.rows.size} buckets: ${
        codes.join(", ")
      }\n`,
    );
    return ExitCode.partial;
  }
  if (input.format === "table" && io.stdoutIsTerminal && sorted.length === 0) {
    io.stderr("xrole: No buckets\n");
  }
  return ExitCode.ok;
}

/** The action: flags → input → run. */
export async function bucketsCommand(flags: BucketsFlags, deps: CliDeps): Promise<number> {
  return await runBuckets(await bucketsInput(flags, deps), deps);
}
