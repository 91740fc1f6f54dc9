/**
 * S3 over REST XML, path-style (and virtual-host style when the Host names a bucket):
 * ListBuckets, GetBucketLocation, HeadBucket, ListObjectsV2, with S3's quirks (empty location
 * for us-east-1, legacy "EU", region redirects) and its error XML.
 */
import type { Principal } from "./principal.ts";
import {
  type BucketRef,
  locationConstraintOf,
  type SimBucket,
  type SimObject,
  type WorldIndex,
} from "./world.ts";
import { el, xmlEscape } from "./xml.ts";

const NS = "http://s3.amazonaws.com/doc/2006-03-01/";
const XML_DECL = `<?xml version="1.0" encoding="UTF-8"?>\n`;

/** What an S3 handler answers (written in one piece by the server). */
export interface S3Response {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An S3 request, routed: which operation on which bucket. */
export interface S3Route {
  action:
    | "ListBuckets"
    | "GetBucketLocation"
    | "HeadBucket"
    | "ListObjectsV2"
    | "Unsupported";
  bucket?: string;
  params: URLSearchParams;
}

/** Route a request by method, Host, path and query. Pure. */
export function routeS3(
  method: string,
  host: string,
  path: string,
  query: string,
  hasBucket: (name: string) => boolean,
): S3Route {
  const params = new URLSearchParams(query);
  let bucket: string | undefined = decodeSegment(path.split("/")[1] ?? "") || undefined;
  if (!bucket) bucket = virtualHostBucket(host, hasBucket);
  const m = method.toUpperCase();
  if (!bucket) {
    return { action: m === "GET" ? "ListBuckets" : "Unsupported", params };
  }
  const restOfPath = path.split("/").slice(2).join("/");
  if (restOfPath) return { action: "Unsupported", bucket, params };
  if (m === "HEAD") return { action: "HeadBucket", bucket, params };
  if (m === "GET" && params.has("location")) return { action: "GetBucketLocation", bucket, params };
  if (m === "GET" && params.get("list-type") === "2") {
    return { action: "ListObjectsV2", bucket, params };
  }
  return { action: "Unsupported", bucket, params };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** "my.bucket.s3.amazonaws.com:443" → "my.bucket" when such a bucket exists. */
function virtualHostBucket(host: string, hasBucket: (name: string) => boolean): string | undefined {
  const name = host.replace(/:\d+$/, "");
  if (/^[\d.]+$/.test(name) || name.startsWith("[")) return undefined;
  const labels = name.split(".");
  for (let i = labels.length - 1; i >= 1; i--) {
    const candidate = labels.slice(0, i).join(".");
    if (hasBucket(candidate)) return candidate;
  }
  return undefined;
}

/** Context of one authenticated S3 request. */
export interface S3Context {
  index: WorldIndex;
  principal: Principal;
  /** The region in the request's credential scope. */
  signingRegion: string;
  route: S3Route;
  requestId: string;
}

function baseHeaders(requestId: string): Record<string, string> {
  return {
    "x-amz-request-id": requestId,
    "x-amz-id-2": `sim/${requestId}`,
  };
}

/** An S3 error response (HEAD responses carry no body). */
export function s3Error(
  status: number,
  code: string,
  message: string,
  requestId: string,
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
): S3Response {
  const fields = Object.entries(extra).map(([k, v]) => el(k, v)).join("");
  const body = `${XML_DECL}<Error>${el("Code", code)}${el("Message", message)}${fields}${
    el("RequestId", requestId)
  }${el("HostId", `sim/${requestId}`)}</Error>`;
  return {
    status,
    headers: { ...baseHeaders(requestId), "content-type": "application/xml", ...headers },
    body,
  };
}

function xmlOk(body: string, requestId: string, headers: Record<string, string> = {}): S3Response {
  return {
    status: 200,
    headers: { ...baseHeaders(requestId), "content-type": "application/xml", ...headers },
    body: XML_DECL + body,
  };
}

const MESSAGES = {
  accessDenied: "Access Denied",
  noSuchBucket: "The specified bucket does not exist",
  redirect:
    "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
} as const;

function isoMillis(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString();
}

function encodeToken(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

function decodeToken(token: string): string | undefined {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(token), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

function canonicalOwnerId(accountId: string): string {
  let hex = "";
  for (let i = 0; hex.length < 64; i++) {
    hex += ((accountId.charCodeAt(i % accountId.length) * 31 + i * 7) % 256)
      .toString(16)
      .padStart(2, "0");
  }
  return hex.slice(0, 64);
}

function listBuckets(ctx: S3Context): S3Response {
  const { params } = ctx.route;
  const account = ctx.principal.account;
  let buckets = ctx.index.bucketsOf(account.id);
  const prefix = params.get("prefix");
  if (prefix) buckets = buckets.filter((b) => b.name.startsWith(prefix));
  const regionFilter = params.get("bucket-region");
  if (regionFilter) buckets = buckets.filter((b) => b.region === regionFilter);
  const token = params.get("continuation-token");
  if (token !== null) {
    const after = decodeToken(token);
    if (after === undefined || token === "") {
      return s3Error(
        400,
        "InvalidArgument",
        "The continuation token provided is incorrect",
        ctx.requestId,
      );
    }
    buckets = buckets.filter((b) => b.name > after);
  }
  const maxText = params.get("max-buckets");
  let page = buckets;
  let next: string | undefined;
  if (maxText !== null) {
    const max = Number(maxText);
    if (!/^\d+$/.test(maxText) || max < 1 || max > 10000) {
      return s3Error(
        400,
        "InvalidArgument",
        "Argument max-buckets must be an integer between 1 and 10000",
        ctx.requestId,
        { ArgumentName: "max-buckets", ArgumentValue: maxText },
      );
    }
    if (buckets.length > max) {
      page = buckets.slice(0, max);
      next = encodeToken(page[page.length - 1]?.name ?? "");
    }
  }
  const entries = page.map((b) =>
    `<Bucket>${el("Name", b.name)}${el("CreationDate", isoMillis(b.created))}${
      el("BucketRegion", b.region)
    }</Bucket>`
  ).join("");
  const owner = `<Owner>${el("DisplayName", account.name)}${
    el("ID", canonicalOwnerId(account.id))
  }</Owner>`;
  const body = `<ListAllMyBucketsResult xmlns="${NS}"><Buckets>${entries}</Buckets>${owner}${
    next ? el("ContinuationToken", next) : ""
  }${prefix ? el("Prefix", prefix) : ""}</ListAllMyBucketsResult>`;
  return xmlOk(body, ctx.requestId);
}

function lookupBucket(ctx: S3Context): BucketRef | S3Response {
  const name = ctx.route.bucket ?? "";
  const ref = ctx.index.bucket(name);
  if (!ref) {
    return s3Error(404, "NoSuchBucket", MESSAGES.noSuchBucket, ctx.requestId, { BucketName: name });
  }
  return ref;
}

function getBucketLocation(ctx: S3Context): S3Response {
  const ref = lookupBucket(ctx);
  if ("status" in ref) return ref;
  if (
    ref.account.id !== ctx.principal.account.id || ref.bucket.denyLocation || ref.bucket.denyAll
  ) {
    return s3Error(403, "AccessDenied", MESSAGES.accessDenied, ctx.requestId);
  }
  const constraint = locationConstraintOf(ref.bucket);
  const body = constraint
    ? `<LocationConstraint xmlns="${NS}">${xmlEscape(constraint)}</LocationConstraint>`
    : `<LocationConstraint xmlns="${NS}"/>`;
  return xmlOk(body, ctx.requestId);
}

function headBucket(ctx: S3Context): S3Response {
  const name = ctx.route.bucket ?? "";
  const ref = ctx.index.bucket(name);
  const headers = baseHeaders(ctx.requestId);
  if (!ref) return { status: 404, headers, body: "" };
  if (ref.bucket.denyAll) return { status: 403, headers, body: "" };
  const regionHeaders = { ...headers, "x-amz-bucket-region": ref.bucket.region };
  if (ctx.signingRegion !== ref.bucket.region) {
    return { status: 301, headers: regionHeaders, body: "" };
  }
  if (ref.account.id !== ctx.principal.account.id) {
    return { status: 403, headers: regionHeaders, body: "" };
  }
  return {
    status: 200,
    headers: { ...regionHeaders, "x-amz-access-point-alias": "false" },
    body: "",
  };
}

function urlEncodeKey(text: string): string {
  return encodeURIComponent(text).replace(/%2F/g, "/");
}

/** One page of a ListObjectsV2 listing (pure, exported for tests). */
export function listObjectsPage(
  objects: readonly SimObject[],
  options: { prefix: string; delimiter: string; maxKeys: number; after: string },
): { contents: SimObject[]; prefixes: string[]; truncated: boolean; nextMarker?: string } {
  const { prefix, delimiter, maxKeys, after } = options;
  const sorted = [...objects].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const contents: SimObject[] = [];
  const prefixes: string[] = [];
  let last = "";
  let count = 0;
  for (const obj of sorted) {
    if (!obj.key.startsWith(prefix)) continue;
    if (after && obj.key <= after) continue;
    if (after && delimiter && after.endsWith(delimiter) && obj.key.startsWith(after)) continue;
    let common: string | undefined;
    if (delimiter) {
      const at = obj.key.indexOf(delimiter, prefix.length);
      if (at >= 0) common = obj.key.slice(0, at + delimiter.length);
    }
    if (common !== undefined && prefixes[prefixes.length - 1] === common) continue;
    if (count >= maxKeys) {
      return { contents, prefixes, truncated: true, nextMarker: last };
    }
    if (common !== undefined) {
      prefixes.push(common);
      last = common;
    } else {
      contents.push(obj);
      last = obj.key;
    }
    count++;
  }
  return { contents, prefixes, truncated: false };
}

function listObjectsV2(ctx: S3Context): S3Response {
  const ref = lookupBucket(ctx);
  if ("status" in ref) return ref;
  if (ctx.signingRegion !== ref.bucket.region) {
    return s3Error(
      301,
      "PermanentRedirect",
      MESSAGES.redirect,
      ctx.requestId,
      {
        Endpoint: `${ref.bucket.name}.s3.${ref.bucket.region}.amazonaws.com`,
        Bucket: ref.bucket.name,
      },
      { "x-amz-bucket-region": ref.bucket.region },
    );
  }
  if (ref.account.id !== ctx.principal.account.id) {
    return s3Error(403, "AccessDenied", MESSAGES.accessDenied, ctx.requestId);
  }
  const { params } = ctx.route;
  const prefix = params.get("prefix") ?? "";
  const delimiter = params.get("delimiter") ?? "";
  const maxText = params.get("max-keys");
  const maxKeys = maxText === null ? 1000 : Number(maxText);
  if (!Number.isInteger(maxKeys) || maxKeys < 0) {
    return s3Error(
      400,
      "InvalidArgument",
      "Provided max-keys not an integer or within integer range",
      ctx.requestId,
      {
        ArgumentName: "max-keys",
        ArgumentValue: maxText ?? "",
      },
    );
  }
  const token = params.get("continuation-token");
  const startAfter = params.get("start-after") ?? "";
  let after = startAfter;
  if (token !== null) {
    const decoded = decodeToken(token);
    if (decoded === undefined || token === "") {
      return s3Error(
        400,
        "InvalidArgument",
        "The continuation token provided is incorrect",
        ctx.requestId,
        {
          ArgumentName: "continuation-token",
        },
      );
    }
    after = decoded;
  }
  const page = listObjectsPage(ref.bucket.objects ?? [], {
    prefix,
    delimiter,
    maxKeys: Math.min(maxKeys, 1000),
    after,
  });
  const urlEncoding = params.get("encoding-type") === "url";
  const enc = (text: string) => (urlEncoding ? urlEncodeKey(text) : text);
  const parts = [
    el("Name", ref.bucket.name),
    el("Prefix", enc(prefix)),
    delimiter ? el("Delimiter", enc(delimiter)) : "",
    el("MaxKeys", maxKeys),
    el("KeyCount", page.contents.length + page.prefixes.length),
    el("IsTruncated", page.truncated),
    urlEncoding ? el("EncodingType", "url") : "",
    token !== null ? el("ContinuationToken", token) : "",
    page.nextMarker !== undefined ? el("NextContinuationToken", encodeToken(page.nextMarker)) : "",
    startAfter ? el("StartAfter", enc(startAfter)) : "",
    ...page.contents.map((o) =>
      `<Contents>${el("Key", enc(o.key))}${el("LastModified", isoMillis(o.lastModified))}${
        el("ETag", `"${etagOf(o)}"`)
      }${el("Size", o.size)}${el("StorageClass", o.storageClass ?? "STANDARD")}</Contents>`
    ),
    ...page.prefixes.map((p) => `<CommonPrefixes>${el("Prefix", enc(p))}</CommonPrefixes>`),
  ];
  return xmlOk(
    `<ListBucketResult xmlns="${NS}">${parts.join("")}</ListBucketResult>`,
    ctx.requestId,
  );
}

function etagOf(o: SimObject): string {
  let h = 0x811c9dc5;
  for (const ch of `${o.key}:${o.size}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0").repeat(4);
}

/** Answer one authenticated S3 request. */
export function handleS3(ctx: S3Context): S3Response {
  switch (ctx.route.action) {
    case "ListBuckets":
      return listBuckets(ctx);
    case "GetBucketLocation":
      return getBucketLocation(ctx);
    case "HeadBucket":
      return headBucket(ctx);
    case "ListObjectsV2":
      return listObjectsV2(ctx);
    default:
      return s3Error(
        501,
        "NotImplemented",
        "A header you provided implies functionality that is not implemented",
        ctx.requestId,
      );
  }
}

/** The bucket a route targets, for per-bucket knobs. */
export function routeBucket(route: S3Route): SimBucket["name"] | undefined {
  return route.bucket;
}
