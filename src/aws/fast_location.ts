/**
 * The hot path of region lookups: GetBucketLocation as one signed fetch, without the SDK's
 * middleware stack. Measured on the bench machine the SDK spends ~0.5 ms of CPU per call in
 * middleware (serde schemas, retry, endpoint, checksum, user agent...) on top of ~0.3 ms for the
 * fetch itself, which makes 10,000 lookups CPU-bound instead of network-bound.
 *
 * Only the plain success is handled here: the endpoint comes from the client's own endpoint rules
 * (so real AWS, custom endpoints, path-style, FIPS/dual-stack resolve exactly as the SDK would;
 * the rules treat all plain bucket names alike, so they run once per client for those, see
 * `plainBucketName`, instead of ~35 µs per bucket); the request is signed by xrole's own SigV4 for
 * this one request shape (`signGet` in sigv4_get.ts, a fraction of the SDK signer's CPU, held
 * byte for byte to the SDK's SignatureV4 in tests) with the client's own credentials provider (so
 * refreshed credentials are used) and the SDK's clock-skew offset; a 200 answer is parsed, and a
 * 403 AccessDenied becomes the SDK's own error shape (so the caller falls back to HeadBucket
 * without asking twice). Any other outcome (another error status, a redirect, a network failure,
 * an unusual endpoint or auth scheme) re-sends the command through the SDK, which keeps its error
 * shapes, retries with backoff for SlowDown (after one throttling delay here), and region
 * redirects exactly as before.
 */
import { GetBucketLocationCommand, S3ServiceException } from "@aws-sdk/client-s3";
import type { S3Like } from "./s3.ts";
import { signGet } from "./sigv4_get.ts";
import { decodeXmlText } from "../core/xml_text.ts";

interface Endpoint {
  url: URL;
  properties?: { authSchemes?: { name?: string; signingRegion?: string }[] };
}

interface ClientConfig {
  region: () => Promise<string>;
  credentials: () => Promise<{
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  }>;
  endpoint?: () => Promise<
    { protocol: string; hostname: string; port?: number; path?: string }
  >;
  isCustomEndpoint?: boolean;
  forcePathStyle?: boolean;
  useFipsEndpoint: () => Promise<boolean>;
  useDualstackEndpoint: () => Promise<boolean>;
  useAccelerateEndpoint?: boolean;
  endpointProvider: (params: Record<string, unknown>, context: object) => Endpoint;
  /** The SDK's clock-skew correction (ms), kept up to date by its own requests. */
  systemClockOffset?: number;
}

interface FastClient {
  config: ClientConfig;
  // deno-lint-ignore no-explicit-any
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
  middlewareStack: { identify(): string[] };
}

/** Whether a client was already given the fast path. */
const patched = new WeakSet<object>();

/**
 * Give `s3` (an S3Client from makeS3Client) the fast GetBucketLocation path, in place, and return
 * it. A client with the --verbose request log is left as it is (every request must be logged).
 * Anything that is not a real S3Client (a test fake) is returned unchanged.
 */
