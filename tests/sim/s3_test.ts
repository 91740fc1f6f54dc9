/**
 * The simulated S3, driven by the real AWS SDK v3 S3 client (and a few raw signed requests to see
 * what the SDK hides): listing, each location quirk, redirects, paging and every error code.
 */
import assert from "node:assert/strict";
import {
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  type ListBucketsCommandOutput,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
} from "@aws-sdk/client-s3";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { listObjectsPage, routeS3 } from "../../src/sim/s3.ts";
import type { World } from "../../src/sim/world.ts";
import {
  assumeDemoRole,
  DEMO_CREDENTIALS,
  s3Client,
  signedFetch,
  withSimulator,
} from "../_helpers/sim.ts";

function accountBuckets(world: World, accountId: string) {
  const account = world.accounts.find((a) => a.id === accountId);
  assert.ok(account, `account ${accountId} in the demo world`);
  return [...account.buckets].sort((a, b) => (a.name < b.name ? -1 : 1));
}

async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof Error);
    return err as Error & Record<string, unknown>;
  }
  assert.fail("expected the call to fail");
}

function status(err: Record<string, unknown>): number | undefined {
  return (err.$metadata as { httpStatusCode?: number } | undefined)?.httpStatusCode;
}

Deno.test("ListBuckets with assumed role credentials lists the role account's buckets, sorted, with regions", async () => {
  const world = demoWorld();
  await withSimulator({ world }, async (sim) => {
    const creds = await assumeDemoRole(sim, "dev");
    const out = await s3Client(sim, creds).send(new ListBucketsCommand({}));
    const expected = accountBuckets(world, DEMO.roles.dev.accountId);
    assert.deepEqual(out.Buckets?.map((b) => b.Name), expected.map((b) => b.name));
    assert.deepEqual(out.Buckets?.map((b) => b.BucketRegion), expected.map((b) => b.region));
    assert.deepEqual(
      out.Buckets?.map((b) => b.CreationDate?.toISOString()),
      expected.map((b) => new Date(b.created).toISOString()),
    );
    assert.equal(out.Owner?.DisplayName, "dev");
    assert.equal(out.ContinuationToken, undefined);
  });
});

Deno.test("ListBuckets with the source user's own keys sees the source account, not the role's", async () => {
  const world = demoWorld();
  await withSimulator({ world }, async (sim) => {
    const out = await s3Client(sim, DEMO_CREDENTIALS).send(new ListBucketsCommand({}));
    const names = out.Buckets?.map((b) => b.Name);
    assert.deepEqual(names, accountBuckets(world, DEMO.sourceAccountId).map((b) => b.name));
    assert.ok(!names?.includes(DEMO.buckets.usEast1));
  });
});

Deno.test("ListBuckets pages with MaxBuckets and ContinuationToken, seeing every bucket once", async () => {
  const world = demoWorld();
  await withSimulator({ world }, async (sim) => {
    const s3 = s3Client(sim, await assumeDemoRole(sim, "prod"));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page: ListBucketsCommandOutput = await s3.send(
        new ListBucketsCommand({ MaxBuckets: 5, ...(token ? { ContinuationToken: token } : {}) }),
      );
      pages++;
      assert.ok((page.Buckets?.length ?? 0) <= 5);
      seen.push(...(page.Buckets ?? []).map((b) => b.Name ?? ""));
      token = page.ContinuationToken;
    } while (token && pages < 50);
    const expected = accountBuckets(world, DEMO.roles.prod.accountId).map((b) => b.name);
    assert.deepEqual(seen, expected);
    assert.equal(pages, Math.ceil(expected.length / 5));
  });
});

Deno.test("ListBuckets refuses a max-buckets outside 1..10000 with InvalidArgument", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const res = await signedFetch(sim, DEMO_CREDENTIALS, { path: "/?max-buckets=0" });
    assert.equal(res.status, 400);
    assert.match(res.body, /<Code>InvalidArgument<\/Code>/);
  });
});

