/**
 * Listing a bucket's objects one folder at a time: ListObjectsV2 with a delimiter ("/"), one page
 * per call (the TUI fetches the next page as the cursor nears the end) or every page (`xrole ls`).
 * The client should be one for the bucket's own region (see `bucketRegion`).
 */
import { ListObjectsV2Command, type ListObjectsV2CommandInput } from "@aws-sdk/client-s3";
import { AwsError, InterruptedError } from "../core/errors.ts";
import type { RowUpdate } from "../core/model.ts";
import { endpointOf } from "./clients.ts";
import { errorCode, errorMessage, isServiceError, toXroleError } from "./errors.ts";
import { locateBuckets, type S3Like } from "./s3.ts";

/** One object of a listing. */
export interface ObjectEntry {
  key: string;
  size: number;
  lastModified?: Date;
  storageClass?: string;
}

/** One page of a folder: sub-folders (common prefixes, ending in the delimiter) and objects. */
export interface ObjectPage {
  prefixes: string[];
  objects: ObjectEntry[];
  /** The token for the next page; absent on the last page. */
  nextToken?: string;
}

export interface ObjectPageRequest {
  bucket: string;
  /** "" for the bucket's top level, else ending in the delimiter ("releases/2024/"). */
  prefix: string;
  /** The previous page's nextToken. */
  token?: string;
  /** Keys per page (1..1000; default 1000, the AWS maximum). */
  maxKeys?: number;
  /** Default "/"; "" lists every key under the prefix (no folders). */
  delimiter?: string;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_KEYS = 1000;

interface ListObjectsOutput {
  Contents?: { Key?: string; Size?: number; LastModified?: Date; StorageClass?: string }[];
  CommonPrefixes?: { Prefix?: string }[];
  IsTruncated?: boolean;
  NextContinuationToken?: string;
}

/**
 * One ListObjectsV2 page. A bucket in another region (PermanentRedirect) becomes an AwsError whose
 * message names that region; other refusals keep their code (AccessDenied, NoSuchBucket).
 */
export async function listObjectsPage(
  s3: S3Like,
  request: ObjectPageRequest,
): Promise<ObjectPage> {
  if (request.signal?.aborted) throw new InterruptedError();
  const delimiter = request.delimiter ?? "/";
  const input: ListObjectsV2CommandInput = {
    Bucket: request.bucket,
    MaxKeys: request.maxKeys ?? DEFAULT_MAX_KEYS,
  };
  if (request.prefix) input.Prefix = request.prefix;
  if (delimiter) input.Delimiter = delimiter;
  if (request.token) input.ContinuationToken = request.token;
  let out: ListObjectsOutput;
  try {
    out = await s3.send(
      new ListObjectsV2Command(input),
      request.signal ? { abortSignal: request.signal } : undefined,
    );
  } catch (err) {
    if (isServiceError(err) && errorCode(err) === "PermanentRedirect") {
      const region = redirectRegion(err);
      throw new AwsError(
        "ListObjectsV2",
        "PermanentRedirect",
        region
          ? `bucket ${JSON.stringify(request.bucket)} is in region ${JSON.stringify(region)}`
          : errorMessage(err),
        (err as { $metadata?: { requestId?: string } }).$metadata?.requestId,
        { cause: err },
      );
    }
    throw toXroleError(err, "ListObjectsV2", endpointOf(s3));
  }
  const page: ObjectPage = {
    prefixes: (out.CommonPrefixes ?? []).flatMap((p) => (p.Prefix ? [p.Prefix] : [])),
    objects: (out.Contents ?? []).flatMap((c) => {
      if (c.Key === undefined) return [];
      const entry: ObjectEntry = { key: c.Key, size: Number(c.Size ?? 0) };
      if (c.LastModified) entry.lastModified = new Date(c.LastModified);
      if (c.StorageClass) entry.storageClass = c.StorageClass;
      return [entry];
    }),
  };
  const next = out.IsTruncated ? out.NextContinuationToken || undefined : undefined;
  if (next && next !== request.token) page.nextToken = next;
  return page;
}

/** Every page of a folder, concatenated (prefixes and objects each in listing order). */
export async function listFolder(
  s3: S3Like,
  request: Omit<ObjectPageRequest, "token">,
  onPage?: (page: ObjectPage) => void,
): Promise<{ prefixes: string[]; objects: ObjectEntry[]; pages: number }> {
  const prefixes: string[] = [];
  const objects: ObjectEntry[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await listObjectsPage(s3, { ...request, ...(token ? { token } : {}) });
    pages++;
    prefixes.push(...page.prefixes);
    objects.push(...page.objects);
    onPage?.(page);
    token = page.nextToken;
  } while (token);
  return { prefixes, objects, pages };
}

/**
 * The region of one bucket (GetBucketLocation, HeadBucket when that is refused), or undefined
 * when it cannot be found (the caller lists with its own region and shows what S3 answers).
 */
export async function bucketRegion(
  s3: S3Like,
  bucket: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  let region: string | undefined;
  await locateBuckets(s3, [{ name: bucket }], {
    concurrency: 1,
    ...(signal ? { signal } : {}),
  }, (u: RowUpdate) => {
    if (u.type === "region") region = u.region;
  });
  return region;
}

function redirectRegion(err: unknown): string | undefined {
  const headers = (err as { $response?: { headers?: Record<string, string> } }).$response
    ?.headers;
  const fromHeader = headers?.["x-amz-bucket-region"] ?? headers?.["X-Amz-Bucket-Region"];
  if (fromHeader) return fromHeader;
  const endpoint = (err as { Endpoint?: string }).Endpoint;
  const m = endpoint ? /\.s3[.-]([a-z0-9-]+)\.amazonaws\.com/.exec(endpoint) : null;
  return m?.[1];
}
