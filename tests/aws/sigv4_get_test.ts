/**
 * signGet, the fast GetBucketLocation path's own SigV4, against the SDK's SignatureV4 configured
 * as the fast path configured it before (service s3, uriEscapePath false, applyChecksum false, the
 * S3 client's sha256): the same headers byte for byte across path-style and virtual-hosted URLs,
 * ports, bucket names, partitions, session tokens, dates around midnight and alternating
 * credentials (so the signing-key cache must follow the secret and the day); and the simulator's
 * independent verifier accepts what it signs.
 */
import assert from "node:assert/strict";
import { SignatureV4 } from "@smithy/signature-v4";
import { makeS3Client } from "../../src/aws/s3_client.ts";
import { bucketEndpoints } from "../../src/aws/fast_location.ts";
import { EMPTY_SHA256, signGet, type SigningCredentials } from "../../src/aws/sigv4_get.ts";
import { verifySigV4 } from "../../src/sim/sigv4.ts";

const REGIONS = ["us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1"];

/** Secrets in AWS's alphabet ("/" and "+" included); C is B's session refreshed. */
const CREDENTIALS: [string, SigningCredentials][] = [
  ["static A", {
    accessKeyId: "AKIAXROLETESTKEY000A",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  }],
  ["session B", {
    accessKeyId: "ASIAXROLETESTKEY000B",
    secretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    sessionToken: "FwoGZXIvYXdzEBYaDHhyb2xlLXRlc3QtQiKAAb+session/token+B==",
  }],
  ["session B refreshed (same key id, new secret)", {
    accessKeyId: "ASIAXROLETESTKEY000B",
    secretAccessKey: "Zk3+q8W0aV/Yl1nB7cRr2sT4uE5vX6yA9bC0dEfG",
    sessionToken: "FwoGZXIvYXdzEBcaDHhyb2xlLXRlc3QtQyKAAb+session/token+C==",
  }],
  ["empty token (none, as the SDK reads it)", {
    accessKeyId: "AKIAXROLETESTKEY000D",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    sessionToken: "",
  }],
];

/** Midnight UTC from both sides (a new day needs a new signing key), and a leap day. */
const DATES = [
  "2026-03-04T05:06:07Z",
  "2025-12-31T23:59:59.999Z",
  "2026-01-01T00:00:00.000Z",
  "2025-12-31T23:59:58.000Z",
  "2024-02-29T00:00:00.001Z",
  "2024-02-28T23:59:59.500Z",
].map((d) => new Date(d));

/** URLs as they reach signGet: path already percent-encoded by URL. */
const URLS = [
  "http://127.0.0.1:4566/bucket-name?location",
  "https://bucket.s3.eu-west-1.amazonaws.com/?location",
  "https://minio.example.com:9443/bucket-name?location",
  "http://localhost:9000/my.dotted.bucket?location",
  "http://127.0.0.1:80/bucket-name?location",
  "https://s3.us-east-1.amazonaws.com:443/0123456789?location",
  "https://s3.us-east-1.amazonaws.com/MyLegacyBucket?location",
  "https://s3.cn-north-1.amazonaws.com.cn/legacy_underscore?location",
  "https://s3.us-gov-west-1.amazonaws.com/a%2Bb?location",
  "http://127.0.0.1:4566/with space?location",
  "http://127.0.0.1:4566/tilde%21-x~y?location",
  "https://1-2.3.s3.us-gov-west-1.amazonaws.com/?location",
  "http://127.0.0.1:4566/bucket-name",
  // Beyond the fast path's one query: sorting (keys, "a" before "a-b") and AWS's encoding.
  "http://127.0.0.1:4566/bucket-name?list-type=2&prefix=logs%2F2024%20q1%2F%C3%A4%2Bb&delimiter=%2F",
  "https://bucket.s3.eu-west-1.amazonaws.com/?b=2&a-b=3&a=1&c=it's(*)!~&empty=",
  // Nothing to decode (signGet splits it itself): empty parts, "=" in a value, an empty key.
  "http://127.0.0.1:4566/bucket-name?versionId=3&&a==b=c&=x&uploads&location&Z=_.-~",
];

