/**
 * Listing buckets and finding their regions: ListBuckets (paginated), then a bounded pool of
 * GetBucketLocation lookups (HeadBucket when that is denied), streamed as RowUpdate events.
 */
import {
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  type ListBucketsCommandInput,
} from "@aws-sdk/client-s3";
import type { ListedBucket, RegionSource, RowUpdate } from "../core/model.ts";
import { InterruptedError } from "../core/errors.ts";
import { normalizeLocation } from "../core/region.ts";
import { endpointOf } from "./clients.ts";
import { errorCode, errorMessage, isServiceError, toXroleError } from "./errors.ts";

/** Anything with the S3 client's `send` (the real client, or a fake in tests). */
export interface S3Like {
  // deno-lint-ignore no-explicit-any
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
}

/** How regions are found: GetBucketLocation for every bucket, or trust ListBuckets' BucketRegion. */
export type RegionMode = "location" | "list";

export interface ListOptions {
  signal?: AbortSignal;
  /** MaxBuckets per ListBuckets page (default 10,000, the AWS maximum). */
  pageSize?: number;
}

export interface LocateOptions {
  /** Lookups in flight at most (default 32). */
  concurrency?: number;
  mode?: RegionMode;
  signal?: AbortSignal;
  /** Per-lookup timeout in ms, retries included (default 10 s); the row's error is "timeout". */
  timeoutMs?: number;
  /** Reject with InterruptedError when `signal` aborts (default: resolve with what was done). */
  rejectOnAbort?: boolean;
}

export interface LocateResult {
  /** Buckets whose lookup ended in an error update. */
  failed: number;
  /** Lookups not run because the signal aborted. */
  skipped: number;
  /**
   * Set when the lookups stopped early because the credentials stopped working (ExpiredToken, …)
   * or the endpoint became unreachable: the remaining buckets got this error without a request.
   * The TUI re-assumes, the CLI exits 3 (credentials) or 1 (network).
   */
  fatal?: { code: string; message: string };
}

/** Codes that mean every further request with these credentials fails the same way. */
const CREDENTIAL_CODES = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidAccessKeyId",
  "InvalidToken",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "TokenRefreshRequired",
]);

/** Network failures in a row (no success between) after which the endpoint is taken as gone. */
const NETWORK_FAILURES_FATAL = 3;

export const DEFAULT_CONCURRENCY = 32;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_PAGE_SIZE = 10_000;

/** ListBuckets, following ContinuationToken; keeps BucketRegion as listedRegion. */
export async function listBuckets(s3: S3Like, opts: ListOptions = {}): Promise<ListedBucket[]> {
  const buckets: ListedBucket[] = [];
  let token: string | undefined;
  do {
    if (opts.signal?.aborted) throw new InterruptedError();
    const input: ListBucketsCommandInput = { MaxBuckets: opts.pageSize ?? DEFAULT_PAGE_SIZE };
    if (token) input.ContinuationToken = token;
    let out: {
      Buckets?: { Name?: string; CreationDate?: Date; BucketRegion?: string }[];
      ContinuationToken?: string;
    };
    try {
      out = await s3.send(
        new ListBucketsCommand(input),
        opts.signal ? { abortSignal: opts.signal } : undefined,
      );
    } catch (err) {
      throw toXroleError(err, "ListBuckets", endpointOf(s3));
    }
    for (const b of out.Buckets ?? []) {
      if (!b.Name) continue;
      const bucket: ListedBucket = { name: b.Name };
      if (b.CreationDate) bucket.created = new Date(b.CreationDate);
      if (b.BucketRegion) bucket.listedRegion = b.BucketRegion;
      buckets.push(bucket);
    }
    const next = out.ContinuationToken || undefined;
    if (next && next === token) break; // a server repeating its token would loop forever
    token = next;
  } while (token);
  return buckets;
}

/**
 * Find every bucket's region with at most `concurrency` lookups in flight, calling `onUpdate` once
 * per bucket as each finishes. On abort: no new lookups start, in-flight ones are cancelled, and
 * no update is emitted for them.
 */
