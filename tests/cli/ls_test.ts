import assert from "node:assert/strict";
import { DEMO, withDemo } from "./_fixture.ts";
import { parseS3Url } from "../../src/cli/ls.ts";

interface Entry {
  key: string;
  type: "folder" | "object";
  size: number | null;
  lastModified: string | null;
}

Deno.test("ls --format json lists a folder's sub-folders then its objects, page after page", async () => {
  await withDemo(async ({ sim, run }) => {
    sim.stats.reset();
    const r = await run([
      "ls",
      `s3://${DEMO.buckets.withObjects}/releases/2025/01/`,
      "--role",
      "dev",
      "--format",
      "json",
      "--page-size",
      "1",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const entries = JSON.parse(r.stdout) as Entry[];
    assert.deepEqual(entries.map((e) => e.key), [
      "releases/2025/01/xrole-2.0.0.sha256",
      "releases/2025/01/xrole-2.0.0.tar.gz",
    ]);
    assert.deepEqual(entries[0], {
      key: "releases/2025/01/xrole-2.0.0.sha256",
      type: "object",
      size: 99,
      lastModified: entries[0]!.lastModified,
      storageClass: "STANDARD",
    });
    assert.ok(!Number.isNaN(Date.parse(entries[0]!.lastModified ?? "")));
    assert.equal(sim.stats.requests["ListObjectsV2"], 2, "one key a page: two pages");
  });
});

Deno.test("ls of the bucket's top shows folders first and, piped, prints JSON by default", async () => {
  await withDemo(async ({ run }) => {
    const r = await run(["ls", `s3://${DEMO.buckets.withObjects}`, "--role", "dev"]);
    assert.equal(r.code, 0, r.stderr);
    const entries = JSON.parse(r.stdout) as Entry[];
    assert.deepEqual(entries.map((e) => [e.key, e.type]), [
      ["releases/", "folder"],
      ["snapshots/", "folder"],
      ["README.md", "object"],
    ]);
    assert.equal(entries[0]!.size, null);
  });
});

Deno.test("ls as a table names entries below the prefix with human sizes", async () => {
  await withDemo(async ({ run }) => {
    const r = await run(
      ["ls", `s3://${DEMO.buckets.withObjects}/releases/2024/03/`, "--role", "dev"],
      { stdoutIsTerminal: true },
    );
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^NAME\s+SIZE\s+LAST MODIFIED \(UTC\)$/);
    assert.match(lines[1]!, /^xrole-1\.4\.2\.tar\.gz\s+8\.3 MiB\s+\d{4}-\d\d-\d\d \d\d:\d\d$/);
    assert.equal(lines.length, 3);
  });
});

Deno.test("ls --recursive lists every key under the prefix", async () => {
  await withDemo(async ({ run }) => {
    const r = await run([
      "ls",
      `s3://${DEMO.buckets.withObjects}/releases/`,
      "--role",
      "dev",
      "--recursive",
      "--format",
      "json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const entries = JSON.parse(r.stdout) as Entry[];
    assert.equal(entries.length, 5);
    assert.ok(entries.every((e) => e.type === "object" && e.key.startsWith("releases/")));
  });
});

Deno.test("ls of a bucket in another region lists it through a client for that region", async () => {
  await withDemo(async ({ sim, run }) => {
    // acme-test-fixtures is in us-east-1; the role "prod" works from eu-central-1 but cannot see
    // it, so use test (us-east-1 role) with --region to force another calling region.
    sim.stats.reset();
    const r = await run([
      "ls",
      "s3://acme-test-fixtures/api/",
      "--role",
      "test",
      "--region",
      "eu-west-2",
      "--format",
      "json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const entries = JSON.parse(r.stdout) as Entry[];
    assert.deepEqual(entries.map((e) => e.key), ["api/v1/", "api/v2/"]);
    assert.equal(sim.stats.errors["PermanentRedirect"] ?? 0, 0, "no redirected page");
  });
});

Deno.test("ls of another account's bucket exits 3 with the refusal on one line", async () => {
  await withDemo(async ({ run }) => {
    const r = await run(["ls", `s3://${DEMO.buckets.withObjects}/`, "--role", "test"]);
    assert.equal(r.code, 3);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /ListObjectsV2 failed: AccessDenied/);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  });
});

Deno.test("ls with a malformed location or page size is a usage error (exit 2) before any request", async () => {
  await withDemo(async ({ sim, run }) => {
    sim.stats.reset();
    for (
      const args of [
        ["ls", "s3://Bad_Bucket/", "--role", "dev"],
        ["ls", "s3://ok-bucket/", "--role", "dev", "--page-size", "0"],
        ["ls", "s3://ok-bucket/"],
      ]
    ) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    }
    assert.equal(sim.stats.total, 0);
  });
});

Deno.test("S3 locations parse with or without the s3:// scheme", () => {
  assert.deepEqual(parseS3Url("s3://my.bucket/a/b/"), { bucket: "my.bucket", prefix: "a/b/" });
  assert.deepEqual(parseS3Url("s3://my-bucket"), { bucket: "my-bucket", prefix: "" });
  assert.deepEqual(parseS3Url("my-bucket/x"), { bucket: "my-bucket", prefix: "x" });
  assert.throws(() => parseS3Url("s3://"), /Invalid S3 location/);
});