/** Legacy and odd names as the S3 endpoint rules place them, path-style and virtual-hosted. */
const RULE_BUCKETS = [
  "bucket-name",
  "123",
  "my.dotted.bucket",
  "MyLegacyBucket",
  "legacy_underscore",
  "a+b",
  "with space",
  "tilde!",
];

/** Credentials for the clients that supply sha256 and endpoints (they never sign here). */
const CLIENT_CREDENTIALS = { accessKeyId: "AKIAXROLETESTKEY000Z", secretAccessKey: "unused" };

const SHA256 = makeS3Client({ region: "us-east-1", credentials: CLIENT_CREDENTIALS }).config.sha256;

/** The SDK's headers for the request, signed the way the fast path used to sign it. */
async function viaSdk(
  url: URL,
  region: string,
  credentials: SigningCredentials,
  date: Date,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken !== undefined ? { sessionToken: credentials.sessionToken } : {}),
    },
    region,
    service: "s3",
    sha256: SHA256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = await signer.sign({
    method: "GET",
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, "x-amz-content-sha256": EMPTY_SHA256 },
  }, { signingDate: date });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) if (k !== "host") headers[k] = v;
  return headers;
}

function viaSignGet(
  url: URL,
  region: string,
  credentials: SigningCredentials,
  date: Date,
): Record<string, string> {
  return signGet({ url, region, service: "s3", credentials, date });
}

Deno.test("signGet's headers equal the SDK signer's byte for byte (URLs x regions x dates x alternating credentials)", async () => {
  let compared = 0;
  // Credentials alternate on every signature and the day changes between rounds, so a signing
  // key cached under the wrong secret or day would show as a different signature.
  for (const date of DATES) {
    for (const region of REGIONS) {
      for (const href of URLS) {
        for (const [name, credentials] of CREDENTIALS) {
          const url = new URL(href);
          const label = `${href} ${region} ${name} ${date.toISOString()}`;
          const ours = viaSignGet(url, region, credentials, date);
          assert.deepEqual(ours, await viaSdk(url, region, credentials, date), label);
          assert.equal(url.href, new URL(href).href, `${label}: the URL is left as it was`);
          compared++;
        }
      }
    }
  }
  assert.equal(compared, DATES.length * REGIONS.length * URLS.length * CREDENTIALS.length);
});

Deno.test("signGet signs what the fast path sends: the endpoint rules' URLs for odd bucket names", async () => {
  const clients = [
    ...REGIONS.map((region) => ({ region })),
    { region: "eu-west-1", endpoint: "http://127.0.0.1:4566" },
    { region: "us-east-1", endpoint: "https://minio.example.com:9443/store" },
  ];
  const date = DATES[0]!;
  let compared = 0;
  for (const options of clients) {
    const lookup = bucketEndpoints(
      makeS3Client({ ...options, credentials: CLIENT_CREDENTIALS }),
    );
    for (const bucket of RULE_BUCKETS) {
      const endpoint = await lookup(bucket);
      assert.ok(endpoint, `${bucket} in ${JSON.stringify(options)} has a SigV4 endpoint`);
      const { url, signingRegion } = endpoint;
      url.search = "location"; // as the fast path sets it
      for (const [name, credentials] of CREDENTIALS) {
        assert.deepEqual(
          viaSignGet(url, signingRegion, credentials, date),
          await viaSdk(url, signingRegion, credentials, date),
          `${url.href} ${signingRegion} ${name}`,
        );
        compared++;
      }
    }
  }
  assert.equal(compared, clients.length * RULE_BUCKETS.length * CREDENTIALS.length);
});

