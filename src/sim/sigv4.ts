/**
 * AWS Signature Version 4 verification (Authorization header form), as STS and S3 do it.
 * Pure: no I/O; the caller supplies the request, a key lookup and the clock.
 */
import { createHash, createHmac } from "node:crypto";

/** The parts of an HTTP request that SigV4 covers. */
export interface SignedRequestParts {
  method: string;
  /** The path exactly as received (still percent-encoded), e.g. "/my.bucket". */
  path: string;
  /** The raw query string without "?", e.g. "location" or "list-type=2&prefix=a%2F". */
  query: string;
  /** Header lookup by lower-case name. */
  headers: { get(name: string): string | null };
  body: Uint8Array;
}

/** What the verifier needs to know about an access key. */
export interface KeyRecord {
  secretAccessKey: string;
  /** Temporary credentials: the token the request must carry. */
  sessionToken?: string;
  /** Temporary credentials: when they stop working. */
  expiration?: Date;
}

/** The services this endpoint speaks. */
export type SimService = "sts" | "s3";

/** A parsed `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Verification outcome. */
export type VerifyResult<K extends KeyRecord> =
  | { ok: true; accessKeyId: string; region: string; service: SimService; key: K }
  | { ok: false; status: number; code: string; message: string };

export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
const ALGORITHM = "AWS4-HMAC-SHA256";

/** Lower-case hex SHA-256. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: Uint8Array | string, data: string): Uint8Array {
  return createHmac("sha256", key).update(data).digest();
}

const signingKeys = new Map<string, Uint8Array>();

/** kSigning = HMAC chain over date, region, service, "aws4_request" (cached). */
export function signingKey(
  secret: string,
  date: string,
  region: string,
  service: string,
): Uint8Array {
  const cacheKey = `${secret}\n${date}\n${region}\n${service}`;
  const cached = signingKeys.get(cacheKey);
  if (cached) return cached;
  const kDate = hmac(`AWS4${secret}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  const key = hmac(kService, "aws4_request");
  if (signingKeys.size > 1000) signingKeys.clear();
  signingKeys.set(cacheKey, key);
  return key;
}

/** RFC 3986 percent-encoding as SigV4 wants it (encodeURIComponent plus !'()*). */
export function uriEscape(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The canonical query string: each name and value decoded, re-encoded, sorted. */
export function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) return "";
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const name = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : safeDecode(part.slice(eq + 1));
    if (name.toLowerCase() === "x-amz-signature") continue;
    pairs.push([uriEscape(name), uriEscape(value)]);
  }
  pairs.sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/** Canonical paths to try: S3 signs the path as sent; other services normalise and re-encode. */
export function canonicalPaths(rawPath: string, service: string): string[] {
  const path = rawPath || "/";
  if (service === "s3") return [path];
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith("/") ? "/" : ""}${segments.join("/")}${
    segments.length > 0 && path.endsWith("/") ? "/" : ""
  }`;
  const escaped = uriEscape(normalized).replace(/%2F/g, "/");
  return escaped === path ? [path] : [escaped, path];
}

/** A header value as SigV4 canonicalises it: trimmed, inner runs of spaces collapsed. */
function canonicalHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, " ");
}