Deno.test("GetBucketLocation answers empty for us-east-1, EU for legacy buckets, the region otherwise", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const s3 = s3Client(sim, await assumeDemoRole(sim, "dev"));
    const location = async (bucket: string) =>
      (await s3.send(new GetBucketLocationCommand({ Bucket: bucket }))).LocationConstraint;
    assert.equal(await location(DEMO.buckets.usEast1), undefined);
    assert.equal(await location(DEMO.buckets.legacyEu), "EU");
    assert.equal(await location(DEMO.buckets.named.name), DEMO.buckets.named.region);
    assert.equal(await location(DEMO.buckets.dotted), "us-west-2");
  });
});

Deno.test("GetBucketLocation's raw XML is an empty element for us-east-1 and carries a request id", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const creds = await assumeDemoRole(sim, "dev");
    const empty = await signedFetch(sim, creds, { path: `/${DEMO.buckets.usEast1}?location` });
    assert.equal(empty.status, 200);
    assert.match(
      empty.body,
      /<LocationConstraint xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/"\/>/,
    );
    assert.ok(empty.headers.get("x-amz-request-id"));
    const named = await signedFetch(sim, creds, { path: `/${DEMO.buckets.named.name}?location` });
    assert.match(named.body, new RegExp(`>${DEMO.buckets.named.region}</LocationConstraint>`));
  });
});

Deno.test("GetBucketLocation of another account's bucket is AccessDenied", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const s3 = s3Client(sim, await assumeDemoRole(sim, "dev"));
    const err = await rejection(
      s3.send(new GetBucketLocationCommand({ Bucket: "acme-prod-invoices" })),
    );
    assert.equal(err.name, "AccessDenied");
    assert.equal(status(err), 403);
  });
});

Deno.test("A location-denied bucket refuses GetBucketLocation but HeadBucket still tells its region", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const s3 = s3Client(sim, await assumeDemoRole(sim, "prod"), { region: "eu-central-1" });
    const err = await rejection(
      s3.send(new GetBucketLocationCommand({ Bucket: DEMO.buckets.denied })),
    );
    assert.equal(err.name, "AccessDenied");
    const head = await s3.send(new HeadBucketCommand({ Bucket: DEMO.buckets.denied }));
    assert.equal(head.BucketRegion, "eu-central-1");
  });
});

Deno.test("GetBucketLocation and HeadBucket of a missing bucket are NoSuchBucket / 404", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const s3 = s3Client(sim, await assumeDemoRole(sim, "dev"));
    const err = await rejection(
      s3.send(new GetBucketLocationCommand({ Bucket: "no-such-bucket-xyz" })),
    );
    assert.equal(err.name, "NoSuchBucket");
    assert.equal(status(err), 404);
    const head = await rejection(s3.send(new HeadBucketCommand({ Bucket: "no-such-bucket-xyz" })));
    assert.equal(status(head), 404);
  });
});

Deno.test("HeadBucket signed for the wrong region gets a bodiless 301 that the SDK follows", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const creds = await assumeDemoRole(sim, "dev");
    const raw = await signedFetch(sim, creds, {
      method: "HEAD",
      path: `/${DEMO.buckets.dotted}`,
      region: "eu-west-1",
    });
    assert.equal(raw.status, 301);
    assert.equal(raw.headers.get("x-amz-bucket-region"), "us-west-2");
    assert.equal(raw.body, "");
    const head = await s3Client(sim, creds, { region: "eu-west-1" }).send(
      new HeadBucketCommand({ Bucket: DEMO.buckets.dotted }),
    );
    assert.equal(head.BucketRegion, "us-west-2");
    const noFollow = s3Client(sim, creds, { region: "eu-west-1", followRegionRedirects: false });
    const err = await rejection(
      noFollow.send(new HeadBucketCommand({ Bucket: DEMO.buckets.dotted })),
    );
    assert.equal(status(err), 301);
  });
});

Deno.test("HeadBucket of another account's bucket is 403 but still carries the region header", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const creds = await assumeDemoRole(sim, "dev");
    const raw = await signedFetch(sim, creds, {
      method: "HEAD",
      path: "/acme-prod-invoices",
      region: "eu-central-1",
    });
    assert.equal(raw.status, 403);
    assert.equal(raw.headers.get("x-amz-bucket-region"), "eu-central-1");
  });
});

