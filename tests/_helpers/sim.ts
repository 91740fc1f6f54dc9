/**
 * Test helpers around the simulator: start/close it around a test, write AWS files for it, and
 * make real SDK clients pointed at it.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { FetchHttpHandler } from "@smithy/fetch-http-handler";
import { SignatureV4 } from "@smithy/signature-v4";
import { createHash, createHmac } from "node:crypto";
import { DEMO } from "../../src/sim/demo_world.ts";
import { type Simulator, type SimulatorOptions, startSimulator } from "../../src/sim/server.ts";

/** Start a simulator, run `fn`, always close it. */
export async function withSimulator<T>(
  options: SimulatorOptions,
  fn: (sim: Simulator) => Promise<T>,
): Promise<T> {
  const sim = await startSimulator(options);
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

/** Static or temporary credentials for SDK clients. */
export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The demo user's long-term keys. */
export const DEMO_CREDENTIALS: TestCredentials = {
  accessKeyId: DEMO.accessKeyId,
  secretAccessKey: DEMO.secretAccessKey,
};

/** A real STS client against the simulator. */
export function stsClient(
  sim: Simulator,
  credentials: TestCredentials = DEMO_CREDENTIALS,
  options: { region?: string; maxAttempts?: number } = {},
): STSClient {
  return new STSClient({
    region: options.region ?? "eu-west-1",
    endpoint: sim.url,
    credentials,
    requestHandler: new FetchHttpHandler(),
    maxAttempts: options.maxAttempts ?? 1,
  });
}

/** A real S3 client against the simulator (path-style, following region redirects). */
export function s3Client(
  sim: Simulator,
  credentials: TestCredentials,
  options: { region?: string; maxAttempts?: number; followRegionRedirects?: boolean } = {},
): S3Client {
  return new S3Client({
    region: options.region ?? "eu-west-1",
    endpoint: sim.url,
    credentials,
    forcePathStyle: true,
    followRegionRedirects: options.followRegionRedirects ?? true,
    requestHandler: new FetchHttpHandler(),
    maxAttempts: options.maxAttempts ?? 1,
  });
}

/** Assume a demo role with the demo user's keys (External ID right; MFA when the role needs it). */
export async function assumeDemoRole(
  sim: Simulator,
  label: "dev" | "test" | "prod",
  overrides: { durationSeconds?: number; sessionName?: string } = {},
): Promise<TestCredentials & { sessionToken: string; expiration: Date }> {
  const role = DEMO.roles[label];
  const out = await stsClient(sim).send(
    new AssumeRoleCommand({
      RoleArn: role.roleArn,
      RoleSessionName: overrides.sessionName ?? "xrole-test",
      ExternalId: role.externalId,
      ...(overrides.durationSeconds ? { DurationSeconds: overrides.durationSeconds } : {}),
      ...(role.requireMfa ? { SerialNumber: DEMO.mfaSerial, TokenCode: DEMO.mfaCode } : {}),
    }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new Error(`AssumeRole of ${label} returned no credentials`);
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
}

/**
 * Write an AWS config and credentials file for the demo user into `dir`:
 * `[profile demo]` (region eu-west-1, endpoint_url = the simulator via `[services]`) and the keys.
 */
export async function awsFilesFor(
  sim: Simulator,
  dir: string,
  options: { profile?: string; region?: string; extraConfig?: string } = {},
): Promise<{ configFile: string; credentialsFile: string }> {
  const profile = options.profile ?? DEMO.profile;
  const configFile = `${dir}/config`;
  const credentialsFile = `${dir}/credentials`;
  await Deno.writeTextFile(
    configFile,
    `[profile ${profile}]\nregion = ${options.region ?? DEMO.region}\n` +
      `services = sim\n\n[services sim]\nsts =\n  endpoint_url = ${sim.url}\n` +
      `s3 =\n  endpoint_url = ${sim.url}\n${options.extraConfig ?? ""}`,
  );
  await Deno.writeTextFile(
    credentialsFile,
    `[${profile}]\naws_access_key_id = ${DEMO.accessKeyId}\n` +
      `aws_secret_access_key = ${DEMO.secretAccessKey}\n`,
  );
  return { configFile, credentialsFile };
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBytes(data: SourceData): Uint8Array {
  if (typeof data === "string") return new TextEncoder().encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The SDK signer's hash interface over node:crypto (plain hash, or HMAC with a secret). */
export class Sha256 {
  #parts: Uint8Array[] = [];
  readonly #secret: Uint8Array | undefined;
  constructor(secret?: SourceData) {
    this.#secret = secret === undefined ? undefined : toBytes(secret);
  }
  update(data: SourceData): void {
    this.#parts.push(toBytes(data));
  }
  digest(): Promise<Uint8Array> {
    const h = this.#secret === undefined
      ? createHash("sha256")
      : createHmac("sha256", this.#secret);
    for (const p of this.#parts) h.update(p);
    return Promise.resolve(new Uint8Array(h.digest()));
  }
  reset(): void {
    this.#parts = [];
  }
}

/** A raw HTTP answer: status, headers and body text. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * Send one request signed with the SDK's own signer, to see the simulator's raw answer
 * (headers, XML) that SDK clients hide. `path` may include a query ("/b?location").
 */
export async function signedFetch(
  sim: Simulator,
  credentials: TestCredentials,
  request: {
    method?: string;
    path: string;
    service?: "s3" | "sts";
    region?: string;
    body?: string;
    headers?: Record<string, string>;
  },
): Promise<RawResponse> {
  const service = request.service ?? "s3";
  const url = new URL(request.path, sim.url);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const body = request.body ?? "";
  const headers: Record<string, string> = {
    host: url.host,
    ...(service === "s3"
      ? { "x-amz-content-sha256": createHash("sha256").update(body).digest("hex") }
      : {}),
    ...(request.headers ?? {}),
  };
  const signer = new SignatureV4({
    credentials,
    region: request.region ?? "eu-west-1",
    service,
    sha256: Sha256,
    uriEscapePath: service !== "s3",
  });
  const signed = await signer.sign({
    method: request.method ?? "GET",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers,
    ...(body ? { body } : {}),
  });
  const sendHeaders = new Headers();
  for (const [k, v] of Object.entries(signed.headers)) {
    if (k.toLowerCase() !== "host") sendHeaders.set(k, String(v));
  }
  const res = await fetch(url, {
    method: request.method ?? "GET",
    headers: sendHeaders,
    redirect: "manual",
    ...(body ? { body } : {}),
  });
  return { status: res.status, headers: res.headers, body: await res.text() };
}