/** Parse the Authorization header; undefined when it is not SigV4. */
export function parseAuthorization(header: string | null): ParsedAuthorization | undefined {
  if (!header || !header.startsWith(`${ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!credential || !signedHeaders || !signature) return undefined;
  const scope = credential.split("/");
  if (scope.length !== 5 || scope[4] !== "aws4_request") return undefined;
  const [accessKeyId, date, region, service] = scope as [string, string, string, string];
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: signedHeaders.split(";").map((h) => h.toLowerCase()),
    signature,
  };
}

/** The canonical request (for one candidate path). */
export function canonicalRequest(
  req: SignedRequestParts,
  canonicalPath: string,
  signedHeaders: string[],
  payloadHash: string,
): string {
  const headerLines = signedHeaders.map((name) =>
    `${name}:${canonicalHeaderValue(req.headers.get(name) ?? "")}`
  );
  return [
    req.method.toUpperCase(),
    canonicalPath,
    canonicalQuery(req.query),
    headerLines.join("\n") + "\n",
    signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
}

/** The string to sign for a canonical request. */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join("\n");
}

function timingSafeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Error texts as STS and S3 send them. */
const MESSAGES = {
  invalidToken: "The security token included in the request is invalid.",
  s3UnknownKey: "The AWS Access Key Id you provided does not exist in our records.",
  s3BadToken: "The provided token is malformed or otherwise invalid.",
  stsSignature:
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  s3Signature:
    "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
  stsExpired: "The security token included in the request is expired",
  s3Expired: "The provided token has expired.",
  missingAuth: "Request is missing Authentication Token",
  s3MissingAuth: "Access Denied",
  sha256Mismatch: "The provided 'x-amz-content-sha256' header does not match what was computed.",
} as const;

function fail<K extends KeyRecord>(status: number, code: string, message: string): VerifyResult<K> {
  return { ok: false, status, code, message };
}

/**
 * Verify a request's SigV4 signature. `service` is the API the request is for (the caller decides
 * it, e.g. from the credential scope); any region in the scope is accepted.
 */
export function verifySigV4<K extends KeyRecord>(
  req: SignedRequestParts,
  lookup: (accessKeyId: string) => K | undefined,
  now: Date,
  serviceHint?: SimService,
): VerifyResult<K> {
  const auth = parseAuthorization(req.headers.get("authorization"));
  const s3 = (auth?.service ?? serviceHint) === "s3";
  if (!auth) {
    return s3
      ? fail(403, "AccessDenied", MESSAGES.s3MissingAuth)
      : fail(403, "MissingAuthenticationToken", MESSAGES.missingAuth);
  }
  if (auth.service !== "sts" && auth.service !== "s3") {
    return fail(
      403,
      "SignatureDoesNotMatch",
      `Credential should be scoped to correct service: '${serviceHint ?? "sts"}'.`,
    );
  }
  const service: SimService = auth.service;
  const key = lookup(auth.accessKeyId);
  if (!key) {
    return s3
      ? fail(403, "InvalidAccessKeyId", MESSAGES.s3UnknownKey)
      : fail(403, "InvalidClientTokenId", MESSAGES.invalidToken);
  }
  if (key.sessionToken !== undefined) {
    const token = req.headers.get("x-amz-security-token");
    if (token === null) {
      return s3
        ? fail(403, "InvalidAccessKeyId", MESSAGES.s3UnknownKey)
        : fail(403, "InvalidClientTokenId", MESSAGES.invalidToken);
    }
    if (token !== key.sessionToken) {
      return s3
        ? fail(400, "InvalidToken", MESSAGES.s3BadToken)
        : fail(403, "InvalidClientTokenId", MESSAGES.invalidToken);
    }
  }
  const amzDate = req.headers.get("x-amz-date") ?? "";
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== auth.date) {
    return s3
      ? fail(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header")
      : fail(403, "IncompleteSignature", "Date must be in ISO-8601 'basic format'.");
  }
  if (!auth.signedHeaders.includes("host")) {
    return fail(
      403,
      s3 ? "AccessDenied" : "SignatureDoesNotMatch",
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  const bodyHash = sha256Hex(req.body);
  const declared = req.headers.get("x-amz-content-sha256");
  let payloadHash = bodyHash;
  if (declared !== null) {
    payloadHash = declared;
    if (declared !== UNSIGNED_PAYLOAD && !declared.startsWith("STREAMING-")) {
      if (declared !== bodyHash) {
        return fail(400, "XAmzContentSHA256Mismatch", MESSAGES.sha256Mismatch);
      }
    }
  } else if (s3) {
    return fail(
      400,
      "InvalidRequest",
      "Missing required header for this request: x-amz-content-sha256",
    );
  }
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const kSigning = signingKey(key.secretAccessKey, auth.date, auth.region, auth.service);
  let matched = false;
  for (const path of canonicalPaths(req.path, auth.service)) {
    const canonical = canonicalRequest(req, path, auth.signedHeaders, payloadHash);
    const expected = createHmac("sha256", kSigning)
      .update(stringToSign(amzDate, scope, canonical))
      .digest("hex");
    if (timingSafeEqualHex(expected, auth.signature)) {
      matched = true;
      break;
    }
  }
  if (!matched) {
    return s3
      ? fail(403, "SignatureDoesNotMatch", MESSAGES.s3Signature)
      : fail(403, "SignatureDoesNotMatch", MESSAGES.stsSignature);
  }
  if (key.expiration && key.expiration.getTime() <= now.getTime()) {
    return s3
      ? fail(400, "ExpiredToken", MESSAGES.s3Expired)
      : fail(403, "ExpiredToken", MESSAGES.stsExpired);
  }
  return { ok: true, accessKeyId: auth.accessKeyId, region: auth.region, service, key };
}
