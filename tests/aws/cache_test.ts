import assert from "node:assert/strict";
import {
  cachedAssume,
  cacheFile,
  type CacheKey,
  clearCache,
  readCachedSession,
  writeCachedSession,
} from "../../src/aws/cache.ts";
import type { AssumedSession } from "../../src/core/model.ts";

const KEY: CacheKey = {
  sourceProfile: "dev",
  roleArn: "arn:aws:iam::222222222222:role/Reader",
  sessionName: "",
  externalId: "ext-secret-77",
};

function session(expiresAt: Date, id = "ASIACACHED"): AssumedSession {
  return {
    credentials: {
      accessKeyId: id,
      secretAccessKey: "cached-secret",
      sessionToken: "cached-token",
      expiration: expiresAt,
    },
    assumedRoleArn: "arn:aws:sts::222222222222:assumed-role/Reader/xrole-dev",
    assumedRoleId: "AROA:xrole-dev",
    accountId: "222222222222",
    roleArn: KEY.roleArn,
    sessionName: "xrole-dev",
    region: "eu-west-1",
  };
}

async function withDir(fn: (dir: string) => Promise<void>) {
  const base = await Deno.makeTempDir({ prefix: "xrole-cache-" });
  try {
    await fn(`${base}/cache/xrole`);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
}

const NOW = new Date("2030-01-01T12:00:00Z");
const inMinutes = (m: number) => new Date(NOW.getTime() + m * 60_000);

Deno.test("a cached session is reused until five minutes before it expires", async () => {
  await withDir(async (dir) => {
    await writeCachedSession(dir, KEY, session(inMinutes(30)));
    const hit = await readCachedSession(dir, KEY, NOW);
    assert.equal(hit?.credentials.accessKeyId, "ASIACACHED");
    assert.equal(hit?.credentials.expiration.getTime(), inMinutes(30).getTime());
    assert.ok(await readCachedSession(dir, KEY, inMinutes(24)));
    assert.equal(await readCachedSession(dir, KEY, inMinutes(26)), undefined);
  });
});

Deno.test("the cache directory is 0700 and its files 0600, with no secret in file names", async () => {
  await withDir(async (dir) => {
    await writeCachedSession(dir, KEY, session(inMinutes(30)));
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assert.equal(names.length, 1, "no temp file left behind");
    assert.equal((await Deno.stat(`${dir}/${names[0]}`)).mode! & 0o777, 0o600);
    assert.ok(!names[0]!.includes("dev") && !names[0]!.includes("Reader"));
    const text = await Deno.readTextFile(`${dir}/${names[0]}`);
    assert.ok(!text.includes(KEY.externalId!), "the External ID is stored only as a hash");
  });
});

Deno.test("an existing cache directory with loose permissions is tightened", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(dir, { recursive: true, mode: 0o755 });
    await Deno.chmod(dir, 0o755);
    await writeCachedSession(dir, KEY, session(inMinutes(30)));
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
  });
});

Deno.test("a different External ID, session name or source misses the cache", async () => {
  await withDir(async (dir) => {
    await writeCachedSession(dir, KEY, session(inMinutes(30)));
    assert.equal(await readCachedSession(dir, { ...KEY, externalId: "other" }, NOW), undefined);
    assert.equal(await readCachedSession(dir, { ...KEY, sessionName: "named" }, NOW), undefined);
    assert.equal(await readCachedSession(dir, { ...KEY, sourceProfile: "ops" }, NOW), undefined);
  });
});

Deno.test("a corrupt cache file is ignored and replaced by the next assume", async () => {
  await withDir(async (dir) => {
    await writeCachedSession(dir, KEY, session(inMinutes(30)));
    const file = await cacheFile(dir, KEY);
    for (const garbage of ["{not json", "null", '{"version":1,"key":{}}', "\u0000\u0001binary"]) {
      await Deno.writeTextFile(file, garbage);
      assert.equal(await readCachedSession(dir, KEY, NOW), undefined, garbage);
    }
    let calls = 0;
    const first = await cachedAssume(dir, KEY, NOW, () => {
      calls++;
      return Promise.resolve(session(inMinutes(60), "ASIAFRESH"));
    });
    assert.equal(first.fromCache, false);
    const second = await cachedAssume(dir, KEY, NOW, () => {
      calls++;
      return Promise.resolve(session(inMinutes(60), "ASIANEVER"));
    });
    assert.equal(second.fromCache, true);
    assert.equal(second.session.credentials.accessKeyId, "ASIAFRESH");
    assert.equal(calls, 1);
  });
});

Deno.test("clearing the cache removes every entry and tolerates a missing directory", async () => {
  await withDir(async (dir) => {
    assert.equal(await clearCache(dir), 0);
    await writeCachedSession(dir, KEY, session(inMinutes(30)));
    await writeCachedSession(dir, { ...KEY, sourceProfile: "ops" }, session(inMinutes(30)));
    assert.equal(await clearCache(dir), 2);
    assert.equal(await readCachedSession(dir, KEY, NOW), undefined);
  });
});

Deno.test("a cache that cannot be written does not fail the assume", async () => {
  await withDir(async (dir) => {
    const parent = dir.replace(/\/xrole$/, "");
    await Deno.mkdir(parent, { recursive: true });
    await Deno.writeTextFile(dir, "a file where the directory should be");
    const result = await cachedAssume(dir, KEY, NOW, () => Promise.resolve(session(inMinutes(60))));
    assert.equal(result.fromCache, false);
  });
});
