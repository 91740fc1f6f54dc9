/**
 * The AWS edge against the simulator: the real SDK code path, end to end.
 */
import assert from "node:assert/strict";
import { S3Client } from "@aws-sdk/client-s3";
import { assumeTarget, openSource } from "../../src/aws/session.ts";
import { s3For } from "../../src/aws/s3_client.ts";
import { listBuckets, locateBuckets, streamBuckets } from "../../src/aws/s3.ts";
import { assumeRole } from "../../src/aws/sts.ts";
import { explainAwsError } from "../../src/aws/explain.ts";
import { AwsError, ExitCode } from "../../src/core/errors.ts";
import type { AssumedSession, RowUpdate } from "../../src/core/model.ts";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import type { SimulatorOptions } from "../../src/sim/server.ts";
import { awsFilesFor, withSimulator } from "../_helpers/sim.ts";
import { type DemoSource, expectedRegions, savedRole, withDemoSource, worldWith } from "./_demo.ts";

interface Opened extends DemoSource {
  s3(session: AssumedSession): S3Client;
  log: string[];
}

async function withDemo(
  options: Partial<SimulatorOptions>,
  fn: (o: Opened) => Promise<void>,
): Promise<void> {
  const log: string[] = [];
  await withDemoSource(
    options,
    { tempPrefix: "xrole-aws-sim-", log: (l) => log.push(l) },
    async (demo) => {
      const { env, source } = demo;
      await fn({
        ...demo,
        log,
        s3: (session) => s3For(session, session.region, { env, source, log: (l) => log.push(l) }),
      });
    },
  );
}

function collect(updates: RowUpdate[]) {
  const regions = new Map<string, string>();
  const sources = new Map<string, string>();
  const errors = new Map<string, string>();
  let finals = 0;
  for (const u of updates) {
    if (u.type === "region") {
      assert.ok(!regions.has(u.name) && !errors.has(u.name), `${u.name} updated twice`);
      regions.set(u.name, u.region);
      sources.set(u.name, u.source);
      finals++;
    } else if (u.type === "error") {
      assert.ok(!regions.has(u.name) && !errors.has(u.name), `${u.name} updated twice`);
      errors.set(u.name, u.code);
      finals++;
    }
  }
  return { regions, sources, errors, finals };
}

Deno.test("the demo user assumes dev and every bucket's region matches the world, quirks included", async () => {
  await withDemo({}, async ({ sim, source, session, s3 }) => {
    const who = await source.whoami();
    assert.equal(who.arn, `arn:aws:iam::${DEMO.sourceAccountId}:user/${DEMO.userName}`);
    const dev = await session("dev");
    assert.equal(dev.accountId, DEMO.roles.dev.accountId);
    assert.equal(dev.sessionName, `xrole-${DEMO.userName}`);
    const updates: RowUpdate[] = [];
    const result = await streamBuckets(s3(dev), {}, (u) => updates.push(u));
    const { regions, sources, errors } = collect(updates);
    const expected = expectedRegions(sim.world, DEMO.roles.dev.accountId);
    assert.equal(errors.size, 0);
    assert.deepEqual(new Map([...regions].sort()), new Map([...expected].sort()));
    assert.equal(regions.get(DEMO.buckets.usEast1), "us-east-1");
    assert.equal(regions.get(DEMO.buckets.legacyEu), "eu-west-1");
    assert.equal(regions.get(DEMO.buckets.dotted), "us-west-2");
    assert.ok([...sources.values()].every((s) => s === "location"));
    assert.equal(result.failed, 0);
    assert.equal(updates[0]?.type, "listed");
    assert.equal(updates.at(-1)?.type, "done");
  });
});

Deno.test("a bucket whose location is denied gets its region from HeadBucket", async () => {
  await withDemo({}, async ({ session, s3 }) => {
    const prod = await session("prod");
    const updates: RowUpdate[] = [];
    await streamBuckets(s3(prod), {}, (u) => updates.push(u));
    const { regions, sources, errors } = collect(updates);
    assert.equal(errors.size, 0, JSON.stringify([...errors]));
    assert.equal(sources.get(DEMO.buckets.denied), "head");
    assert.equal(regions.get(DEMO.buckets.denied), "eu-central-1");
  });
});