Deno.test("signGet signs a new day, a refreshed secret and another region with a new key", () => {
  const url = new URL("http://127.0.0.1:4566/bucket-name?location");
  const [, b, refreshed] = CREDENTIALS.map(([, c]) => c);
  const signature = (c: SigningCredentials, date: string, region = "eu-west-1") =>
    viaSignGet(url, region, c, new Date(date)).authorization!.replace(/.*Signature=/, "");
  const before = signature(b!, "2025-12-31T23:59:59.999Z");
  assert.notEqual(signature(b!, "2026-01-01T00:00:00.000Z"), before);
  assert.notEqual(signature(refreshed!, "2025-12-31T23:59:59.999Z"), before);
  assert.notEqual(signature(b!, "2025-12-31T23:59:59.999Z", "us-east-1"), before);
  assert.equal(signature(b!, "2025-12-31T23:59:59.999Z"), before, "deterministic");
  assert.match(
    viaSignGet(url, "eu-west-1", b!, new Date("2026-01-01T00:00:00Z")).authorization!,
    /^AWS4-HMAC-SHA256 Credential=ASIAXROLETESTKEY000B\/20260101\/eu-west-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
  );
});

Deno.test("signGet returns only the headers to send: no host, a token only when there is one", () => {
  const url = new URL("https://bucket.s3.eu-west-1.amazonaws.com/?location");
  const date = new Date("2026-03-04T05:06:07.890Z");
  const [a, b, , empty] = CREDENTIALS.map(([, c]) => c);
  assert.deepEqual(Object.keys(viaSignGet(url, "eu-west-1", a!, date)).sort(), [
    "authorization",
    "x-amz-content-sha256",
    "x-amz-date",
  ]);
  assert.deepEqual(Object.keys(viaSignGet(url, "eu-west-1", empty!, date)).sort(), [
    "authorization",
    "x-amz-content-sha256",
    "x-amz-date",
  ]);
  const withToken = viaSignGet(url, "eu-west-1", b!, date);
  assert.equal(withToken["x-amz-security-token"], b!.sessionToken);
  assert.equal(withToken["x-amz-date"], "20260304T050607Z");
  assert.equal(withToken["x-amz-content-sha256"], EMPTY_SHA256);
});

Deno.test("a token with odd whitespace is signed as the SDK canonicalises it", async () => {
  const url = new URL("http://127.0.0.1:4566/bucket-name?location");
  const date = DATES[0]!;
  for (const sessionToken of [" lead", "trail ", "two  spaces", "tab\there", "a \t b"]) {
    const credentials = { ...CREDENTIALS[1]![1], sessionToken };
    assert.deepEqual(
      viaSignGet(url, "eu-west-1", credentials, date),
      await viaSdk(url, "eu-west-1", credentials, date),
      JSON.stringify(sessionToken),
    );
  }
});

Deno.test("the simulator's verifier accepts signGet's signatures and refuses a wrong secret", () => {
  for (const [name, credentials] of CREDENTIALS) {
    for (const href of URLS.slice(0, 4)) {
      const url = new URL(href);
      const date = DATES[1]!;
      const headers = new Headers({ ...viaSignGet(url, "eu-west-1", credentials, date) });
      headers.set("host", url.host);
      const request = {
        method: "GET",
        path: url.pathname,
        query: url.search.slice(1),
        headers,
        body: new Uint8Array(),
      };
      const key = (secretAccessKey: string) => (id: string) =>
        id === credentials.accessKeyId
          ? {
            secretAccessKey,
            ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
          }
          : undefined;
      const ok = verifySigV4(request, key(credentials.secretAccessKey), date, "s3");
      assert.equal(ok.ok, true, `${href} ${name}: ${JSON.stringify(ok)}`);
      const wrong = verifySigV4(request, key(credentials.secretAccessKey + "x"), date, "s3");
      assert.equal(wrong.ok, false, `${href} ${name}: a wrong secret is refused`);
    }
  }
});

Deno.test("signGet refuses incomplete credentials without naming them", () => {
  const url = new URL("http://127.0.0.1:4566/bucket-name?location");
  const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  const cases = [
    { secretAccessKey: secret, sessionToken: "token-value" },
    { accessKeyId: "AKIAXROLETESTKEY000A", sessionToken: "token-value" },
  ] as unknown as SigningCredentials[];
  for (const credentials of cases) {
    assert.throws(
      () => viaSignGet(url, "eu-west-1", credentials, DATES[0]!),
      (err: Error) =>
        !err.message.includes(secret) && !err.message.includes("token-value") &&
        !err.message.includes("AKIAXROLETESTKEY000A"),
    );
  }
});
