/**
 * SigV4 (Authorization header form) for one request shape only: a GET with an empty payload and
 * the headers host, x-amz-content-sha256, x-amz-date and, with temporary credentials,
 * x-amz-security-token. It is what the fast GetBucketLocation path sends (fast_location.ts), signed
 * for about a quarter of the CPU of the SDK's SignatureV4 (which spends an extra HMAC per call on
 * its signing-key cache key, and goes through promises and byte conversions). The output equals
 * the SDK's (service "s3", uriEscapePath false) byte for byte; tests/aws/sigv4_get_test.ts holds
 * it to that. Every other request is signed by the SDK.
 */
import type { Buffer } from "node:buffer";
import { createHash, createHmac } from "node:crypto";

/** sha256 of the empty payload. */
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface GetToSign {
  /**
   * The URL to fetch. Its path is signed as it stands (URL has already percent-encoded it; S3 does
   * not encode it twice); its query, decoded as URLSearchParams does, is signed in canonical form.
   */
  url: URL;
  region: string;
  service: string;
  credentials: SigningCredentials;
  /** The signing time (the caller applies any clock-skew correction). */
  date: Date;
}

/**
 * The headers to send with `request` besides host (fetch sets host from the URL): authorization,
 * x-amz-date, x-amz-content-sha256 and, when the credentials have a token, x-amz-security-token.
 */
export function signGet(request: GetToSign): Record<string, string> {
  const { url, region, service, credentials, date } = request;
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;
  if (typeof accessKeyId !== "string" || typeof secretAccessKey !== "string") {
    // Never the credentials themselves in the message.
    throw new Error("Resolved credential object is not valid");
  }
  // "2026-03-04T05:06:07.000Z" -> "20260304T050607Z", as the SDK's iso8601 does.
  const iso = date.toISOString();
  const longDate = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 13) + iso.slice(14, 16) +
    iso.slice(17, 19) + "Z";
  const shortDate = longDate.slice(0, 8);
  const scope = `${shortDate}/${region}/${service}/aws4_request`;

  let canonicalHeaders = `host:${canonicalValue(url.host)}\n` +
    `x-amz-content-sha256:${EMPTY_SHA256}\nx-amz-date:${longDate}\n`;
  let signedHeaders = "host;x-amz-content-sha256;x-amz-date";
  // Truthy, as the SDK checks it: an empty token is no token.
  if (sessionToken) {
    canonicalHeaders += `x-amz-security-token:${canonicalValue(sessionToken)}\n`;
    signedHeaders += ";x-amz-security-token";
  }
  const canonicalRequest = `GET\n${url.pathname}\n${canonicalQuery(url)}\n${canonicalHeaders}\n` +
    `${signedHeaders}\n${EMPTY_SHA256}`;
  const stringToSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n` +
    createHash("sha256").update(canonicalRequest).digest("hex");
  const signature = createHmac("sha256", signingKey(secretAccessKey, shortDate, region, service))
    .update(stringToSign).digest("hex");

  const headers: Record<string, string> = {
    "x-amz-content-sha256": EMPTY_SHA256,
    "x-amz-date": longDate,
  };
  if (sessionToken) headers["x-amz-security-token"] = sessionToken;
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

/** Derived signing keys, oldest first; few entries (one per credentials, day and region). */
const signingKeys = new Map<string, Buffer>();
const MAX_SIGNING_KEYS = 32;

/**
 * The signing key (4 HMACs), cached per secret, day, region and service: a refreshed session
 * (new secret) or a new UTC day derives a new one.
 */
function signingKey(
  secret: string,
  shortDate: string,
  region: string,
  service: string,
): Buffer {
  // Lengths make the id unambiguous whatever the parts contain; the date is 8 characters.
  const id = `${region.length}:${region}${service.length}:${service}${shortDate}${secret}`;
  let key = signingKeys.get(id);
  if (!key) {
    const hmac = (k: string | Buffer, data: string) =>
      createHmac("sha256", k).update(data).digest();
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, shortDate), region), service), "aws4_request");
    if (signingKeys.size >= MAX_SIGNING_KEYS) {
      signingKeys.delete(signingKeys.keys().next().value!);
    }
    signingKeys.set(id, key);
  }
  return key;
}

/** A header value as SigV4 signs it (line breaks and runs of blanks as one space, trimmed). */
function canonicalValue(value: string): string {
  return /[\r\n\t]| {2}|^ | $/.test(value)
    ? value.replace(/[\r\n]/g, " ").replace(/[ \t]+/g, " ").replace(/^ | $/g, "")
    : value;
}

/** The canonical query string: pairs sorted by key, then value, both URI-encoded AWS's way. */
function canonicalQuery(url: URL): string {
  const search = url.search;
  if (search === "") return "";
  const pairs: [string, string][] = [];
  // Without "%" or "+" there is nothing to decode: split it here rather than have URL build its
  // URLSearchParams (~2 µs, the price of a hash) for the fast path's "?location".
  const entries = /[%+]/.test(search) ? url.searchParams : plainEntries(search.slice(1));
  for (const [k, v] of entries) {
    // The SDK leaves out a query signature (presigned URLs); kept so for byte equality.
    if (k.toLowerCase() !== "x-amz-signature") pairs.push([uriEscape(k), uriEscape(v)]);
  }
  pairs.sort(([ka, va], [kb, vb]) => ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0);
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/** A query without escapes as URLSearchParams reads it: "&"-separated, empty parts skipped. */
function plainEntries(query: string): [string, string][] {
  const entries: [string, string][] = [];
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    entries.push(eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)]);
  }
  return entries;
}

/** RFC 3986 encoding as AWS wants it: encodeURIComponent, plus !'()* encoded. */
function uriEscape(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
