/**
 * The simulator's knobs and counters, observed through the real SDK: throttling, failure rate,
 * latency, credential expiry, concurrency, and that keep-alive requests are not stalled.
 */
import assert from "node:assert/strict";
import {
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
} from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { generatedExternalId, generatedRoleArn, generateWorld } from "../../src/sim/generator.ts";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { s3Client, stsClient, withSimulator } from "../_helpers/sim.ts";
import { assumeDemoRole } from "../_helpers/sim.ts";

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (err) {
    return err instanceof Error ? err.name : String(err);
  }
}

Deno.test("Every Nth GetBucketLocation is throttled with 503 SlowDown, and the SDK's retry gets through", async () => {
  await withSimulator({ world: demoWorld(), throttleEvery: 3 }, async (sim) => {
    const creds = await assumeDemoRole(sim, "dev");
    const once = s3Client(sim, creds, { maxAttempts: 1 });
    const results: string[] = [];
    for (let i = 0; i < 6; i++) {
      results.push(
        await outcome(once.send(new GetBucketLocationCommand({ Bucket: DEMO.buckets.usEast1 }))),
      );
    }
    assert.deepEqual(results, ["ok", "ok", "SlowDown", "ok", "ok", "SlowDown"]);
    assert.equal(sim.stats.errors.SlowDown, 2);
    const retrying = s3Client(sim, creds, { maxAttempts: 3 });
    for (let i = 0; i < 6; i++) {
      const out = await retrying.send(
        new GetBucketLocationCommand({ Bucket: DEMO.buckets.legacyEu }),
      );
      assert.equal(out.LocationConstraint, "EU");
    }
    assert.equal(sim.stats.errors.SlowDown, 4);
    assert.equal(sim.stats.requests.GetBucketLocation, 14);
  });
});

Deno.test("Knobs changed while running apply to the next request", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const s3 = s3Client(sim, await assumeDemoRole(sim, "dev"));
    const call = () =>
      outcome(s3.send(new GetBucketLocationCommand({ Bucket: DEMO.buckets.usEast1 })));
    assert.equal(await call(), "ok");
    sim.knobs.throttleEvery = 1;
    assert.equal(await call(), "SlowDown");
    sim.knobs.throttleEvery = 0;
    assert.equal(await call(), "ok");
  });
});

Deno.test("failureRate fails some per-bucket calls with 500 InternalError, the same ones for the same seed", async () => {
  const run = () =>
    withSimulator({ world: demoWorld(), failureRate: 0.5, seed: 7 }, async (sim) => {
      const s3 = s3Client(sim, await assumeDemoRole(sim, "dev"));
      const list = await s3.send(new ListBucketsCommand({}));
      const pattern: string[] = [];
      for (let i = 0; i < 16; i++) {
        pattern.push(
          await outcome(s3.send(new HeadBucketCommand({ Bucket: DEMO.buckets.named.name }))),
        );
      }
      return { pattern, listed: list.Buckets?.length ?? 0, errors: sim.stats.errors };
    });
  const first = await run();
  const second = await run();
  assert.deepEqual(first.pattern, second.pattern);
  assert.ok(first.pattern.includes("ok"), first.pattern.join());
  assert.ok(first.pattern.some((p) => p !== "ok"), first.pattern.join());
  assert.ok(first.listed > 0, "ListBuckets is not subject to failureRate");
  assert.equal(first.errors.InternalError, first.pattern.filter((p) => p !== "ok").length);
});

Deno.test("Issued credentials expire after credentialTtlSeconds on the simulator's clock", async () => {
  let now = new Date("2025-03-01T12:00:00Z");
  await withSimulator(
    { world: demoWorld(), credentialTtlSeconds: 900, now: () => now },
    async (sim) => {
      const creds = await assumeDemoRole(sim, "dev", { durationSeconds: 3600 });
      assert.equal(creds.expiration.toISOString(), "2025-03-01T13:00:00.000Z");
      const s3 = s3Client(sim, creds);
      assert.equal(await outcome(s3.send(new ListBucketsCommand({}))), "ok");
      now = new Date(now.getTime() + 899_000);
      assert.equal(await outcome(s3.send(new ListBucketsCommand({}))), "ok");
      now = new Date(now.getTime() + 2_000);
      assert.equal(await outcome(s3.send(new ListBucketsCommand({}))), "ExpiredToken");
      assert.equal(
        await outcome(stsClient(sim, creds).send(new GetCallerIdentityCommand({}))),
        "ExpiredToken",
      );
    },
  );
});