Deno.test("listing follows pages and list mode needs no lookups at all", async () => {
  await withDemo({}, async ({ sim, session, s3 }) => {
    const dev = await session("dev");
    const client = s3(dev);
    sim.stats.reset();
    const listed = await listBuckets(client, { pageSize: 5 });
    const expected = expectedRegions(sim.world, DEMO.roles.dev.accountId);
    assert.equal(listed.length, expected.size);
    assert.equal(sim.stats.requests.ListBuckets, Math.ceil(expected.size / 5));
    const updates: RowUpdate[] = [];
    await locateBuckets(client, listed, { mode: "list" }, (u) => updates.push(u));
    assert.equal(sim.stats.requests.GetBucketLocation ?? 0, 0);
    const { regions, sources } = collect(updates);
    assert.deepEqual(new Map([...regions].sort()), new Map([...expected].sort()));
    assert.ok([...sources.values()].every((s) => s === "list"));
  });
});

Deno.test("lookups stay within the concurrency limit and every bucket is looked up exactly once", async () => {
  await withDemo({ world: worldWith(300), latencyMs: 3 }, async ({ sim, session, s3 }) => {
    const dev = await session("dev");
    const client = s3(dev);
    const listed = await listBuckets(client);
    sim.stats.reset();
    const updates: RowUpdate[] = [];
    await locateBuckets(client, listed, { concurrency: 6 }, (u) => updates.push(u));
    const { finals, errors } = collect(updates);
    assert.equal(finals, listed.length);
    assert.equal(errors.size, 0);
    assert.equal(sim.stats.requests.GetBucketLocation, listed.length);
    assert.ok(sim.stats.maxInFlight <= 6, `max in flight ${sim.stats.maxInFlight}`);
    assert.ok(sim.stats.maxInFlight >= 2, "the pool ran lookups in parallel");
  });
});

Deno.test("503 SlowDown bursts are retried without losing or duplicating a row", async () => {
  await withDemo({ world: worldWith(150), throttleEvery: 3 }, async ({ sim, session, s3 }) => {
    const dev = await session("dev");
    const client = s3(dev);
    const listed = await listBuckets(client);
    const updates: RowUpdate[] = [];
    const result = await locateBuckets(client, listed, { concurrency: 16 }, (u) => updates.push(u));
    const { regions, finals } = collect(updates);
    assert.ok((sim.stats.errors.SlowDown ?? 0) >= listed.length / 4, "the knob throttled");
    assert.equal(finals, listed.length);
    assert.equal(result.failed, 0);
    const expected = expectedRegions(sim.world, DEMO.roles.dev.accountId);
    assert.deepEqual(new Map([...regions].sort()), new Map([...expected].sort()));
  });
});

Deno.test("a slow bucket times out as its own row while the others complete", async () => {
  await withDemo({}, async ({ sim, session, s3 }) => {
    const dev = await session("dev");
    const client = s3(dev);
    const listed = await listBuckets(client);
    sim.knobs.slowBuckets = { [DEMO.buckets.named.name]: 1_200 };
    const updates: RowUpdate[] = [];
    const started = performance.now();
    const result = await locateBuckets(client, listed, { timeoutMs: 250 }, (u) => updates.push(u));
    const { errors, regions } = collect(updates);
    assert.deepEqual([...errors], [[DEMO.buckets.named.name, "timeout"]]);
    assert.equal(regions.size, listed.length - 1);
    assert.equal(result.failed, 1);
    assert.ok(performance.now() - started < 1_000, "did not wait for the slow answer");
  });
});

Deno.test("aborting mid-lookup stops launching requests and resolves promptly", async () => {
  await withDemo({ world: worldWith(200), latencyMs: 10 }, async ({ sim, session, s3 }) => {
    const dev = await session("dev");
    const client = s3(dev);
    const listed = await listBuckets(client);
    sim.stats.reset();
    const controller = new AbortController();
    const updates: RowUpdate[] = [];
    const result = await locateBuckets(
      client,
      listed,
      { concurrency: 4, signal: controller.signal },
      (u) => {
        updates.push(u);
        if (updates.length === 8) controller.abort();
      },
    );
    const sent = sim.stats.requests.GetBucketLocation ?? 0;
    assert.ok(updates.length < 16, `${updates.length} updates after abort`);
    assert.ok(sent < 16, `${sent} lookups sent`);
    assert.ok(result.skipped > listed.length - 16);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(sim.stats.requests.GetBucketLocation ?? 0, sent, "nothing sent after abort");
  });
});

Deno.test("a wrong External ID is refused with exit code 3, a request id and a hint", async () => {
  await withDemo({}, async ({ source }) => {
    const err = await assumeTarget(source, { ...savedRole("dev"), externalId: "not-the-one" })
      .catch((e) => e);
    assert.ok(err instanceof AwsError, String(err));
    assert.equal(err.code, "AccessDenied");
    assert.equal(err.exitCode, ExitCode.accessDenied);
    assert.ok(err.requestId && err.requestId.length > 4);
    assert.match(explainAwsError(err.code, err.message) ?? "", /External ID/);
  });
});

