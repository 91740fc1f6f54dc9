/**
 * The simulator's SigV4 verifier against requests signed by the AWS SDK's own signer
 * (@smithy/signature-v4), so "the SDK's signature is accepted" is checked against the real thing.
 */
import assert from "node:assert/strict";
import { SignatureV4 } from "@smithy/signature-v4";
import { type KeyRecord, parseAuthorization, uriEscape, verifySigV4 } from "../../src/sim/sigv4.ts";
import { Sha256 } from "../_helpers/sim.ts";

const KEY_ID = "AKIAXROLETESTKEY0001";
const SECRET = "testSecretKey0000000000000000000000000000";
const HOST = "127.0.0.1:4566";
const NOW = new Date("2026-03-04T05:06:07Z");

interface Signed {
  method: string;
  path: string;
  query: string;
  headers: Headers;
  body: Uint8Array;
}

async function sign(options: {
  service: "sts" | "s3";
  region?: string;
  method?: string;
  path?: string;
  query?: Record<string, string>;
  body?: string;
  secret?: string;
  keyId?: string;
  sessionToken?: string;
  headers?: Record<string, string>;
}): Promise<Signed> {
  const signer = new SignatureV4({
    service: options.service,
    region: options.region ?? "eu-west-1",
    credentials: {
      accessKeyId: options.keyId ?? KEY_ID,
      secretAccessKey: options.secret ?? SECRET,
      ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}),
    },
    sha256: Sha256,
    uriEscapePath: options.service !== "s3",
    applyChecksum: options.service === "s3",
  });
  const body = options.body ?? "";
  const signed = await signer.sign({
    method: options.method ?? (options.service === "sts" ? "POST" : "GET"),
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 4566,
    path: options.path ?? "/",
    query: options.query ?? {},
    headers: {
      host: HOST,
      ...(options.service === "sts"
        ? { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }
        : {}),
      ...options.headers,
    },
    body,
  }, { signingDate: NOW });
  const query = Object.entries(options.query ?? {})
    .map(([k, v]) => (v === "" ? uriEscape(k) : `${uriEscape(k)}=${uriEscape(v)}`))
    .join("&");
  return {
    method: signed.method,
    path: signed.path,
    query,
    headers: new Headers(signed.headers as Record<string, string>),
    body: new TextEncoder().encode(body),
  };
}

function lookupOf(records: Record<string, KeyRecord>) {
  return (id: string) => records[id];
}

const STATIC = lookupOf({ [KEY_ID]: { secretAccessKey: SECRET } });
const STS_BODY = "Action=GetCallerIdentity&Version=2011-06-15";

Deno.test("an STS request signed by the SDK is accepted and names its key and region", async () => {
  const req = await sign({ service: "sts", body: STS_BODY });
  const result = verifySigV4(req, STATIC, NOW, "sts");
  assert.equal(result.ok, true);
  if (!result.ok) return;
  assert.equal(result.accessKeyId, KEY_ID);
  assert.equal(result.region, "eu-west-1");
  assert.equal(result.service, "sts");
});

Deno.test("requests signed for any region are accepted by the one local endpoint", async () => {
  for (const region of ["us-east-1", "ap-southeast-2", "sa-east-1", "eu-central-2"]) {
    const req = await sign({ service: "sts", region, body: STS_BODY });
    const result = verifySigV4(req, STATIC, NOW, "sts");
    assert.ok(result.ok, `signed for ${region}`);
    assert.equal(result.region, region);
  }
});

Deno.test("an S3 request with dotted bucket, query and payload hash is accepted", async () => {
  const req = await sign({
    service: "s3",
    path: "/acme.dotted.oregon",
    query: { "list-type": "2", prefix: "logs/2024 q1/ä+b", delimiter: "/", "max-keys": "7" },
  });
  assert.ok(req.headers.get("x-amz-content-sha256"), "the SDK signs a payload hash on S3");
  const result = verifySigV4(req, STATIC, NOW, "s3");
  assert.equal(result.ok, true);
  assert.equal(result.ok && result.service, "s3");
});

Deno.test("S3 sub-resources without a value (?location) verify", async () => {
  const req = await sign({ service: "s3", path: "/acme-logs", query: { location: "" } });
  assert.equal(verifySigV4(req, STATIC, NOW, "s3").ok, true);
});

Deno.test("a wrong secret is SignatureDoesNotMatch with each service's own message", async () => {
  const sts = verifySigV4(
    await sign({ service: "sts", body: STS_BODY, secret: "wrong" + SECRET.slice(5) }),
    STATIC,
    NOW,
    "sts",
  );
  assert.deepEqual(sts.ok ? null : [sts.status, sts.code], [403, "SignatureDoesNotMatch"]);
  assert.match(sts.ok ? "" : sts.message, /Check your AWS Secret Access Key and signing method/);
  const s3 = verifySigV4(
    await sign({ service: "s3", path: "/b", secret: "wrong" + SECRET.slice(5) }),
    STATIC,
    NOW,
    "s3",
  );
  assert.deepEqual(s3.ok ? null : [s3.status, s3.code], [403, "SignatureDoesNotMatch"]);
  assert.match(s3.ok ? "" : s3.message, /Check your key and signing method\.$/);
});

