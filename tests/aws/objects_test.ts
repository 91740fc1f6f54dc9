import assert from "node:assert/strict";
import { bucketRegion, listFolder, listObjectsPage } from "../../src/aws/objects.ts";
import { AwsError } from "../../src/core/errors.ts";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { assumeDemoRole, s3Client, withSimulator } from "../_helpers/sim.ts";

const BUCKET = DEMO.buckets.withObjects;

Deno.test("browsing a bucket three folders deep, two keys a page, finds every folder and object", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const creds = await assumeDemoRole(sim, "dev");
    const s3 = s3Client(sim, creds, { region: "eu-west-1" });
    sim.stats.reset();

    const top = await listFolder(s3, { bucket: BUCKET, prefix: "", maxKeys: 2 });
    assert.deepEqual(top.prefixes, ["releases/", "snapshots/"]);
    assert.deepEqual(top.objects.map((o) => o.key), ["README.md"]);
    assert.equal(top.objects[0]!.size, 1204);
    assert.ok(top.objects[0]!.lastModified instanceof Date);
    assert.equal(top.pages, 2, "three entries at two a page take two pages");

    const releases = await listFolder(s3, { bucket: BUCKET, prefix: "releases/", maxKeys: 2 });
    assert.deepEqual(releases.prefixes, ["releases/2024/", "releases/2025/"]);
    const year = await listFolder(s3, { bucket: BUCKET, prefix: "releases/2024/", maxKeys: 1 });
    assert.deepEqual(year.prefixes, ["releases/2024/03/", "releases/2024/04/"]);
    assert.equal(year.pages, 2);
    const month = await listFolder(s3, { bucket: BUCKET, prefix: "releases/2024/03/", maxKeys: 1 });
    assert.deepEqual(month.prefixes, []);
    assert.deepEqual(month.objects.map((o) => [o.key, o.size]), [
      ["releases/2024/03/xrole-1.4.2.tar.gz", 8_734_112],
      ["releases/2024/03/xrole-1.4.3.tar.gz", 8_741_090],
    ]);
    assert.equal(
      sim.stats.requests["ListObjectsV2"],
      top.pages + releases.pages + year.pages + month.pages,
      "one request per page",
    );
  });
});

Deno.test("one page at a time hands back the token for the next page, and none on the last", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const s3 = s3Client(sim, await assumeDemoRole(sim, "dev"));
    const first = await listObjectsPage(s3, { bucket: BUCKET, prefix: "", maxKeys: 2 });
    assert.equal(first.prefixes.length + first.objects.length, 2);
    assert.ok(first.nextToken);
    const second = await listObjectsPage(s3, {
      bucket: BUCKET,
      prefix: "",
      maxKeys: 2,
      token: first.nextToken,
    });
    assert.equal(second.nextToken, undefined);
    const all = [...first.prefixes, ...first.objects.map((o) => o.key), ...second.prefixes];
    assert.deepEqual(all.sort(), ["README.md", "releases/", "snapshots/"]);
  });
});

Deno.test("no delimiter lists every key under the prefix", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const s3 = s3Client(sim, await assumeDemoRole(sim, "dev"));
    const all = await listFolder(s3, {
      bucket: BUCKET,
      prefix: "snapshots/",
      delimiter: "",
      maxKeys: 2,
    });
    assert.deepEqual(all.prefixes, []);
    assert.equal(all.objects.length, 3);
    assert.ok(all.objects.every((o) => o.key.startsWith("snapshots/")));
  });
});

Deno.test("a bucket in another region is refused with the region it is in", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const s3 = s3Client(sim, await assumeDemoRole(sim, "dev"), {
      region: "us-east-1",
      followRegionRedirects: false,
    });
    const err = await listObjectsPage(s3, { bucket: BUCKET, prefix: "" }).catch((e) => e);
    assert.ok(err instanceof AwsError, String(err));
    assert.equal(err.code, "PermanentRedirect");
    assert.match(err.message, /is in region "eu-west-1"/);
  });
});

Deno.test("a bucket of another account is AccessDenied", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const s3 = s3Client(sim, await assumeDemoRole(sim, "test"), { region: "eu-west-1" });
    const err = await listObjectsPage(s3, { bucket: BUCKET, prefix: "" }).catch((e) => e);
    assert.ok(err instanceof AwsError, String(err));
    assert.equal(err.code, "AccessDenied");
    assert.equal(err.exitCode, 3);
  });
});

Deno.test("bucketRegion finds a bucket's region (HeadBucket when the location is refused), nothing for a missing bucket", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const s3 = s3Client(sim, await assumeDemoRole(sim, "dev"), { region: "us-east-1" });
    assert.equal(await bucketRegion(s3, DEMO.buckets.dotted), "us-west-2");
    assert.equal(await bucketRegion(s3, DEMO.buckets.denied), "eu-central-1");
    assert.equal(await bucketRegion(s3, "no-such-bucket-anywhere"), undefined);
  });
});
