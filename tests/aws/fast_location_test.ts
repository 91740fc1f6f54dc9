/**
 * The fast GetBucketLocation path (one signed fetch per bucket, the SDK only for anything but a
 * plain success) against the simulator, which verifies every signature: same answers as the SDK,
 * quirks, denial → HeadBucket, SlowDown retries, the pool limit, abort, and the verbose log; and
 * the endpoint memo for plain bucket names against the S3 endpoint rules, bucket by bucket.
 */
import assert from "node:assert/strict";
import { GetBucketLocationCommand, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { makeS3Client, s3For } from "../../src/aws/s3_client.ts";
import { listBuckets, locateBuckets } from "../../src/aws/s3.ts";
import {
  type BucketEndpoint,
  bucketEndpoints,
  endpointTemplate,
  plainBucketName,
  PROBE_BUCKET,
  withFastLocations,
} from "../../src/aws/fast_location.ts";
import type { AssumedSession, RowUpdate } from "../../src/core/model.ts";
import { DEMO } from "../../src/sim/demo_world.ts";
import type { Simulator, SimulatorOptions } from "../../src/sim/server.ts";
import { type DemoLabel, expectedRegions, withDemoSource, worldWith } from "./_demo.ts";

interface Opened {
  sim: Simulator;
  session(label: DemoLabel): Promise<AssumedSession>;
  /** A plain SDK client (no request log). */
  rawS3(session: AssumedSession): S3Client;
  /** A fast client (no request log). */
  s3(session: AssumedSession): S3Client;
  /** A client with the --verbose request log, then given the fast path. */
  verboseS3(session: AssumedSession, log: string[]): S3Client;
}

async function withDemo(
  options: Partial<SimulatorOptions>,
  fn: (o: Opened) => Promise<void>,
): Promise<void> {
  await withDemoSource(
    options,
    { tempPrefix: "xrole-fast-" },
    async ({ sim, env, source, session }) => {
      await fn({
        sim,
        session,
        rawS3: (session) => s3For(session, session.region, { env, source }),
        s3: (session) => withFastLocations(s3For(session, session.region, { env, source })),
        verboseS3: (session, log) =>
          withFastLocations(
            s3For(session, session.region, { env, source, log: (l) => log.push(l) }),
          ),
      });
    },
  );
}

function collect(updates: RowUpdate[]) {
  const regions = new Map<string, string>();
  const sources = new Map<string, string>();
  const errors = new Map<string, string>();
  for (const u of updates) {
    if (u.type === "region" || u.type === "error") {
      assert.ok(!regions.has(u.name) && !errors.has(u.name), `${u.name} updated twice`);
      if (u.type === "region") {
        regions.set(u.name, u.region);
        sources.set(u.name, u.source);
      } else {
        errors.set(u.name, u.code);
      }
    }
  }
  return { regions, sources, errors };
}

Deno.test("the fast path finds every region the world holds, us-east-1 and legacy EU included, one request per bucket", async () => {
  await withDemo({}, async ({ sim, session, rawS3 }) => {
    const raw = rawS3(await session("dev"));
    const sdkCalls: string[] = [];
    const sdkSend = raw.send.bind(raw);
    // deno-lint-ignore no-explicit-any
    raw.send = ((command: any, options?: any) => {
      sdkCalls.push(command.constructor.name);
      return sdkSend(command, options);
    }) as typeof raw.send;
    const client = withFastLocations(raw);
    const listed = await listBuckets(client);
    sim.stats.reset();
    const updates: RowUpdate[] = [];
    await locateBuckets(client, listed, {}, (u) => updates.push(u));
    const { regions, sources, errors } = collect(updates);
    assert.equal(errors.size, 0, JSON.stringify([...errors]));
    const expected = expectedRegions(sim.world, DEMO.roles.dev.accountId);
    assert.deepEqual(new Map([...regions].sort()), new Map([...expected].sort()));
    assert.equal(regions.get(DEMO.buckets.usEast1), "us-east-1");
    assert.equal(regions.get(DEMO.buckets.legacyEu), "eu-west-1");
    assert.equal(regions.get(DEMO.buckets.dotted), "us-west-2");
    assert.ok([...sources.values()].every((s) => s === "location"));
    assert.equal(sim.stats.requests.GetBucketLocation, listed.length);
    assert.equal(sim.stats.errors.SignatureDoesNotMatch ?? 0, 0);
    assert.deepEqual(sdkCalls, ["ListBucketsCommand"], "no lookup went through the SDK stack");
  });
});

Deno.test("a denied location falls back to HeadBucket through the fast client, asking only once", async () => {
  await withDemo({}, async ({ sim, session, s3 }) => {
    const client = s3(await session("prod"));
    const listed = await listBuckets(client);
    sim.stats.reset();
    const updates: RowUpdate[] = [];
    await locateBuckets(client, listed, {}, (u) => updates.push(u));
    const { regions, sources, errors } = collect(updates);
    assert.equal(errors.size, 0, JSON.stringify([...errors]));
    assert.equal(sources.get(DEMO.buckets.denied), "head");
    assert.equal(regions.get(DEMO.buckets.denied), "eu-central-1");
    const denied = [...sources.values()].filter((s) => s === "head").length;
    assert.equal(sim.stats.requests.GetBucketLocation, listed.length, "one location call each");
    assert.equal(sim.stats.requests.HeadBucket, denied);
  });
});

Deno.test("a denied lookup through the fast path fails like the SDK's: AccessDenied with a message", async () => {
  await withDemo({}, async ({ session, s3, rawS3 }) => {
    const prod = await session("prod");
    const input = { Bucket: DEMO.buckets.denied };
    const viaSdk = await rawS3(prod).send(new GetBucketLocationCommand(input)).catch((e) => e);
    const viaFast = await s3(prod).send(new GetBucketLocationCommand(input)).catch((e) => e);
    assert.equal(viaFast.name, "AccessDenied");
    assert.equal(viaFast.name, viaSdk.name);
    assert.equal(viaFast.message, viaSdk.message);
    assert.equal(viaFast.$metadata.httpStatusCode, 403);
    assert.equal(viaFast.$fault, "client");
  });
});

Deno.test("SlowDown answers to the fast path are retried by the SDK without losing or duplicating a row", async () => {
  await withDemo({ world: worldWith(150), throttleEvery: 4 }, async ({ sim, session, s3 }) => {
    const client = s3(await session("dev"));
    const listed = await listBuckets(client);
    const updates: RowUpdate[] = [];
    const result = await locateBuckets(client, listed, { concurrency: 16 }, (u) => updates.push(u));
    const { regions } = collect(updates);
    assert.ok((sim.stats.errors.SlowDown ?? 0) >= listed.length / 5, "the knob throttled");
    assert.equal(result.failed, 0);
    const expected = expectedRegions(sim.world, DEMO.roles.dev.accountId);
    assert.deepEqual(new Map([...regions].sort()), new Map([...expected].sort()));
  });
});

Deno.test("the fast path keeps lookups within the concurrency limit", async () => {
  await withDemo({ world: worldWith(200), latencyMs: 3 }, async ({ sim, session, s3 }) => {
    const client = s3(await session("dev"));
    const listed = await listBuckets(client);
    sim.stats.reset();
    const updates: RowUpdate[] = [];
    await locateBuckets(client, listed, { concurrency: 5 }, (u) => updates.push(u));
    assert.equal(collect(updates).regions.size, listed.length);
    assert.ok(sim.stats.maxInFlight <= 5, `max in flight ${sim.stats.maxInFlight}`);
    assert.ok(sim.stats.maxInFlight >= 2, "the pool ran lookups in parallel");
  });
});

Deno.test("aborting a fast lookup rejects it instead of retrying through the SDK", async () => {
  await withDemo({}, async ({ sim, session, s3 }) => {
    const client = s3(await session("dev"));
    sim.knobs.latencyMs = 1000;
    sim.stats.reset();
    const controller = new AbortController();
    const started = Date.now();
    const call = client.send(new GetBucketLocationCommand({ Bucket: DEMO.buckets.usEast1 }), {
      abortSignal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(call);
    assert.ok(Date.now() - started < 800, "rejected promptly");
    assert.equal(sim.stats.requests.GetBucketLocation, 1, "no second try after the abort");
  });
});

Deno.test("with the verbose request log the client is left alone, so every lookup is logged", async () => {
  await withDemo({}, async ({ session, verboseS3 }) => {
    const log: string[] = [];
    const client = verboseS3(await session("dev"), log);
    const out = await client.send(new GetBucketLocationCommand({ Bucket: DEMO.buckets.legacyEu }));
    assert.equal(out.LocationConstraint, "EU");
    assert.equal(log.filter((l) => l.includes("GetBucketLocation")).length, 1);
  });
});

Deno.test("a client that is not an SDK client (a test fake) is returned unchanged", () => {
  const fake = { send: () => Promise.resolve({ LocationConstraint: "x" }) };
  const send = fake.send;
  assert.equal(withFastLocations(fake), fake);
  assert.equal(fake.send, send);
});

// ---------------------------------------------------------------------------------------------
// The endpoint memo for plain bucket names

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

/** 63 characters, the longest bucket name. */
const LONGEST = "a" + "b1-".repeat(20) + "c9";

/** Names the memo serves and names it must leave to the rules, with what plainBucketName says. */
const BUCKETS: [string, boolean][] = [
  ["abc", true],
  ["a1b", true],
  ["123", true],
  ["my-bucket", true],
  ["logs-2024-eu-archive-0001", true],
  [LONGEST, true],
  ["s3alias-first", true],
  ["ab", false],
  [LONGEST + "d", false],
  ["-leading", false],
  ["trailing-", false],
  ["my.dotted.bucket", false],
  ["a.b.c", false],
  ["www.example.com", false],
  ["MyLegacyBucket", false],
  ["legacy_underscore", false],
  ["double--hyphen", false],
  ["mybucket--usw2-az1--x-s3", false],
  ["mybucket--use1-az4--xa-s3", false],
  ["myaccesspoint-o01234567890123456789012345678901--op-s3", false],
  ["my-ol-ap-abcdef0123456789abcdef0123--ol-s3", false],
  ["my-access-point-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias", false],
  ["xn--bcher-kva", false],
  ["xn--nxasmq6b", false],
  ["192.168.1.1", false],
  ["arn:aws:s3:us-east-1:123456789012:accesspoint/my-ap", false],
];

interface EndpointCase {
  name: string;
  client: () => S3Client;
  /** The endpoint parameters the SDK derives from that client's configuration. */
  params: Record<string, unknown>;
}

function sdk(config: S3ClientConfig): () => S3Client {
  return () => new S3Client({ credentials, ...config });
}

/** An S3 client as xrole makes it (path-style whenever an endpoint is set). */
function xrole(region: string, endpoint?: string): () => S3Client {
  return () => makeS3Client({ region, credentials, ...(endpoint ? { endpoint } : {}) });
}

/** Endpoint parameters with the SDK's defaults. */
function params(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    UseFIPS: false,
    UseDualStack: false,
    ForcePathStyle: false,
    Accelerate: false,
    ...overrides,
  };
}

const CASES: EndpointCase[] = [
  {
    name: "AWS us-east-1",
    client: xrole("us-east-1"),
    params: params({ Region: "us-east-1" }),
  },
  {
    name: "AWS eu-west-1",
    client: xrole("eu-west-1"),
    params: params({ Region: "eu-west-1" }),
  },
  {
    name: "aws-global (signed for us-east-1)",
    client: xrole("aws-global"),
    params: params({ Region: "aws-global" }),
  },
  {
    name: "FIPS region fips-us-gov-west-1",
    client: sdk({ region: "fips-us-gov-west-1" }),
    params: params({ Region: "us-gov-west-1", UseFIPS: true }),
  },
  {
    name: "FIPS endpoint in us-east-1",
    client: sdk({ region: "us-east-1", useFipsEndpoint: true }),
    params: params({ Region: "us-east-1", UseFIPS: true }),
  },
  {
    name: "dual-stack eu-central-1",
    client: sdk({ region: "eu-central-1", useDualstackEndpoint: true }),
    params: params({ Region: "eu-central-1", UseDualStack: true }),
  },
  {
    name: "FIPS and dual-stack us-west-2",
    client: sdk({ region: "us-west-2", useFipsEndpoint: true, useDualstackEndpoint: true }),
    params: params({ Region: "us-west-2", UseFIPS: true, UseDualStack: true }),
  },
  {
    name: "accelerate us-east-1",
    client: sdk({ region: "us-east-1", useAccelerateEndpoint: true }),
    params: params({ Region: "us-east-1", Accelerate: true }),
  },
  {
    name: "custom endpoint, path-style (makeS3Client)",
    client: xrole("eu-west-1", "http://127.0.0.1:9000"),
    params: params({
      Region: "eu-west-1",
      ForcePathStyle: true,
      Endpoint: "http://127.0.0.1:9000/",
    }),
  },
  {
    name: "custom endpoint with a base path, path-style",
    client: xrole("us-east-1", "https://s3.example.com/store"),
    params: params({
      Region: "us-east-1",
      ForcePathStyle: true,
      Endpoint: "https://s3.example.com/store",
    }),
  },
  {
    name: "custom endpoint, virtual-hosted",
    client: sdk({ region: "us-east-1", endpoint: "https://minio.example.com:9000" }),
    params: params({ Region: "us-east-1", Endpoint: "https://minio.example.com:9000/" }),
  },
  {
    name: "custom http endpoint, virtual-hosted",
    client: sdk({ region: "ap-southeast-2", endpoint: "http://s3.internal.example" }),
    params: params({ Region: "ap-southeast-2", Endpoint: "http://s3.internal.example/" }),
  },
  {
    name: "aws-cn cn-north-1",
    client: xrole("cn-north-1"),
    params: params({ Region: "cn-north-1" }),
  },
];

/**
 * What the rules give for `bucket` straight from the client's endpointProvider, in the terms the
 * fast path uses (undefined: not plain SigV4, so the SDK sends it; error: the rules refuse it).
 */
function viaRules(
  provider: S3Client["config"]["endpointProvider"],
  p: Record<string, unknown>,
  bucket: string,
) {
  try {
    const endpoint = provider(
      // deno-lint-ignore no-explicit-any
      { ...p, Bucket: bucket, UseS3ExpressControlEndpoint: true } as any,
      {},
    );
    const scheme = endpoint.properties?.authSchemes?.[0] as
      | { name?: string; signingRegion?: string }
      | undefined;
    if (scheme?.name !== "sigv4" || endpoint.url.search) return { endpoint: undefined };
    return {
      endpoint: {
        url: endpoint.url.href,
        signingRegion: scheme.signingRegion ?? String(p.Region),
      },
    };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

async function viaFastPath(
  lookup: (bucket: string) => Promise<BucketEndpoint | undefined>,
  bucket: string,
) {
  try {
    const endpoint = await lookup(bucket);
    return {
      endpoint: endpoint && { url: endpoint.url.href, signingRegion: endpoint.signingRegion },
    };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

Deno.test("plainBucketName accepts only names the endpoint rules cannot tell apart", () => {
  for (const [bucket, plain] of BUCKETS) assert.equal(plainBucketName(bucket), plain, bucket);
  assert.equal(LONGEST.length, 63);
  assert.ok(plainBucketName(PROBE_BUCKET), "the probe is itself a plain name");
});

for (const c of CASES) {
  Deno.test(`the fast path's endpoint equals the rules' for every bucket: ${c.name}`, async () => {
    const client = c.client();
    // Count the rules' runs the fast path makes (the comparison below calls them directly).
    const rulesCalls: string[] = [];
    const provider = client.config.endpointProvider;
    client.config.endpointProvider = (p, context) => {
      rulesCalls.push(String(p.Bucket));
      return provider(p, context);
    };
    const lookup = bucketEndpoints(client);
    for (const [bucket] of BUCKETS) {
      const fast = await viaFastPath(lookup, bucket);
      const direct = viaRules(provider, c.params, bucket);
      assert.deepEqual(fast, direct, `${c.name}: ${bucket}`);
    }
    assert.ok(
      BUCKETS.some(([bucket, plain]) => plain && viaRules(provider, c.params, bucket).endpoint),
      "the configuration has plain SigV4 endpoints, so the memo is exercised",
    );
    // The memo served every plain name: the rules ran for the probe once and never for them.
    const plainNames = new Set(BUCKETS.filter(([, plain]) => plain).map(([b]) => b));
    assert.deepEqual(rulesCalls.filter((b) => plainNames.has(b)), [], c.name);
    assert.equal(rulesCalls.filter((b) => b === PROBE_BUCKET).length, 1, c.name);
  });
}

Deno.test("endpointTemplate puts the name where the probe was and keeps the probe's signing region", () => {
  const sigv4 = (url: string, signingRegion?: string) => ({
    url: new URL(url),
    properties: { authSchemes: [{ name: "sigv4", ...(signingRegion ? { signingRegion } : {}) }] },
  });
  const hosted = endpointTemplate(
    sigv4(`https://${PROBE_BUCKET}.s3.eu-west-1.amazonaws.com/`, "eu-west-1"),
    "us-east-1",
  );
  assert.equal(hosted?.("my-bucket").url.href, "https://my-bucket.s3.eu-west-1.amazonaws.com/");
  assert.equal(hosted?.("my-bucket").signingRegion, "eu-west-1");
  const pathStyle = endpointTemplate(sigv4(`http://127.0.0.1:9000/${PROBE_BUCKET}`), "eu-west-1");
  assert.equal(pathStyle?.("abc").url.href, "http://127.0.0.1:9000/abc");
  assert.equal(pathStyle?.("abc").signingRegion, "eu-west-1", "the client's region by default");
});

Deno.test("endpointTemplate gives up (per-bucket rules) unless the probe is once in a plain SigV4 URL", () => {
  const endpoint = (url: string, name = "sigv4") => ({
    url: new URL(url),
    properties: { authSchemes: [{ name, signingRegion: "us-east-1" }] },
  });
  const cases: [string, ReturnType<typeof endpoint>][] = [
    ["probe twice", endpoint(`https://${PROBE_BUCKET}.example.com/${PROBE_BUCKET}`)],
    ["probe absent", endpoint("https://s3.us-east-1.amazonaws.com/")],
    ["sigv4a", endpoint(`https://${PROBE_BUCKET}.s3.amazonaws.com/`, "sigv4a")],
    ["s3express", endpoint(`https://${PROBE_BUCKET}.s3.amazonaws.com/`, "sigv4-s3express")],
    ["a query", endpoint(`https://${PROBE_BUCKET}.s3.amazonaws.com/?x-id=1`)],
  ];
  for (const [label, e] of cases) assert.equal(endpointTemplate(e, "us-east-1"), undefined, label);
  assert.equal(
    endpointTemplate({ url: new URL(`https://${PROBE_BUCKET}.s3.amazonaws.com/`) }, "us-east-1"),
    undefined,
    "no auth scheme",
  );
});
