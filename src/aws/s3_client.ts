/**
 * The S3 client, in its own module so that the S3 half of the SDK loads only where a command lists
 * or browses (and, in the CLI, while STS answers): path-style addressing whenever an endpoint is
 * configured, region redirects followed, and the shared handler, retries and request log of
 * clients.ts.
 */
import { S3Client } from "@aws-sdk/client-s3";
import type { AssumedSession } from "../core/model.ts";
import type { Env } from "../core/env.ts";
import { baseClientConfig, type ClientOptions, registerClient } from "./clients.ts";
import { resolveEndpoint } from "./source_settings.ts";
import type { Source } from "./session.ts";

/** S3 client for `region`: path-style when an endpoint is set, follows region redirects. */
export function makeS3Client(opts: ClientOptions): S3Client {
  const client = new S3Client({
    ...baseClientConfig(opts),
    followRegionRedirects: true,
    ...(opts.endpoint ? { endpoint: opts.endpoint, forcePathStyle: true } : {}),
  });
  registerClient(client, "s3", opts);
  return client;
}

export interface S3ForOptions {
  env: Env;
  endpointUrl?: string;
  log?: (line: string) => void;
  /** The source the session came from (for its profile's S3 endpoint_url). */
  source?: Source;
  maxAttempts?: number;
  requestTimeoutMs?: number;
}

function isSource(target: Source | AssumedSession): target is Source {
  return "whoami" in target;
}

/** One S3 client for a whole listing, with the source's or the assumed session's credentials. */
export function s3For(
  target: Source | AssumedSession,
  region: string,
  opts: S3ForOptions,
): S3Client {
  const source = isSource(target) ? target : opts.source;
  const endpoint = opts.endpointUrl || source?.endpoints.s3 ||
    resolveEndpoint(opts.env, "s3");
  return makeS3Client({
    region,
    credentials: isSource(target) ? target.credentials : target.credentials,
    ...(endpoint ? { endpoint } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}),
    ...(opts.requestTimeoutMs ? { requestTimeoutMs: opts.requestTimeoutMs } : {}),
  });
}