Deno.test("an unknown access key is InvalidClientTokenId for STS and InvalidAccessKeyId for S3", async () => {
  const sts = verifySigV4(
    await sign({ service: "sts", body: STS_BODY, keyId: "AKIANOTINTHEWORLD000" }),
    STATIC,
    NOW,
    "sts",
  );
  assert.equal(sts.ok ? "" : sts.code, "InvalidClientTokenId");
  assert.equal(sts.ok ? "" : sts.message, "The security token included in the request is invalid.");
  const s3 = verifySigV4(
    await sign({ service: "s3", keyId: "AKIANOTINTHEWORLD000" }),
    STATIC,
    NOW,
    "s3",
  );
  assert.equal(s3.ok ? "" : s3.code, "InvalidAccessKeyId");
});

Deno.test("a body changed after signing is refused", async () => {
  const req = await sign({ service: "sts", body: STS_BODY });
  req.body = new TextEncoder().encode(STS_BODY.replace("GetCallerIdentity", "AssumeRole"));
  const result = verifySigV4(req, STATIC, NOW, "sts");
  assert.equal(result.ok ? "" : result.code, "SignatureDoesNotMatch");
});

Deno.test("an S3 body that does not match its signed x-amz-content-sha256 is refused", async () => {
  const req = await sign({ service: "s3", method: "PUT", path: "/b", body: "hello" });
  req.body = new TextEncoder().encode("hellO");
  const result = verifySigV4(req, STATIC, NOW, "s3");
  assert.equal(result.ok ? "" : result.code, "XAmzContentSHA256Mismatch");
});

Deno.test("UNSIGNED-PAYLOAD lets any body through when the rest is signed", async () => {
  const req = await sign({
    service: "s3",
    method: "PUT",
    path: "/b",
    body: "whatever",
    headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
  });
  req.body = new TextEncoder().encode("something else");
  assert.equal(verifySigV4(req, STATIC, NOW, "s3").ok, true);
});

Deno.test("a query parameter changed after signing is refused", async () => {
  const req = await sign({ service: "s3", path: "/b", query: { "list-type": "2", prefix: "a/" } });
  req.query = "list-type=2&prefix=b%2F";
  const result = verifySigV4(req, STATIC, NOW, "s3");
  assert.equal(result.ok ? "" : result.code, "SignatureDoesNotMatch");
});

Deno.test("a signed header changed after signing is refused", async () => {
  const req = await sign({ service: "sts", body: STS_BODY });
  req.headers.set("host", "127.0.0.1:9999");
  const result = verifySigV4(req, STATIC, NOW, "sts");
  assert.equal(result.ok ? "" : result.code, "SignatureDoesNotMatch");
});

Deno.test("temporary credentials need their exact session token and stop at expiry", async () => {
  const token = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";
  const expiration = new Date(NOW.getTime() + 60_000);
  const lookup = lookupOf({
    ASIATEMPORARYKEY0001: { secretAccessKey: SECRET, sessionToken: token, expiration },
  });
  const keyId = "ASIATEMPORARYKEY0001";
  const good = await sign({ service: "sts", body: STS_BODY, keyId, sessionToken: token });
  assert.equal(verifySigV4(good, lookup, NOW, "sts").ok, true);

  const missing = await sign({ service: "sts", body: STS_BODY, keyId });
  const r1 = verifySigV4(missing, lookup, NOW, "sts");
  assert.equal(r1.ok ? "" : r1.code, "InvalidClientTokenId");

  const wrong = await sign({ service: "sts", body: STS_BODY, keyId, sessionToken: token + "x" });
  const r2 = verifySigV4(wrong, lookup, NOW, "sts");
  assert.equal(r2.ok ? "" : r2.code, "InvalidClientTokenId");

  const later = new Date(expiration.getTime() + 1000);
  const r3 = verifySigV4(good, lookup, later, "sts");
  assert.equal(r3.ok ? "" : r3.code, "ExpiredToken");
  const s3 = await sign({ service: "s3", path: "/b", keyId, sessionToken: token });
  const r4 = verifySigV4(s3, lookup, later, "s3");
  assert.equal(r4.ok ? "" : r4.code, "ExpiredToken");
});

Deno.test("a request without Authorization is refused as unauthenticated", () => {
  const req = {
    method: "POST",
    path: "/",
    query: "",
    headers: new Headers({ host: HOST }),
    body: new TextEncoder().encode(STS_BODY),
  };
  const sts = verifySigV4(req, STATIC, NOW, "sts");
  assert.equal(sts.ok ? "" : sts.code, "MissingAuthenticationToken");
  const s3 = verifySigV4({ ...req, method: "GET", body: new Uint8Array() }, STATIC, NOW, "s3");
  assert.equal(s3.ok ? "" : s3.code, "AccessDenied");
});

Deno.test("the Authorization header parser reads the credential scope", () => {
  const parsed = parseAuthorization(
    "AWS4-HMAC-SHA256 Credential=AKID/20260304/eu-west-1/s3/aws4_request, " +
      "SignedHeaders=host;x-amz-date, Signature=abc",
  );
  assert.deepEqual(parsed, {
    accessKeyId: "AKID",
    date: "20260304",
    region: "eu-west-1",
    service: "s3",
    signedHeaders: ["host", "x-amz-date"],
    signature: "abc",
  });
  assert.equal(parseAuthorization("Basic dXNlcjpwYXNz"), undefined);
});