Deno.test("a role that requires MFA is refused without a code or with a wrong one, and accepted with the right one", async () => {
  await withDemo({}, async ({ source, session }) => {
    const role = DEMO.roles.prod;
    const err = await assumeRole(source.sts, {
      roleArn: role.roleArn,
      sessionName: "no-mfa",
      externalId: role.externalId,
    }, "eu-central-1").catch((e) => e);
    assert.ok(err instanceof AwsError);
    assert.equal(err.exitCode, ExitCode.accessDenied);
    const wrong = await assumeTarget(source, savedRole("prod"), { mfaCode: "000000" })
      .catch((e) => e);
    assert.ok(wrong instanceof AwsError);
    assert.match(explainAwsError(wrong.code, wrong.message) ?? "", /MFA code was wrong/);
    const ok = await session("prod");
    assert.equal(ok.accountId, role.accountId);
  });
});

Deno.test("the verbose log of a whole listing contains no key, token, MFA code or External ID", async () => {
  await withDemo({}, async ({ session, s3, log }) => {
    const prod = await session("prod");
    await streamBuckets(s3(prod), { concurrency: 4 }, () => {});
    assert.ok(log.some((l) => l.startsWith("sts AssumeRole POST")));
    assert.ok(log.some((l) => l.startsWith("s3 GetBucketLocation GET")));
    const all = log.join("\n");
    const secrets = [
      DEMO.secretAccessKey,
      prod.credentials.secretAccessKey,
      prod.credentials.sessionToken,
      DEMO.mfaCode,
      DEMO.roles.prod.externalId,
      DEMO.accessKeyId,
      prod.credentials.accessKeyId,
    ];
    for (const secret of secrets) assert.ok(!all.includes(secret), `leaked ${secret.slice(0, 4)}…`);
  });
});

Deno.test("a role profile in the AWS config is assumed by the SDK at the simulator's endpoint", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const dir = await Deno.makeTempDir({ prefix: "xrole-aws-role-" });
    try {
      const role = DEMO.roles.dev;
      const files = await awsFilesFor(sim, dir, {
        extraConfig: `\n[profile dev-role]\nrole_arn = ${role.roleArn}\n` +
          `source_profile = ${DEMO.profile}\nexternal_id = ${role.externalId}\n` +
          `region = eu-west-1\nservices = sim\n`,
      });
      const env = {
        HOME: dir,
        AWS_CONFIG_FILE: files.configFile,
        AWS_SHARED_CREDENTIALS_FILE: files.credentialsFile,
      };
      const source = await openSource({ env, profile: "dev-role" });
      const who = await source.whoami();
      assert.equal(who.account, role.accountId);
      assert.match(who.arn, /:assumed-role\/DeveloperAccess\//);
      assert.equal(sim.stats.requests.AssumeRole, 1);
      const listed = await listBuckets(s3For(source, source.region, { env }));
      assert.equal(listed.length, expectedRegions(sim.world, role.accountId).size);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("with a cache, a second assume calls STS no more and needs no MFA code", async () => {
  await withDemo({}, async ({ sim, source, env }) => {
    const cacheDir = `${env.HOME}/cache/xrole`;
    const prod = savedRole("prod");
    const first = await assumeTarget(source, prod, { mfaCode: DEMO.mfaCode, cacheDir });
    const assumes = sim.stats.requests.AssumeRole;
    const second = await assumeTarget(source, prod, { cacheDir });
    assert.equal(sim.stats.requests.AssumeRole, assumes);
    assert.equal(second.credentials.sessionToken, first.credentials.sessionToken);
    // Without the cache the MFA code is required again.
    await assert.rejects(assumeTarget(source, prod), /requires an MFA code/);
  });
});

Deno.test("credentials expiring mid-listing are reported once as fatal, with every row accounted for", async () => {
  await withDemo({ world: worldWith(200), latencyMs: 2 }, async ({ sim, session, s3 }) => {
    const dev = await session("dev");
    const client = s3(dev);
    const listed = await listBuckets(client);
    const updates: RowUpdate[] = [];
    const later = new Date(dev.credentials.expiration.getTime() + 60_000);
    const result = await locateBuckets(client, listed, { concurrency: 4 }, (u) => {
      updates.push(u);
      if (updates.length === 20) sim.knobs.now = () => later;
    });
    assert.equal(result.fatal?.code, "ExpiredToken");
    const { finals, errors } = collect(updates);
    assert.equal(finals, listed.length);
    assert.ok(errors.size > listed.length / 2);
    assert.ok((sim.stats.errors.ExpiredToken ?? 0) <= 8, "stopped sending early");
  });
});
