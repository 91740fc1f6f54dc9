import assert from "node:assert/strict";
import { listBuckets, locateBuckets, streamBuckets } from "../../src/aws/s3.ts";
import type { RowUpdate } from "../../src/core/model.ts";
import { InterruptedError } from "../../src/core/errors.ts";
import { type FakeBucket, FakeS3, serviceError } from "./_fake_s3.ts";

function names(n: number, extra: Partial<FakeBucket> = {}): FakeBucket[] {
  return Array.from(
    { length: n },
    (_, i) => ({ name: `bucket-${i}`, location: "eu-west-2", ...extra }),
  );
}

Deno.test("listing follows continuation tokens until every bucket is listed once", async () => {
  const s3 = new FakeS3(names(25));
  const listed = await listBuckets(s3, { pageSize: 10 });
  assert.equal(s3.calls.ListBuckets, 3);
  assert.deepEqual(listed.map((b) => b.name), names(25).map((b) => b.name));
  assert.ok(listed.every((b) => b.created instanceof Date));
});

Deno.test("listing keeps ListBuckets' BucketRegion as the listed region", async () => {
  const s3 = new FakeS3([{ name: "a", listedRegion: "ap-south-1" }, { name: "b" }]);
  const listed = await listBuckets(s3);
  assert.equal(listed[0]?.listedRegion, "ap-south-1");
  assert.equal(listed[1]?.listedRegion, undefined);
});

Deno.test("an empty location is us-east-1 and the legacy EU is eu-west-1", async () => {
  const s3 = new FakeS3([
    { name: "virginia" },
    { name: "old-europe", location: "EU" },
    { name: "tokyo", location: "ap-northeast-1" },
  ]);
  const updates: RowUpdate[] = [];
  const buckets = await listBuckets(s3);
  const result = await locateBuckets(s3, buckets, {}, (u) => updates.push(u));
  const regions = Object.fromEntries(
    updates.map((u) => u.type === "region" ? [u.name, `${u.region}/${u.source}`] : []),
  );
  assert.deepEqual(regions, {
    "virginia": "us-east-1/location",
    "old-europe": "eu-west-1/location",
    "tokyo": "ap-northeast-1/location",
  });
  assert.equal(result.failed, 0);
});

Deno.test("a denied location falls back to HeadBucket's region, even when HeadBucket is denied", async () => {
  const s3 = new FakeS3([
    { name: "head-ok", locationDenied: true, region: "sa-east-1" },
    { name: "head-403", locationDenied: true, headDenied: true, region: "ca-central-1" },
    { name: "hidden", locationDenied: true, headSilent: true },
  ]);
  const updates: RowUpdate[] = [];
  const result = await locateBuckets(s3, await listBuckets(s3), {}, (u) => updates.push(u));
  const byName = new Map(updates.map((u) => ["name" in u ? u.name : "", u]));
  assert.deepEqual(byName.get("head-ok"), {
    type: "region",
    name: "head-ok",
    region: "sa-east-1",
    source: "head",
  });
  assert.deepEqual(byName.get("head-403"), {
    type: "region",
    name: "head-403",
    region: "ca-central-1",
    source: "head",
  });
  const hidden = byName.get("hidden");
  assert.equal(hidden?.type, "error");
  assert.equal(hidden?.type === "error" && hidden.code, "AccessDenied");
  assert.equal(result.failed, 1);
});

Deno.test("lookups never exceed the concurrency and every bucket gets exactly one update", async () => {
  const s3 = new FakeS3(names(500), 2);
  const updates: RowUpdate[] = [];
  const result = await locateBuckets(
    s3,
    await listBuckets(s3),
    { concurrency: 7 },
    (u) => updates.push(u),
  );
  assert.equal(s3.maxInFlight, 7);
  assert.equal(updates.length, 500);
  assert.equal(new Set(updates.map((u) => "name" in u ? u.name : "")).size, 500);
  assert.ok([...s3.perBucket.values()].every((n) => n === 1));
  assert.equal(result.failed, 0);
});

Deno.test("list mode trusts the listed region and only looks up the buckets without one", async () => {
  const s3 = new FakeS3([
    { name: "a", listedRegion: "us-west-2", location: "us-west-2" },
    { name: "b", location: "EU" },
    { name: "c", listedRegion: "eu-north-1", location: "eu-north-1" },
  ]);
  const updates: RowUpdate[] = [];
  await locateBuckets(s3, await listBuckets(s3), { mode: "list" }, (u) => updates.push(u));
  assert.equal(s3.calls.GetBucketLocation, 1);
  const sources = updates.map((u) =>
    u.type === "region" ? `${u.name}:${u.region}:${u.source}` : ""
  );
  assert.deepEqual(sources.sort(), [
    "a:us-west-2:list",
    "b:eu-west-1:location",
    "c:eu-north-1:list",
  ]);
});

