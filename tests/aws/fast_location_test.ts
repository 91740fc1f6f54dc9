/**
 * The fast GetBucketLocation path (one signed fetch per bucket, the SDK only for anything but a
 * plain success) against the simulator, which verifies every signature: same answers as the SDK,
 * quirks, denial → HeadBucket, SlowDown retries, the pool limit, abort, and the verbose log.
 */
import assert from "node:assert/strict";
import { GetBucketLocationCommand, type S3Client } from "@aws-sdk/client-s3";
import { s3For } from "../../src/aws/session.ts";
import { listBuckets, locateBuckets } from "../../src/aws/s3.ts";
import { withFastLocations } from "../../src/aws/fast_location.ts";
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