Deno.test("latencyMs delays every response and slowBuckets adds delay for one bucket", async () => {
  await withSimulator(
    { world: demoWorld(), slowBuckets: { [DEMO.buckets.dotted]: 150 } },
    async (sim) => {
      const s3 = s3Client(sim, await assumeDemoRole(sim, "dev"), { region: "us-west-2" });
      const time = async (bucket: string) => {
        const t0 = performance.now();
        await s3.send(new HeadBucketCommand({ Bucket: bucket }));
        return performance.now() - t0;
      };
      assert.ok(await time(DEMO.buckets.dotted) >= 150);
      sim.knobs.latencyMs = 60;
      const start = performance.now();
      await s3.send(new ListBucketsCommand({}));
      assert.ok(performance.now() - start >= 60);
    },
  );
});

Deno.test("maxInFlight shows how many requests were served at once; inFlight returns to zero", async () => {
  await withSimulator({ world: demoWorld(), latencyMs: 100 }, async (sim) => {
    const s3 = s3Client(sim, await assumeDemoRole(sim, "dev"));
    sim.stats.reset();
    assert.equal(sim.stats.maxInFlight, 0);
    await Promise.all(
      Array.from(
        { length: 24 },
        () => s3.send(new GetBucketLocationCommand({ Bucket: DEMO.buckets.named.name })),
      ),
    );
    assert.ok(
      sim.stats.maxInFlight >= 12 && sim.stats.maxInFlight <= 24,
      `${sim.stats.maxInFlight}`,
    );
    assert.equal(sim.stats.inFlight, 0);
    assert.equal(sim.stats.requests.GetBucketLocation, 24);
    assert.equal(sim.stats.total, 24);
    sim.stats.reset();
    assert.deepEqual([sim.stats.total, sim.stats.maxInFlight, sim.stats.requests], [0, 0, {}]);
  });
});

Deno.test("Hundreds of concurrent region lookups in a generated world all succeed", async () => {
  const world = generateWorld({ buckets: 1000, accounts: 1 });
  await withSimulator({ world, latencyMs: 5 }, async (sim) => {
    const out = await stsClient(sim).send(
      new AssumeRoleCommand({
        RoleArn: generatedRoleArn(0),
        RoleSessionName: "bench",
        ExternalId: generatedExternalId(0),
      }),
    );
    const c = out.Credentials;
    assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken);
    const s3 = s3Client(sim, {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    });
    const names = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name ?? "") ??
      [];
    assert.equal(names.length, 1000);
    const batch = names.slice(0, 300);
    const results = await Promise.all(
      batch.map((Bucket) => s3.send(new GetBucketLocationCommand({ Bucket }))),
    );
    assert.equal(results.length, 300);
    assert.ok(sim.stats.maxInFlight >= 100, `maxInFlight ${sim.stats.maxInFlight}`);
  });
});

Deno.test("Sequential keep-alive requests are not stalled by split writes", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const s3 = s3Client(sim, await assumeDemoRole(sim, "dev"));
    await s3.send(new GetBucketLocationCommand({ Bucket: DEMO.buckets.usEast1 }));
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) {
      await s3.send(new GetBucketLocationCommand({ Bucket: DEMO.buckets.usEast1 }));
    }
    const perRequest = (performance.now() - t0) / 20;
    assert.ok(perRequest < 20, `${perRequest.toFixed(1)} ms per request`);
  });
});

Deno.test("Unsigned requests are refused: S3 with AccessDenied, STS with MissingAuthenticationToken", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const s3 = await fetch(`${sim.url}/`);
    assert.equal(s3.status, 403);
    assert.match(await s3.text(), /<Code>AccessDenied<\/Code>/);
    const sts = await fetch(`${sim.url}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    assert.equal(sts.status, 403);
    assert.match(await sts.text(), /<Code>MissingAuthenticationToken<\/Code>/);
    assert.ok(sts.headers.get("x-amzn-requestid"));
  });
});

Deno.test("The simulator's /federation endpoint turns assumed credentials into a console login redirect", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const creds = await assumeDemoRole(sim, "dev");
    const session = JSON.stringify({
      sessionId: creds.accessKeyId,
      sessionKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
    });
    const tokenRes = await fetch(
      `${sim.url}/federation?Action=getSigninToken&Session=${encodeURIComponent(session)}`,
    );
    assert.equal(tokenRes.status, 200);
    const { SigninToken } = await tokenRes.json() as { SigninToken: string };
    assert.ok(SigninToken);
    const destination = "https://console.aws.amazon.com/s3/home";
    const login = await fetch(
      `${sim.url}/federation?Action=login&Issuer=xrole&Destination=${
        encodeURIComponent(destination)
      }&SigninToken=${SigninToken}`,
      { redirect: "manual" },
    );
    await login.body?.cancel();
    assert.equal(login.status, 302);
    assert.equal(login.headers.get("location"), destination);
    assert.equal(sim.stats.requests.GetSigninToken, 1);
    const wrong = await fetch(
      `${sim.url}/federation?Action=getSigninToken&Session=${
        encodeURIComponent(JSON.stringify({ ...JSON.parse(session), sessionKey: "x" }))
      }`,
    );
    assert.equal(wrong.status, 400);
    await wrong.body?.cancel();
  });
});
