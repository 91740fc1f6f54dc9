/** Generated worlds: deterministic, the requested size, and usable through the simulator. */
import assert from "node:assert/strict";
import { GetBucketLocationCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import {
  generatedAccountId,
  generatedExternalId,
  generatedRoleArn,
  generateWorld,
} from "../../src/sim/generator.ts";
import { indexWorld } from "../../src/sim/world.ts";
import { s3Client, stsClient, withSimulator } from "../_helpers/sim.ts";

Deno.test("generateWorld makes exactly N uniquely named buckets over K target accounts", () => {
  const world = generateWorld({ buckets: 250, accounts: 4 });
  const targets = world.accounts.slice(1);
  assert.equal(targets.length, 4);
  const buckets = targets.flatMap((a) => a.buckets);
  assert.equal(buckets.length, 250);
  assert.equal(new Set(buckets.map((b) => b.name)).size, 250);
  for (const a of targets) assert.ok(a.buckets.length >= 62 && a.buckets.length <= 63);
  assert.ok(new Set(buckets.map((b) => b.region)).size >= 10);
  assert.ok(buckets.some((b) => b.region === "us-east-1"));
  assert.ok(buckets.some((b) => b.legacyEu && b.region === "eu-west-1"));
  for (const b of buckets) assert.match(b.name, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);
});

Deno.test("generateWorld is deterministic for a seed and differs between seeds", () => {
  const a = generateWorld({ buckets: 100, accounts: 2, seed: 1 });
  assert.deepEqual(generateWorld({ buckets: 100, accounts: 2, seed: 1 }), a);
  const b = generateWorld({ buckets: 100, accounts: 2, seed: 2 });
  const regions = (w: typeof a) => w.accounts.flatMap((x) => x.buckets.map((y) => y.region));
  assert.notDeepEqual(regions(b), regions(a));
});

Deno.test("A generated account's Bench role can be assumed with its External ID and lists that account's buckets", async () => {
  const world = generateWorld({ buckets: 30, accounts: 3 });
  const index = indexWorld(world);
  await withSimulator({ world }, async (sim) => {
    const out = await stsClient(sim).send(
      new AssumeRoleCommand({
        RoleArn: generatedRoleArn(1),
        RoleSessionName: "gen",
        ExternalId: generatedExternalId(1),
      }),
    );
    assert.equal(
      out.AssumedRoleUser?.Arn,
      `arn:aws:sts::${generatedAccountId(1)}:assumed-role/Bench/gen`,
    );
    const c = out.Credentials!;
    const s3 = s3Client(sim, {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    });
    const names = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    assert.deepEqual(names, index.bucketsOf(generatedAccountId(1)).map((b) => b.name));
    const first = index.bucketsOf(generatedAccountId(1))[0]!;
    const loc = await s3.send(new GetBucketLocationCommand({ Bucket: first.name }));
    assert.equal(loc.LocationConstraint ?? "us-east-1", first.legacyEu ? "EU" : first.region);
  });
});
