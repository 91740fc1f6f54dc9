import assert from "node:assert/strict";
import { DEMO, withDemo } from "./_fixture.ts";
import type { Simulator } from "../../src/sim/server.ts";

interface JsonRow {
  name: string;
  region: string | null;
  created: string | null;
  error?: string;
  regionSource?: string;
}

function bucketsOf(sim: Simulator, accountId: string) {
  const account = sim.world.accounts.find((a) => a.id === accountId);
  assert.ok(account, `account ${accountId} in the demo world`);
  return account.buckets;
}

Deno.test("buckets --format json lists every bucket of the role's account once, sorted by name, with its region", async () => {
  await withDemo(async ({ sim, run }) => {
    const r = await run(["buckets", "--role", "dev", "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as JsonRow[];
    const expected = bucketsOf(sim, DEMO.roles.dev.accountId);
    assert.equal(rows.length, expected.length);
    assert.equal(new Set(rows.map((x) => x.name)).size, rows.length, "each bucket once");
    const names = rows.map((x) => x.name);
    assert.deepEqual(names, [...names].sort());
    for (const b of expected) {
      const row = rows.find((x) => x.name === b.name);
      assert.ok(row, b.name);
      assert.equal(row.region, b.region, b.name);
      assert.equal(row.created, new Date(b.created).toISOString());
      assert.equal(row.error, undefined);
    }
    // The quirks: empty constraint → us-east-1, legacy EU → eu-west-1.
    assert.equal(rows.find((x) => x.name === DEMO.buckets.usEast1)?.region, "us-east-1");
    assert.equal(rows.find((x) => x.name === DEMO.buckets.legacyEu)?.region, "eu-west-1");
  });
});

Deno.test("buckets output is byte-identical across two runs of the same world", async () => {
  await withDemo(async ({ run }) => {
    for (const format of ["json", "csv", "tsv", "table"]) {
      const a = await run(["buckets", "--role", "dev", "--format", format]);
      const b = await run(["buckets", "--role", "dev", "--format", format]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(a.stdout, b.stdout, format);
    }
  });
});

Deno.test("buckets prints JSON when stdout is not a terminal and a table when it is", async () => {
  await withDemo(async ({ run }) => {
    const piped = await run(["buckets", "--role", "dev"]);
    assert.equal(piped.code, 0, piped.stderr);
    assert.ok(Array.isArray(JSON.parse(piped.stdout)));
    const tty = await run(["buckets", "--role", "dev", "--no-color"], {
      stdoutIsTerminal: true,
      stdinIsTerminal: true,
      columns: 120,
    });
    assert.equal(tty.code, 0, tty.stderr);
    const lines = tty.stdout.trimEnd().split("\n");
    assert.match(lines[0] ?? "", /^NAME\s+REGION\s+CREATED$/);
    assert.match(tty.stdout, /acme-dev-app-assets\s+us-east-1/);
    assert.ok(!tty.stdout.includes("\u001b["), "--no-color: no escape codes");
  });
});

Deno.test("buckets --format csv and tsv start with a header row and have one line per bucket", async () => {
  await withDemo(async ({ sim, run }) => {
    const count = bucketsOf(sim, DEMO.roles.dev.accountId).length;
    const csv = await run(["buckets", "--role", "dev", "--format", "csv"]);
    const csvLines = csv.stdout.trimEnd().split("\n");
    assert.match(csvLines[0] ?? "", /^name,region,created/);
    assert.equal(csvLines.length, count + 1);
    const dotted = bucketsOf(sim, DEMO.roles.dev.accountId).find((b) =>
      b.name === DEMO.buckets.dotted
    );
    assert.ok(
      csvLines.includes(
        `${DEMO.buckets.dotted},us-west-2,${new Date(dotted!.created).toISOString()},`,
      ),
      csv.stdout,
    );
    const tsv = await run(["buckets", "--role", "dev", "--format", "tsv"]);
    const tsvLines = tsv.stdout.trimEnd().split("\n");
    assert.match(tsvLines[0] ?? "", /^name\tregion\tcreated/);
    assert.equal(tsvLines.length, count + 1);
  });
});

Deno.test("buckets --region-filter keeps only the buckets of the named regions", async () => {
  await withDemo(async ({ sim, run }) => {
    const r = await run([
      "buckets",
      "--role",
      "dev",
      "--region-filter",
      "us-east-1",
      "--region-filter",
      "eu-west-1",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as JsonRow[];
    const expected = bucketsOf(sim, DEMO.roles.dev.accountId)
      .filter((b) => b.region === "us-east-1" || b.region === "eu-west-1");
    assert.equal(rows.length, expected.length);
    assert.ok(rows.length > 0);
    assert.ok(rows.every((x) => x.region === "us-east-1" || x.region === "eu-west-1"));
  });
});

Deno.test("buckets --sort region orders by region, then by name", async () => {
  await withDemo(async ({ run }) => {
    const r = await run(["buckets", "--role", "dev", "--sort", "region"]);
    const rows = JSON.parse(r.stdout) as JsonRow[];
    const keys = rows.map((x) => `${x.region}\u0000${x.name}`);
    assert.deepEqual(keys, [...keys].sort());
    const byCreated = JSON.parse(
      (await run(["buckets", "--role", "dev", "--sort", "created"])).stdout,
    ) as JsonRow[];
    const dates = byCreated.map((x) => x.created ?? "");
    assert.deepEqual(dates, [...dates].sort());
  });
});

Deno.test("buckets of an MFA role with --mfa-code lists the account, the denied bucket's region found by HeadBucket", async () => {
  await withDemo(async ({ sim, run }) => {
    const r = await run(["buckets", "--role", "prod", "--mfa-code", DEMO.mfaCode]);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as JsonRow[];
    assert.equal(rows.length, bucketsOf(sim, DEMO.roles.prod.accountId).length);
    const denied = rows.find((x) => x.name === DEMO.buckets.denied);
    assert.equal(denied?.region, "eu-central-1");
    assert.equal(denied?.regionSource, "head");
  });
});

Deno.test("buckets --role-arn with --external-id works without a saved role", async () => {
  await withDemo(async ({ run }) => {
    const r = await run([
      "buckets",
      "--role-arn",
      DEMO.roles.test.roleArn,
      "--external-id",
      DEMO.roles.test.externalId,
      "--format",
      "json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok((JSON.parse(r.stdout) as JsonRow[]).length > 0);
  });
});

Deno.test("buckets --role accepts a role profile of the AWS config", async () => {
  await withDemo(async ({ run }) => {
    const viaConfig = await run(["buckets", "--role", "cfg-dev"]);
    const viaSaved = await run(["buckets", "--role", "dev"]);
    assert.equal(viaConfig.code, 0, viaConfig.stderr);
    assert.equal(viaConfig.stdout, viaSaved.stdout);
  });
});

Deno.test("buckets --no-assume lists the source account's own buckets", async () => {
  await withDemo(async ({ sim, run }) => {
    const r = await run(["buckets", "--no-assume"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as JsonRow[];
    assert.deepEqual(
      rows.map((x) => x.name),
      bucketsOf(sim, DEMO.sourceAccountId).map((b) => b.name).sort(),
    );
  });
});

Deno.test("buckets exits 4 and still prints every row when some region lookups fail", async () => {
  await withDemo(async ({ sim, run }) => {
    sim.knobs.slowBuckets = { [DEMO.buckets.usEast1]: 3000 };
    const started = Date.now();
    const r = await run(["buckets", "--role", "dev", "--timeout", "0.3"]);
    assert.ok(Date.now() - started < 2500, "the slow lookup was abandoned at its timeout");
    assert.equal(r.code, 4, r.stderr);
    const rows = JSON.parse(r.stdout) as JsonRow[];
    assert.equal(rows.length, bucketsOf(sim, DEMO.roles.dev.accountId).length);
    const failed = rows.filter((x) => x.error);
    assert.deepEqual(failed.map((x) => x.name), [DEMO.buckets.usEast1]);
    assert.equal(failed[0]?.region, null);
    assert.match(r.stderr, /^xrole: Region lookup failed for 1 of \d+ buckets/m);
  });
});

Deno.test("buckets exits 4 when lookups are refused by the server on every attempt", async () => {
  await withDemo(async ({ run, sim }) => {
    sim.knobs.failureRate = 1;
    const r = await run(["buckets", "--role", "test", "--concurrency", "64"]);
    assert.equal(r.code, 4, r.stderr);
    const rows = JSON.parse(r.stdout) as JsonRow[];
    assert.ok(rows.length > 0);
    assert.ok(rows.every((x) => typeof x.error === "string" && x.region === null));
  });
});

Deno.test("buckets --concurrency bounds the region lookups in flight", async () => {
  await withDemo(async ({ sim, run }) => {
    sim.knobs.latencyMs = 20;
    sim.stats.reset();
    const r = await run(["buckets", "--role", "dev", "--concurrency", "3"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(sim.stats.maxInFlight <= 3, `max in flight ${sim.stats.maxInFlight}`);
    assert.ok(sim.stats.maxInFlight >= 2, `lookups ran in parallel (${sim.stats.maxInFlight})`);
  });
});

Deno.test("buckets --regions list trusts ListBuckets' region and sends no GetBucketLocation", async () => {
  await withDemo(async ({ sim, run }) => {
    sim.stats.reset();
    const r = await run(["buckets", "--role", "dev", "--regions", "list"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as JsonRow[];
    assert.equal(rows.find((x) => x.name === DEMO.buckets.legacyEu)?.region, "eu-west-1");
    assert.equal(sim.stats.requests.GetBucketLocation ?? 0, 0);
  });
});