Deno.test("ListObjectsV2 with a delimiter browses three levels of folders", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const s3 = s3Client(sim, await assumeDemoRole(sim, "dev"));
    const list = (prefix: string) =>
      s3.send(
        new ListObjectsV2Command({
          Bucket: DEMO.buckets.withObjects,
          Delimiter: "/",
          Prefix: prefix,
        }),
      );
    const root = await list("");
    assert.deepEqual(root.CommonPrefixes?.map((p) => p.Prefix), ["releases/", "snapshots/"]);
    assert.deepEqual(root.Contents?.map((o) => o.Key), ["README.md"]);
    assert.equal(root.KeyCount, 3);
    const years = await list("releases/");
    assert.deepEqual(years.CommonPrefixes?.map((p) => p.Prefix), [
      "releases/2024/",
      "releases/2025/",
    ]);
    const months = await list("releases/2024/");
    assert.deepEqual(months.CommonPrefixes?.map((p) => p.Prefix), [
      "releases/2024/03/",
      "releases/2024/04/",
    ]);
    const files = await list("releases/2024/03/");
    assert.deepEqual(files.Contents?.map((o) => o.Key), [
      "releases/2024/03/xrole-1.4.2.tar.gz",
      "releases/2024/03/xrole-1.4.3.tar.gz",
    ]);
    assert.equal(files.Contents?.[0]?.Size, 8_734_112);
    assert.equal(files.CommonPrefixes, undefined);
  });
});

Deno.test("ListObjectsV2 pages with MaxKeys and continuation tokens without repeating entries", async () => {
  const world = demoWorld();
  await withSimulator({ world }, async (sim) => {
    const s3 = s3Client(sim, await assumeDemoRole(sim, "dev"));
    const all = world.accounts.flatMap((a) => a.buckets)
      .find((b) => b.name === DEMO.buckets.withObjects)?.objects?.map((o) => o.key).sort() ?? [];
    assert.ok(all.length > 4);
    for (const delimiter of [undefined, "/"]) {
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page: ListObjectsV2CommandOutput = await s3.send(
          new ListObjectsV2Command({
            Bucket: DEMO.buckets.withObjects,
            MaxKeys: 2,
            ...(delimiter ? { Delimiter: delimiter, Prefix: "snapshots/" } : {}),
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        pages++;
        assert.ok((page.KeyCount ?? 0) <= 2);
        seen.push(...(page.Contents ?? []).map((o) => o.Key ?? ""));
        seen.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ""));
        assert.equal(page.IsTruncated, page.NextContinuationToken !== undefined);
        token = page.NextContinuationToken;
      } while (token && pages < 20);
      if (delimiter) {
        assert.deepEqual(seen, ["snapshots/nightly/", "snapshots/weekly/"]);
      } else {
        assert.deepEqual(seen, all);
        assert.equal(pages, Math.ceil(all.length / 2));
      }
    }
  });
});

Deno.test("ListObjectsV2 StartAfter skips keys up to and including the given key", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const s3 = s3Client(sim, await assumeDemoRole(sim, "dev"));
    const out = await s3.send(
      new ListObjectsV2Command({
        Bucket: DEMO.buckets.withObjects,
        Prefix: "releases/",
        StartAfter: "releases/2024/04/xrole-1.5.0.tar.gz",
      }),
    );
    assert.deepEqual(out.Contents?.map((o) => o.Key), [
      "releases/2025/01/xrole-2.0.0.sha256",
      "releases/2025/01/xrole-2.0.0.tar.gz",
    ]);
  });
});

