/**
 * The credential cache as a user meets it through the CLI, against the simulator: repeated
 * commands reuse a session (no STS call, no MFA code) until five minutes before it expires,
 * a corrupt entry is replaced, files are private, `--no-cache` and `xrole cache clear` work.
 */
import assert from "node:assert/strict";
import type { Env } from "../../src/core/env.ts";
import type { Io } from "../../src/core/io.ts";
import { main } from "../../src/main.ts";
import { DEMO, type Recorded, withDemo } from "../cli/_fixture.ts";

const MINUTE = 60_000;

/** Runs main with a clock `offsetMs` ahead of now (the cache's idea of time). */
async function runAt(args: string[], env: Env, offsetMs: number): Promise<Recorded> {
  const out = { stdout: "", stderr: "" };
  const io: Io = {
    env,
    stdout: (t) => {
      out.stdout += t;
    },
    stderr: (t) => {
      out.stderr += t;
    },
    stdinIsTerminal: false,
    stdoutIsTerminal: false,
    columns: () => null,
    now: () => new Date(Date.now() + offsetMs),
  };
  const code = await main(args, io);
  return { code, ...out };
}

async function cacheEntries(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) names.push(e.name);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return names.sort();
}

const assumeCalls = (sim: { stats: { requests: Record<string, number> } }) =>
  sim.stats.requests.AssumeRole ?? 0;

Deno.test("a second command within the session reuses it: no AssumeRole call and no MFA code", async () => {
  await withDemo(async ({ sim, run }) => {
    const first = await run(["buckets", "--role", "prod", "--mfa-code", DEMO.mfaCode]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(assumeCalls(sim), 1);
    // No --mfa-code and no terminal: only a cached session can make this work.
    const second = await run(["buckets", "--role", "prod"]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(assumeCalls(sim), 1);
    assert.equal(second.stdout, first.stdout);
  });
});

Deno.test("a cached session is reused until five minutes before expiry, then assumed again", async () => {
  await withDemo(async ({ sim, env }) => {
    // The demo roles issue one-hour sessions.
    const args = ["whoami", "--role", "dev"];
    assert.equal((await runAt(args, env, 0)).code, 0);
    assert.equal(assumeCalls(sim), 1);
    assert.equal((await runAt(args, env, 54 * MINUTE)).code, 0);
    assert.equal(assumeCalls(sim), 1, "54 minutes in: still cached");
    assert.equal((await runAt(args, env, 56 * MINUTE)).code, 0);
    assert.equal(assumeCalls(sim), 2, "56 minutes in: inside the 5-minute margin, assumed again");
  });
});

Deno.test("the cache directory is 0700 and each entry 0600, named without profile, role or secret", async () => {
  await withDemo(async ({ run, env }) => {
    assert.equal((await run(["buckets", "--role", "dev"])).code, 0);
    const dir = env.XROLE_CACHE_DIR!;
    const entries = await cacheEntries(dir);
    assert.equal(entries.length, 1);
    assert.match(entries[0]!, /^[0-9a-f]{40}\.json$/);
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
      assert.equal((await Deno.stat(`${dir}/${entries[0]}`)).mode! & 0o777, 0o600);
    }
  });
});

Deno.test("a corrupt cache entry is ignored, the role assumed again and the entry replaced", async () => {
  await withDemo(async ({ sim, run, env }) => {
    assert.equal((await run(["buckets", "--role", "dev"])).code, 0);
    const dir = env.XROLE_CACHE_DIR!;
    const [name] = await cacheEntries(dir);
    for (
      const garbage of ["{not json", "", '{"version":1,"key":{},"session":{}}', "\u0000\u00ff"]
    ) {
      await Deno.writeTextFile(`${dir}/${name}`, garbage);
      const before = assumeCalls(sim);
      const r = await run(["buckets", "--role", "dev"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(assumeCalls(sim), before + 1, `re-assumed after ${JSON.stringify(garbage)}`);
      const replaced = JSON.parse(await Deno.readTextFile(`${dir}/${name}`));
      assert.equal(replaced.session.roleArn, DEMO.roles.dev.roleArn);
    }
    assert.deepEqual(await cacheEntries(dir), [name], "no temp file left behind");
  });
});

Deno.test("--no-cache neither reads nor writes the cache", async () => {
  await withDemo(async ({ sim, run, env }) => {
    assert.equal((await run(["buckets", "--role", "dev", "--no-cache"])).code, 0);
    assert.deepEqual(await cacheEntries(env.XROLE_CACHE_DIR!), []);
    assert.equal((await run(["buckets", "--role", "dev"])).code, 0);
    assert.equal(assumeCalls(sim), 2);
    assert.equal((await run(["buckets", "--role", "dev", "--no-cache"])).code, 0);
    assert.equal(assumeCalls(sim), 3, "a cached session exists but --no-cache assumes anyway");
  });
});

Deno.test("xrole cache clear removes every cached session, and the next command assumes again", async () => {
  await withDemo(async ({ sim, run, env }) => {
    assert.equal((await run(["buckets", "--role", "dev"])).code, 0);
    assert.equal((await run(["buckets", "--role", "test"])).code, 0);
    assert.equal((await cacheEntries(env.XROLE_CACHE_DIR!)).length, 2);
    const cleared = await run(["cache", "clear"]);
    assert.equal(cleared.code, 0);
    assert.equal(cleared.stdout, "");
    assert.equal(
      cleared.stderr,
      `xrole: removed 2 cached sessions from ${JSON.stringify(env.XROLE_CACHE_DIR)}\n`,
    );
    assert.deepEqual(await cacheEntries(env.XROLE_CACHE_DIR!), []);
    assert.equal((await run(["buckets", "--role", "dev"])).code, 0);
    assert.equal(assumeCalls(sim), 3);
    const again = await run(["cache", "clear", "--no-color"]);
    assert.match(again.stderr, /removed 1 cached session from/);
  });
});

Deno.test("xrole cache clear with no cache directory yet removes nothing and succeeds", async () => {
  await withDemo(async ({ run, env }) => {
    const r = await run(["cache", "clear"], {
      env: { ...env, XROLE_CACHE_DIR: `${env.XROLE_CACHE_DIR}/never-made` },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^xrole: removed 0 cached sessions from ".*never-made"\n$/);
  });
});