export function withFastLocations<T extends S3Like>(s3: T): T {
  const client = s3 as unknown as FastClient;
  const config = client.config as ClientConfig | undefined;
  if (
    patched.has(s3) || !config || typeof config.endpointProvider !== "function" ||
    typeof config.credentials !== "function" || typeof config.region !== "function" ||
    !client.middlewareStack?.identify().every((name) => !name.startsWith("xroleRequestLog"))
  ) {
    return s3;
  }
  patched.add(s3);
  const sdkSend = client.send.bind(client);
  const endpointFor = bucketEndpoints(s3);

  /**
   * GET `query` on the endpoint the SDK's rules give for `bucket`, signed with the client's
   * credentials; undefined when the endpoint is not plain SigV4.
   */
  const signedGet = async (
    bucket: string,
    query: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<Response | undefined> => {
    const endpoint = await endpointFor(bucket);
    if (!endpoint) return undefined;
    const { url } = endpoint;
    url.search = Object.entries(query).map(([k, v]) =>
      v === "" ? k : `${k}=${encodeURIComponent(v)}`
    ).join("&");
    // The memoised provider: the same (or refreshed) credentials the SDK's own requests use.
    const credentials = await config.credentials();
    // A plain record: fetch checks it once (a Headers object would be checked twice).
    const headers = signGet({
      url,
      region: endpoint.signingRegion,
      service: "s3",
      credentials,
      date: new Date(Date.now() + (config.systemClockOffset ?? 0)),
    });
    return await fetch(url, {
      method: "GET",
      headers,
      redirect: "manual",
      ...(signal ? { signal } : {}),
    });
  };

  const fast = async (
    bucket: string,
    signal: AbortSignal | undefined,
  ): Promise<{ LocationConstraint?: string } | S3ServiceException | undefined> => {
    if (bucket.endsWith("--x-s3") || bucket.includes(":")) return undefined;
    const res = await signedGet(bucket, { location: "" }, signal);
    if (!res) return undefined;
    if (res.status === 403) {
      // Denied: answer as the SDK would, so the caller falls back to HeadBucket without the SDK
      // sending the same denied request again. Any other 403 (signature, expired token) goes
      // through the SDK, which explains it its own way.
      const xml = await res.text();
      if (/<Code>AccessDenied<\/Code>/.test(xml)) {
        return new S3ServiceException({
          name: "AccessDenied",
          $fault: "client",
          $metadata: {
            httpStatusCode: 403,
            ...(res.headers.get("x-amz-request-id")
              ? { requestId: res.headers.get("x-amz-request-id") ?? "" }
              : {}),
            attempts: 1,
          },
          message: decodeXmlText(/<Message>([^<]*)<\/Message>/.exec(xml)?.[1] ?? "Access Denied"),
        });
      }
      return undefined;
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      // Throttled: back off before the SDK's own (immediate) first attempt, as its retries would.
      if (res.status === 503 || res.status === 429) await backoff(signal);
      return undefined;
    }
    const xml = await res.text();
    const m = /<LocationConstraint(?:\s[^>]*)?(?:\/>|>([^<]*)<\/LocationConstraint>)/.exec(xml);
    if (!m) return undefined;
    return m[1] ? { LocationConstraint: decodeXmlText(m[1]) } : {};
  };

  // deno-lint-ignore no-explicit-any
  client.send = async (command: any, options?: { abortSignal?: AbortSignal }) => {
    if (
      command instanceof GetBucketLocationCommand && typeof command.input?.Bucket === "string" &&
      command.input.ExpectedBucketOwner === undefined
    ) {
      let out: Awaited<ReturnType<typeof fast>>;
      try {
        out = await fast(command.input.Bucket, options?.abortSignal);
      } catch (err) {
        if (options?.abortSignal?.aborted) throw err;
        out = undefined; // a network failure: the SDK below retries it and reports it its way
      }
      if (out instanceof S3ServiceException) throw out;
      if (out) return { ...out, $metadata: { httpStatusCode: 200, attempts: 1 } };
    }
    return await sdkSend(command, options);
  };
  return s3;
}

/** Where the fast path sends a bucket's request, and the region it signs for. */
export interface BucketEndpoint {
  url: URL;
  signingRegion: string;
}

/**
 * The endpoint lookup of one S3 client (an S3Client from makeS3Client), as the fast path uses it:
 * undefined when the endpoint is not plain SigV4 without a query (the SDK then sends the request).
 * Plain bucket names (`plainBucketName`) share one resolution of `PROBE_BUCKET`, made on first
 * use; any other name goes through the client's endpoint rules each time. Exported for the tests,
 * which hold it against the rules bucket by bucket.
 */
export function bucketEndpoints(
  s3: S3Like,
): (bucket: string) => Promise<BucketEndpoint | undefined> {
  const config = (s3 as unknown as FastClient).config;
  let base: Promise<Record<string, unknown>> | undefined;
  let plain: Promise<((bucket: string) => BucketEndpoint) | undefined> | undefined;

  const endpointParams = async (): Promise<Record<string, unknown>> => {
    const params: Record<string, unknown> = {
      Region: await config.region(),
      UseFIPS: await config.useFipsEndpoint(),
      UseDualStack: await config.useDualstackEndpoint(),
      ForcePathStyle: config.forcePathStyle ?? false,
      Accelerate: config.useAccelerateEndpoint ?? false,
    };
    if (config.isCustomEndpoint && config.endpoint) {
      const e = await config.endpoint();
      params.Endpoint = `${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ""}${e.path ?? ""}`;
    }
    return params;
  };

  /** The client's endpoint rules for `bucket`, run as the SDK would for this call. */
  const rules = async (bucket: string) => {
    base ??= endpointParams();
    const params = await base;
    // GetBucketLocation is a control-plane call (matters only for S3 Express rules).
    const endpoint = config.endpointProvider(
      { ...params, Bucket: bucket, UseS3ExpressControlEndpoint: true },
      {},
    );
    return { endpoint, region: String(params.Region) };
  };

  const probe = async () => {
    try {
      const { endpoint, region } = await rules(PROBE_BUCKET);
      return endpointTemplate(endpoint, region);
    } catch {
      return undefined; // the rules refuse this configuration: each bucket finds out on its own
    }
  };

  return async (bucket) => {
    if (plainBucketName(bucket)) {
      plain ??= probe();
      const template = await plain;
      if (template) return template(bucket);
    }
    const { endpoint, region } = await rules(bucket);
    return usableEndpoint(endpoint, region);
  };
}

/**
 * A synthetic plain bucket name: resolved once per client, its place in the URL marks where a
 * plain name goes. Long and odd enough never to occur in an endpoint's host, port or path.
 */
export const PROBE_BUCKET = "xrole-endpoint-probe-0123456789";

const PLAIN_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/**
 * Whether the S3 endpoint rules treat `bucket` exactly like `PROBE_BUCKET`: 3 to 63 lowercase
 * letters, digits and single hyphens, a letter or digit at each end. That leaves out the names
 * the rules look into: dots (dotted virtual hosts, IP-like names), "--" (S3 Express "--x-s3",
 * Outposts "--op-s3", Object Lambda "--ol-s3", "xn--"), uppercase legacy names, ARNs, and
 * "-s3alias" access point aliases.
 */
export function plainBucketName(bucket: string): boolean {
  return PLAIN_BUCKET.test(bucket) && !bucket.includes("--") && !bucket.endsWith("-s3alias");
}

/**
 * The endpoint of every plain bucket name, from the endpoint the rules gave for `probe`: its URL
 * with the name in place of the probe (in the hostname when virtual-hosted, in the path when
 * path-style; a plain name needs no escaping in either) and the same signing region, which does
 * not depend on the name. Undefined when that endpoint is not usable (`usableEndpoint`) or the
 * probe is not exactly once in its URL: then there is no telling where the name goes.
 */
export function endpointTemplate(
  endpoint: Endpoint,
  region: string,
  probe: string = PROBE_BUCKET,
): ((bucket: string) => BucketEndpoint) | undefined {
  const resolved = usableEndpoint(endpoint, region);
  if (!resolved) return undefined;
  const href = resolved.url.href;
  const at = href.indexOf(probe);
  if (at < 0 || href.indexOf(probe, at + 1) >= 0) return undefined;
  const before = href.slice(0, at);
  const after = href.slice(at + probe.length);
  const { signingRegion } = resolved;
  return (bucket) => ({ url: new URL(before + bucket + after), signingRegion });
}

/** What the fast path can send to: plain SigV4, no query of its own (ours replaces it). */
function usableEndpoint(endpoint: Endpoint, region: string): BucketEndpoint | undefined {
  const scheme = endpoint.properties?.authSchemes?.[0];
  if (!scheme || scheme.name !== "sigv4") return undefined;
  const url = new URL(endpoint.url);
  if (url.search) return undefined;
  return { url, signingRegion: scheme.signingRegion ?? region };
}

/** The first wait after a throttling answer (ms): the SDK strategy's throttling base delay. */
export const THROTTLED_DELAY_MS = 200;

function backoff(signal: AbortSignal | undefined): Promise<void> {
  const ms = Math.round(THROTTLED_DELAY_MS * (0.5 + Math.random() / 2));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error("aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