export async function locateBuckets(
  s3: S3Like,
  buckets: readonly ListedBucket[],
  opts: LocateOptions,
  onUpdate: (u: RowUpdate) => void,
): Promise<LocateResult> {
  const mode = opts.mode ?? "location";
  const limit = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_CONCURRENCY));
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signal = opts.signal;
  const result: LocateResult = { failed: 0, skipped: 0 };
  let callbackError: { error: unknown } | undefined;
  const stop = new AbortController();
  const emit = (u: RowUpdate) => {
    if (callbackError) return;
    if (u.type === "error") result.failed++;
    try {
      onUpdate(u);
    } catch (error) {
      callbackError = { error };
      stop.abort();
    }
  };

  const queue: string[] = [];
  for (const b of buckets) {
    if (mode === "list" && b.listedRegion) {
      emit({ type: "region", name: b.name, region: b.listedRegion, source: "list" });
    } else {
      queue.push(b.name);
    }
  }

  const onAbort = () => stop.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) stop.abort();
  let next = 0;
  let networkFailures = 0;
  const worker = async () => {
    while (next < queue.length && !stop.signal.aborted && !result.fatal) {
      const name = queue[next++]!;
      const update = await locateOne(s3, name, stop.signal, timeoutMs);
      if (!update) continue;
      emit(update);
      if (update.type !== "error") {
        networkFailures = 0;
      } else if (CREDENTIAL_CODES.has(update.code)) {
        result.fatal ??= { code: update.code, message: update.message };
      } else if (update.code === "NetworkError") {
        if (++networkFailures >= NETWORK_FAILURES_FATAL) {
          result.fatal ??= { code: update.code, message: update.message };
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker));
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  if (result.fatal && !signal?.aborted) {
    // Every bucket still gets its one final update, without a request that would fail anyway.
    const { code, message } = result.fatal;
    while (next < queue.length && !callbackError) {
      emit({ type: "error", name: queue[next++]!, code, message });
    }
  }
  if (callbackError) throw callbackError.error;
  result.skipped = signal?.aborted ? countSkipped(queue.length, next) : 0;
  if (signal?.aborted && opts.rejectOnAbort) throw new InterruptedError();
  return result;
}

function countSkipped(total: number, started: number): number {
  return Math.max(0, total - started);
}

/** One bucket's final update, or undefined when the lookup was aborted by the caller. */
async function locateOne(
  s3: S3Like,
  name: string,
  stop: AbortSignal,
  timeoutMs: number,
): Promise<RowUpdate | undefined> {
  const call = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    call.abort();
  }, timeoutMs);
  const onStop = () => call.abort();
  stop.addEventListener("abort", onStop, { once: true });
  const options = { abortSignal: call.signal };
  const found = (region: string, source: RegionSource): RowUpdate => ({
    type: "region",
    name,
    region,
    source,
  });
  const failure = (err: unknown): RowUpdate | undefined => {
    if (timedOut) {
      return { type: "error", name, code: "timeout", message: `No answer in ${timeoutMs} ms` };
    }
    if (stop.aborted) return undefined;
    if (!isServiceError(err)) {
      return { type: "error", name, code: "NetworkError", message: errorMessage(err) };
    }
    return { type: "error", name, code: errorCode(err), message: errorMessage(err) };
  };
  try {
    try {
      const out = await s3.send(new GetBucketLocationCommand({ Bucket: name }), options);
      return found(normalizeLocation(out?.LocationConstraint), "location");
    } catch (err) {
      if (timedOut || stop.aborted || !isServiceError(err) || errorCode(err) !== "AccessDenied") {
        return failure(err);
      }
    }
    try {
      const head = await s3.send(new HeadBucketCommand({ Bucket: name }), options);
      const region = head?.BucketRegion ?? headerRegion(head?.$response);
      if (region) return found(region, "head");
      return { type: "error", name, code: "AccessDenied", message: "HeadBucket sent no region" };
    } catch (err) {
      const region = headerRegion((err as { $response?: unknown })?.$response);
      if (region && !timedOut && !stop.aborted) return found(region, "head");
      return failure(err);
    }
  } finally {
    clearTimeout(timer);
    stop.removeEventListener("abort", onStop);
  }
}

function headerRegion(response: unknown): string | undefined {
  const headers = (response as { headers?: Record<string, string> } | undefined)?.headers;
  if (!headers) return undefined;
  return headers["x-amz-bucket-region"] ?? headers["X-Amz-Bucket-Region"] ?? undefined;
}

export interface StreamOptions extends ListOptions, Omit<LocateOptions, "signal"> {}

/**
 * ListBuckets then the region lookups, as events: `listed`, one `region`/`error` per bucket,
 * `done` (not emitted when aborted).
 */
export async function streamBuckets(
  s3: S3Like,
  opts: StreamOptions,
  onUpdate: (u: RowUpdate) => void,
): Promise<LocateResult & { buckets: ListedBucket[] }> {
  const buckets = await listBuckets(s3, opts);
  onUpdate({ type: "listed", buckets });
  const locate: LocateOptions = { ...opts };
  const result = await locateBuckets(s3, buckets, locate, onUpdate);
  if (!opts.signal?.aborted) onUpdate({ type: "done" });
  return { ...result, buckets };
}