Deno.test("ListObjectsV2 signed for the wrong region is a PermanentRedirect the SDK follows", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const creds = await assumeDemoRole(sim, "test");
    const bucket = "acme-test-fixtures";
    const raw = await signedFetch(sim, creds, {
      path: `/${bucket}?list-type=2`,
      region: "eu-west-1",
    });
    assert.equal(raw.status, 301);
    assert.equal(raw.headers.get("x-amz-bucket-region"), "us-east-1");
    assert.match(raw.body, /<Code>PermanentRedirect<\/Code>/);
    // Without redirect following the SDK sees only a 301 (fetch drops a 301's body).
    const noFollow = s3Client(sim, creds, { region: "eu-west-1", followRegionRedirects: false });
    const err = await rejection(noFollow.send(new ListObjectsV2Command({ Bucket: bucket })));
    assert.equal(status(err), 301);
    const out = await s3Client(sim, creds, { region: "eu-west-1" }).send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: "api/" }),
    );
    assert.equal(out.KeyCount, 3);
  });
});

Deno.test("S3 refuses a wrong secret, an unknown key, and temporary keys without their token", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const wrong = s3Client(sim, { ...DEMO_CREDENTIALS, secretAccessKey: "x".repeat(40) });
    const bad = await rejection(wrong.send(new ListBucketsCommand({})));
    assert.equal(bad.name, "SignatureDoesNotMatch");
    assert.equal(status(bad), 403);
    const unknown = s3Client(sim, {
      accessKeyId: "AKIAUNKNOWN000000000",
      secretAccessKey: "y".repeat(40),
    });
    assert.equal(
      (await rejection(unknown.send(new ListBucketsCommand({})))).name,
      "InvalidAccessKeyId",
    );
    const creds = await assumeDemoRole(sim, "dev");
    const tokenless = s3Client(sim, {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
    });
    assert.equal(
      (await rejection(tokenless.send(new ListBucketsCommand({})))).name,
      "InvalidAccessKeyId",
    );
    const wrongToken = s3Client(sim, { ...creds, sessionToken: `${creds.sessionToken}x` });
    assert.equal(
      (await rejection(wrongToken.send(new ListBucketsCommand({})))).name,
      "InvalidToken",
    );
  });
});

Deno.test("S3 error XML carries Code, Message, RequestId and the x-amz-request-id header", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const res = await signedFetch(sim, DEMO_CREDENTIALS, { path: "/no-such-bucket-xyz?location" });
    assert.equal(res.status, 404);
    const id = res.headers.get("x-amz-request-id");
    assert.ok(id);
    assert.match(
      res.body,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchBucket<\/Code>/,
    );
    assert.match(res.body, /<Message>The specified bucket does not exist<\/Message>/);
    assert.ok(res.body.includes(`<RequestId>${id}</RequestId>`));
  });
});

Deno.test("routeS3 understands path-style and virtual-host style requests", () => {
  const has = (name: string) => ["acme.dotted.oregon", "plain"].includes(name);
  assert.deepEqual(
    [
      routeS3("GET", "127.0.0.1:1", "/", "", has).action,
      routeS3("GET", "127.0.0.1:1", "/plain", "location", has).action,
    ],
    ["ListBuckets", "GetBucketLocation"],
  );
  const vhost = routeS3("GET", "acme.dotted.oregon.s3.amazonaws.com", "/", "list-type=2", has);
  assert.equal(vhost.bucket, "acme.dotted.oregon");
  assert.equal(vhost.action, "ListObjectsV2");
  assert.equal(routeS3("HEAD", "plain.localhost:4566", "/", "", has).action, "HeadBucket");
  assert.equal(routeS3("GET", "127.0.0.1:1", "/plain/some/key", "", has).action, "Unsupported");
});

Deno.test("listObjectsPage resumes after a common prefix without listing its keys again", () => {
  const objects = ["a/1", "a/2", "b/1", "c"].map((key) => ({
    key,
    size: 1,
    lastModified: "2024-01-01T00:00:00Z",
  }));
  const first = listObjectsPage(objects, { prefix: "", delimiter: "/", maxKeys: 1, after: "" });
  assert.deepEqual([first.prefixes, first.truncated, first.nextMarker], [["a/"], true, "a/"]);
  const second = listObjectsPage(objects, { prefix: "", delimiter: "/", maxKeys: 5, after: "a/" });
  assert.deepEqual(second.prefixes, ["b/"]);
  assert.deepEqual(second.contents.map((o) => o.key), ["c"]);
  assert.equal(second.truncated, false);
});
