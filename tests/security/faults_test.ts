/**
 * Faults survived, through the CLI against the simulator's knobs: throttling bursts, slow buckets
 * (per-call timeout), credentials expiring mid-session, AccessDenied on some buckets and the
 * endpoint going away mid-listing. Each ends in a documented exit code and clear output.
 */
import assert from "node:assert/strict";
import { DEMO, runMain, withDemo, writeDemoFiles } from "../cli/_fixture.ts";
import type { Io } from "../../src/core/io.ts";
import { main } from "../../src/main.ts";
import { startSimProcess } from "./_child.ts";

interface JsonRow {
  name: string;
  region: string | null;
  error?: string | null;
}

function rowsOf(stdout: string): JsonRow[] {
  return JSON.parse(stdout) as JsonRow[];
}

Deno.test("a burst of throttling (every 2nd lookup SlowDown) still resolves every row, exit 0", async () => {
  await withDemo(async ({ sim, run }) => {
    const r = await run(["buckets", "--role", "dev", "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = rowsOf(r.stdout);
    assert.ok(rows.length >= 10);
    assert.ok(rows.every((row) => typeof row.region === "string" && !row.error), r.stdout);
    assert.ok((sim.stats.errors.SlowDown ?? 0) >= rows.length / 2 - 1, "throttling happened");
  }, { throttleEvery: 2 });
});

Deno.test("a bucket that never answers in time says timeout while the others resolve, exit 4", async () => {
  const slow = DEMO.buckets.named.name;
  await withDemo(async ({ run }) => {
    const t0 = Date.now();
    const r = await run(["buckets", "--role", "dev", "--format", "json", "--timeout", "0.5"]);
    const ms = Date.now() - t0;
    assert.equal(r.code, 4, r.stderr);
    const rows = rowsOf(r.stdout);
    const stuck = rows.find((row) => row.name === slow);
    assert.equal(stuck?.error, "timeout");
    assert.equal(stuck?.region, null);
    const others = rows.filter((row) => row.name !== slow);
    assert.ok(others.length > 0 && others.every((row) => row.region && !row.error));
    assert.ok(ms < 4_000, `the slow bucket held the listing for ${ms} ms`);
    assert.match(r.stderr, /1 of \d+ region lookups failed|timeout/);
  }, { slowBuckets: { [DEMO.buckets.named.name]: 2_500 } });
});

Deno.test("cached credentials that expired early exit 3 with a clear line, and the next run assumes again", async () => {
  await withDemo(async ({ sim, run }) => {
    assert.equal((await run(["buckets", "--role", "dev"])).code, 0);
    await new Promise((r) => setTimeout(r, 1_300));
    const expired = await run(["buckets", "--role", "dev"]);
    assert.equal(expired.code, 3, expired.stderr);
    assert.equal(expired.stdout, "");
    assert.match(
      expired.stderr,
      /^xrole: ListBuckets failed: ExpiredToken: .*\. The cached session was removed: run the command again \(request id \w+\)\n$/,
    );
    const assumed = sim.stats.requests.AssumeRole ?? 0;
    sim.knobs.credentialTtlSeconds = undefined;
    const again = await run(["buckets", "--role", "dev"]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(
      sim.stats.requests.AssumeRole,
      assumed + 1,
      "assumed again, not the refused cache",
    );
  }, { credentialTtlSeconds: 1 });
});

Deno.test("AccessDenied on some buckets shows on their rows, the rest resolve, exit 4", async () => {
  await withDemo(async ({ sim, run }) => {
    // Both lookups denied, and no region header to fall back on.
    const dev = sim.world.accounts.find((a) => a.id === DEMO.roles.dev.accountId)!;
    const locked = dev.buckets.find((b) => b.name === DEMO.buckets.named.name)!;
    locked.denyAll = true;
    sim.reindex();
    const r = await run(["buckets", "--role", "dev", "--format", "json"]);
    assert.equal(r.code, 4, r.stderr);
    const rows = rowsOf(r.stdout);
    const denied = rows.find((row) => row.name === locked.name);
    assert.equal(denied?.error, "AccessDenied");
    assert.equal(denied?.region, null);
    assert.ok(rows.filter((row) => row !== denied).every((row) => row.region && !row.error));
    const table = await run(["buckets", "--role", "dev", "--format", "table"]);
    assert.equal(table.code, 4);
    assert.match(table.stdout, new RegExp(`${locked.name}\\s+AccessDenied`));
  });
});

Deno.test("the endpoint going away mid-listing: every row says NetworkError, exit 4, no crash output", async () => {
  const sim = await startSimProcess(1_000);
  const dir = await Deno.makeTempDir({ prefix: "xrole-faults-" });
  try {
    const env = await writeDemoFiles(dir, sim.url);
    const r = { code: -1, stdout: "", stderr: "" };
    const io: Io = {
      env,
      stdout: (t) => {
        r.stdout += t;
      },
      stderr: (t) => {
        r.stderr += t;
      },
      stdinIsTerminal: false,
      stdoutIsTerminal: false,
      columns: () => null,
      now: () => new Date(),
    };
    const listing = main(["buckets", "--role", "test", "--format", "json", "--verbose"], io);
    // --verbose logs each answer: once ListBuckets has answered, the lookups are in flight (1 s).
    while (!/ListBuckets \S+ \S+ 200/.test(r.stderr)) await new Promise((ok) => setTimeout(ok, 20));
    sim.kill();
    r.code = await listing;
    assert.equal(r.code, 4, r.stderr);
    const rows = rowsOf(r.stdout);
    assert.ok(rows.length > 0 && rows.every((row) => row.error === "NetworkError"), r.stdout);
    assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
    // A command started after it went away: one line naming the endpoint, exit 1.
    const after = await runMain(["buckets", "--role", "test"], env);
    assert.equal(after.code, 1);
    assert.match(after.stderr, /^xrole: [^\n]*127\.0\.0\.1[^\n]*\n$/);
  } finally {
    sim.kill();
    await Deno.remove(dir, { recursive: true });
  }
});
