/**
 * The calibration floor: the same requests xrole sends (AssumeRole, ListBuckets, one
 * GetBucketLocation per bucket with C in flight) from a minimal Deno script with no SDK: SigV4 by
 * hand over node:crypto, plain fetch (keep-alive), regexes instead of an XML parser. The gap
 * between this and xrole is the time xrole and the SDK spend on their own.
 *
 * Usage: deno run --allow-net=127.0.0.1 --allow-env tests/bench/floor.ts
 * Reads FLOOR_URL, FLOOR_KEY, FLOOR_SECRET, FLOOR_ROLE_ARN, FLOOR_EXTERNAL_ID, FLOOR_CONCURRENCY
 * from the environment (so no secret is on a command line) and prints the rows as JSON.
 */
import { createHash, createHmac } from "node:crypto";

interface Creds {
  key: string;
  secret: string;
  token?: string;
}

const REGION = "us-east-1";

function sha256Hex(data: string): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

const signingKeys = new Map<string, Buffer>();

function signingKey(secret: string, date: string, service: string): Buffer {
  const id = `${secret}/${date}/${service}`;
  let k = signingKeys.get(id);
  if (!k) {
    k = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), REGION), service), "aws4_request");
    signingKeys.set(id, k);
  }
  return k;
}

/** SigV4 headers for one request (path already URI-encoded, query already canonical). */
function sign(
  creds: Creds,
  service: "s3" | "sts",
  method: string,
  url: URL,
  query: string,
  body: string,
  extra: Record<string, string>,
): Record<string, string> {
  const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const date = amzDate.slice(0, 8);
  const payloadHash = sha256Hex(body);
  const headers: Record<string, string> = { ...extra, host: url.host, "x-amz-date": amzDate };
  if (service === "s3") headers["x-amz-content-sha256"] = payloadHash;
  if (creds.token) headers["x-amz-security-token"] = creds.token;
  const names = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v.trim();
  const canonical = [
    method,
    url.pathname,
    query,
    names.map((n) => `${n}:${lower[n]}\n`).join(""),
    names.join(";"),
    payloadHash,
  ].join("\n");
  const scope = `${date}/${REGION}/${service}/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
  const signature = createHmac("sha256", signingKey(creds.secret, date, service))
    .update(toSign).digest("hex");
  const out: Record<string, string> = { ...headers };
  delete out.host;
  out.authorization = `AWS4-HMAC-SHA256 Credential=${creds.key}/${scope}, ` +
    `SignedHeaders=${names.join(";")}, Signature=${signature}`;
  return out;
}

async function call(
  base: string,
  creds: Creds,
  service: "s3" | "sts",
  method: string,
  path: string,
  query: string,
  body = "",
): Promise<string> {
  const url = new URL(path + (query ? `?${query}` : ""), base);
  const extra: Record<string, string> = body
    ? { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }
    : {};
  const headers = sign(creds, service, method, url, query, body, extra);
  const res = await fetch(url, { method, headers, ...(body ? { body } : {}) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${service} ${method} ${path}?${query} failed: ${res.status}`);
  return text;
}

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}>`).exec(xml)?.[1];
}

function need(name: string): string {
  const v = Deno.env.get(name);
  if (!v) throw new Error(`Missing environment variable "${name}"`);
  return v;
}

async function main(): Promise<void> {
  const base = need("FLOOR_URL");
  const source: Creds = { key: need("FLOOR_KEY"), secret: need("FLOOR_SECRET") };
  const concurrency = Number(need("FLOOR_CONCURRENCY"));
  const form = new URLSearchParams({
    Action: "AssumeRole",
    Version: "2011-06-15",
    RoleArn: need("FLOOR_ROLE_ARN"),
    RoleSessionName: "floor",
    ExternalId: need("FLOOR_EXTERNAL_ID"),
  }).toString();
  const assumed = await call(base, source, "sts", "POST", "/", "", form);
  const creds: Creds = {
    key: tag(assumed, "AccessKeyId") ?? "",
    secret: tag(assumed, "SecretAccessKey") ?? "",
    token: tag(assumed, "SessionToken") ?? "",
  };
  const names: { name: string; created: string | null }[] = [];
  let token: string | undefined;
  do {
    const q = token
      ? `continuation-token=${encodeURIComponent(token)}&max-buckets=10000`
      : "max-buckets=10000";
    const page = await call(base, creds, "s3", "GET", "/", q);
    for (const m of page.matchAll(/<Bucket>(.*?)<\/Bucket>/gs)) {
      names.push({
        name: tag(m[1] ?? "", "Name") ?? "",
        created: tag(m[1] ?? "", "CreationDate") ?? null,
      });
    }
    token = tag(page, "ContinuationToken");
  } while (token);
  const rows: { name: string; region: string | null; created: string | null }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const b = names[next++]!;
      const xml = await call(
        base,
        creds,
        "s3",
        "GET",
        `/${encodeURIComponent(b.name)}`,
        "location=",
      );
      const constraint = tag(xml, "LocationConstraint") ?? "";
      const region = constraint === ""
        ? "us-east-1"
        : constraint === "EU"
        ? "eu-west-1"
        : constraint;
      rows.push({ name: b.name, region, created: b.created });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, worker));
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  console.log(JSON.stringify(rows, null, 2));
}

if (import.meta.main) await main();
