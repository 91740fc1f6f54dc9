/** A fake S3 client for the lookup pool: per-bucket behaviour, latency and counters. */
import {
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
} from "@aws-sdk/client-s3";
import type { S3Like } from "../../src/aws/s3.ts";

export interface FakeBucket {
  name: string;
  /** What GetBucketLocation returns as LocationConstraint (undefined = empty). */
  location?: string;
  /** BucketRegion in ListBuckets. */
  listedRegion?: string;
  /** HeadBucket's x-amz-bucket-region. */
  region?: string;
  locationDenied?: boolean;
  /** HeadBucket is itself denied (403) but still sends the region header. */
  headDenied?: boolean;
  /** HeadBucket denied with no region header. */
  headSilent?: boolean;
  /** Never answers (until aborted). */
  hang?: boolean;
}

export function serviceError(name: string, status: number, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`${name} message`), {
    name,
    $fault: "client",
    $metadata: { httpStatusCode: status, requestId: "REQ123" },
    $response: { statusCode: status, headers },
  });
}

export class FakeS3 implements S3Like {
  inFlight = 0;
  maxInFlight = 0;
  calls: Record<string, number> = {};
  perBucket = new Map<string, number>();
  readonly #buckets: FakeBucket[];
  readonly #latencyMs: number;

  constructor(buckets: FakeBucket[], latencyMs = 1) {
    this.#buckets = buckets;
    this.#latencyMs = latencyMs;
  }

  // deno-lint-ignore no-explicit-any
  async send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any> {
    const op = command.constructor.name.replace(/Command$/, "");
    this.calls[op] = (this.calls[op] ?? 0) + 1;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const bucket = this.#buckets.find((b) => b.name === command.input.Bucket);
      await this.#wait(options?.abortSignal, bucket?.hang ?? false);
      if (command instanceof ListBucketsCommand) return this.#list(command.input);
      if (!bucket) throw serviceError("NoSuchBucket", 404);
      this.perBucket.set(bucket.name, (this.perBucket.get(bucket.name) ?? 0) + 1);
      if (command instanceof GetBucketLocationCommand) {
        if (bucket.locationDenied) throw serviceError("AccessDenied", 403);
        return { LocationConstraint: bucket.location };
      }
      if (command instanceof HeadBucketCommand) {
        if (bucket.headSilent) throw serviceError("403", 403);
        if (bucket.headDenied) {
          throw serviceError("403", 403, { "x-amz-bucket-region": bucket.region ?? "" });
        }
        return { BucketRegion: bucket.region };
      }
      throw new Error(`unexpected command ${op}`);
    } finally {
      this.inFlight--;
    }
  }

  #list(input: { MaxBuckets?: number | undefined; ContinuationToken?: string | undefined }) {
    const size = input.MaxBuckets ?? 10_000;
    const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
    const page = this.#buckets.slice(start, start + size);
    const next = start + size < this.#buckets.length ? String(start + size) : undefined;
    return {
      Buckets: page.map((b) => ({
        Name: b.name,
        CreationDate: new Date("2024-01-02T03:04:05Z"),
        ...(b.listedRegion ? { BucketRegion: b.listedRegion } : {}),
      })),
      ...(next ? { ContinuationToken: next } : {}),
    };
  }

  #wait(signal: AbortSignal | undefined, hang: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const abort = () => {
        clearTimeout(timer);
        reject(Object.assign(new Error("Request aborted"), { name: "AbortError" }));
      };
      const timer = hang ? undefined : setTimeout(() => {
        signal?.removeEventListener("abort", abort);
        resolve();
      }, this.#latencyMs);
      if (signal?.aborted) return abort();
      signal?.addEventListener("abort", abort, { once: true });
    });
  }
}