Deno.test("a lookup that takes too long becomes a timeout row while the rest complete", async () => {
  const s3 = new FakeS3([...names(5), { name: "slow", hang: true }]);
  const updates: RowUpdate[] = [];
  const result = await locateBuckets(
    s3,
    await listBuckets(s3),
    { timeoutMs: 50 },
    (u) => updates.push(u),
  );
  const slow = updates.find((u) => u.type === "error");
  assert.equal(slow?.type === "error" && `${slow.name}:${slow.code}`, "slow:timeout");
  assert.equal(updates.filter((u) => u.type === "region").length, 5);
  assert.equal(result.failed, 1);
});

Deno.test("aborting stops new lookups, cancels those in flight and leaves nothing pending", async () => {
  const s3 = new FakeS3(names(200), 5);
  const controller = new AbortController();
  const updates: RowUpdate[] = [];
  const result = await locateBuckets(
    s3,
    await listBuckets(s3),
    { concurrency: 4, signal: controller.signal },
    (u) => {
      updates.push(u);
      if (updates.length === 10) controller.abort();
    },
  );
  assert.ok(updates.length >= 10 && updates.length < 20, `${updates.length} updates`);
  assert.ok((s3.calls.GetBucketLocation ?? 0) < 20);
  assert.equal(s3.inFlight, 0);
  assert.ok(result.skipped > 150);
});

Deno.test("aborting rejects with InterruptedError when the caller asks for it", async () => {
  const s3 = new FakeS3(names(50), 5);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 12);
  await assert.rejects(
    locateBuckets(
      s3,
      await listBuckets(s3),
      { concurrency: 2, signal: controller.signal, rejectOnAbort: true },
      () => {},
    ),
    InterruptedError,
  );
  assert.equal(s3.inFlight, 0);
});

Deno.test("streaming emits listed first, one update per bucket, then done", async () => {
  const s3 = new FakeS3(names(30));
  const updates: RowUpdate[] = [];
  const result = await streamBuckets(s3, { pageSize: 7, concurrency: 5 }, (u) => updates.push(u));
  assert.equal(updates[0]?.type, "listed");
  assert.equal(updates.at(-1)?.type, "done");
  assert.equal(updates.length, 32);
  assert.equal(result.buckets.length, 30);
});

Deno.test("a failing update callback stops the lookups and surfaces its error", async () => {
  const s3 = new FakeS3(names(100), 2);
  await assert.rejects(
    locateBuckets(s3, await listBuckets(s3), { concurrency: 3 }, () => {
      throw new Error("consumer broke");
    }),
    /consumer broke/,
  );
  assert.ok((s3.calls.GetBucketLocation ?? 0) <= 3);
});

class BreakingS3 extends FakeS3 {
  constructor(buckets: FakeBucket[], readonly goodCalls: number, readonly failure: () => unknown) {
    super(buckets, 1);
  }
  // deno-lint-ignore no-explicit-any
  override send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any> {
    const total = Object.values(this.calls).reduce((a, b) => a + b, 0);
    if (total >= this.goodCalls) {
      this.calls.failed = (this.calls.failed ?? 0) + 1;
      return Promise.reject(this.failure());
    }
    return super.send(command, options);
  }
}

Deno.test("expired credentials stop the lookups early and the remaining rows say so", async () => {
  const s3 = new BreakingS3(names(300), 51, () => serviceError("ExpiredToken", 400));
  const listed = await listBuckets(s3);
  const updates: RowUpdate[] = [];
  const result = await locateBuckets(s3, listed, { concurrency: 4 }, (u) => updates.push(u));
  assert.equal(result.fatal?.code, "ExpiredToken");
  assert.equal(updates.length, 300, "every bucket still gets one update");
  assert.equal(new Set(updates.map((u) => "name" in u ? u.name : "")).size, 300);
  assert.equal(updates.filter((u) => u.type === "region").length, 50);
  assert.ok((s3.calls.failed ?? 0) <= 4, `${s3.calls.failed} requests after expiry`);
  assert.equal(result.failed, 250);
});

Deno.test("an endpoint that goes away mid-listing ends the lookups with network errors", async () => {
  const s3 = new BreakingS3(
    names(300),
    21,
    () => new TypeError("fetch failed", { cause: new Error("Connection refused (os error 111)") }),
  );
  const listed = await listBuckets(s3);
  const updates: RowUpdate[] = [];
  const result = await locateBuckets(s3, listed, { concurrency: 4 }, (u) => updates.push(u));
  assert.equal(result.fatal?.code, "NetworkError");
  assert.equal(updates.length, 300);
  assert.ok((s3.calls.failed ?? 0) <= 6, `${s3.calls.failed} requests after the endpoint went`);
});

Deno.test("an isolated bucket error does not stop the other lookups", async () => {
  const s3 = new FakeS3([...names(50), { name: "hidden", locationDenied: true, headSilent: true }]);
  const result = await locateBuckets(s3, await listBuckets(s3), { concurrency: 4 }, () => {});
  assert.equal(result.fatal, undefined);
  assert.equal(result.failed, 1);
  assert.equal(s3.calls.GetBucketLocation, 51);
});
