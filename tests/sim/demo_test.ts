/**
 * The demo: its world has every quirk xrole must show, and startDemo's temporary files are read
 * by the SDK's own loader and by xrole's roles parser exactly as a user's files would be.
 */
import assert from "node:assert/strict";
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import { parseRolesFile } from "../../src/core/roles_file.ts";
import { startDemo } from "../../src/sim/demo.ts";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { indexWorld, locationConstraintOf, roleArnOf } from "../../src/sim/world.ts";
import { s3Client, stsClient } from "../_helpers/sim.ts";

Deno.test("The demo world has 40+ buckets over at least 12 regions, with every location quirk", () => {
  const world = demoWorld();
  const buckets = world.accounts.flatMap((a) => a.buckets);
  assert.ok(buckets.length >= 40, `${buckets.length} buckets`);
  assert.ok(new Set(buckets.map((b) => b.region)).size >= 12);
  assert.equal(new Set(buckets.map((b) => b.name)).size, buckets.length, "bucket names are unique");
  for (const b of buckets) assert.match(b.name, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);
  const index = indexWorld(world);
  const quirk = (name: string) => index.bucket(name);
  assert.equal(locationConstraintOf(quirk(DEMO.buckets.usEast1)!.bucket), "");
  assert.equal(locationConstraintOf(quirk(DEMO.buckets.legacyEu)!.bucket), "EU");
  assert.equal(quirk(DEMO.buckets.legacyEu)!.bucket.region, "eu-west-1");
  assert.equal(quirk(DEMO.buckets.dotted)!.bucket.region, "us-west-2");
  assert.equal(quirk(DEMO.buckets.denied)!.bucket.denyLocation, true);
  assert.equal(quirk(DEMO.buckets.denied)!.account.id, DEMO.roles.prod.accountId);
  assert.equal(quirk(DEMO.buckets.named.name)!.bucket.region, DEMO.buckets.named.region);
  assert.equal(index.bucketsOf(DEMO.sourceAccountId).length, 2);
  const withObjects = quirk(DEMO.buckets.withObjects)!.bucket.objects ?? [];
  assert.ok(withObjects.some((o) => o.key.split("/").length === 4), "three levels of prefixes");
});

Deno.test("DEMO's constants describe the roles and user that the demo world really has", () => {
  const world = demoWorld();
  const index = indexWorld(world);
  assert.equal(DEMO.secretAccessKey.length, 40);
  const user = index.userByKey(DEMO.accessKeyId);
  assert.equal(user?.account.id, DEMO.sourceAccountId);
  assert.equal(user?.user.mfaSerial, DEMO.mfaSerial);
  for (const role of Object.values(DEMO.roles)) {
    const ref = index.roleByArn(role.roleArn);
    assert.ok(ref, role.roleArn);
    assert.equal(roleArnOf(ref.account.id, ref.role), role.roleArn);
    assert.equal(ref.role.externalId, role.externalId);
    assert.equal(ref.role.maxSessionDuration, role.maxSessionDuration);
    assert.equal(Boolean(ref.role.requireMfa), role.requireMfa);
    assert.deepEqual(ref.role.trustedAccounts, [DEMO.sourceAccountId]);
  }
  assert.equal(DEMO.roles.prod.roleArn, "arn:aws:iam::444444444444:role/ops/ProdReadOnly");
  assert.deepEqual(demoWorld(), world, "the demo world is deterministic");
});

Deno.test("startDemo writes AWS files the SDK's loader reads and a roles.ini xrole parses; close() removes them", async () => {
  const demo = await startDemo({ latencyMs: 0 });
  let closed = false;
  try {
    const env = demo.env;
    assert.equal(env.AWS_ENDPOINT_URL, demo.sim.url);
    assert.equal(env.AWS_PROFILE, DEMO.profile);
    for (
      const key of [
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "XROLE_CONFIG_DIR",
        "XROLE_CACHE_DIR",
      ]
    ) {
      assert.ok(env[key]?.startsWith(demo.dir), key);
    }
    const files = await loadSharedConfigFiles({
      filepath: env.AWS_SHARED_CREDENTIALS_FILE!,
      configFilepath: env.AWS_CONFIG_FILE!,
      ignoreCache: true,
    });
    assert.equal(files.configFile[DEMO.profile]?.region, DEMO.region);
    assert.equal(files.configFile[`${DEMO.profile}-test`]?.role_arn, DEMO.roles.test.roleArn);
    assert.equal(files.configFile[`${DEMO.profile}-test`]?.external_id, DEMO.roles.test.externalId);
    assert.equal(files.configFile[`${DEMO.profile}-test`]?.source_profile, DEMO.profile);
    assert.equal(files.credentialsFile[DEMO.profile]?.aws_access_key_id, DEMO.accessKeyId);
    const rolesPath = `${env.XROLE_CONFIG_DIR}/roles.ini`;
    const text = await Deno.readTextFile(rolesPath);
    assert.ok(text.startsWith("#"), "a comment line at the top");
    const roles = parseRolesFile(text, rolesPath);
    assert.deepEqual(roles.map((r) => r.label), ["dev", "prod"]);
    const prod = roles.find((r) => r.label === "prod");
    assert.equal(prod?.roleArn, DEMO.roles.prod.roleArn);
    assert.equal(prod?.mfaSerial, DEMO.mfaSerial);
    assert.equal(prod?.externalId, DEMO.roles.prod.externalId);
    assert.equal(prod?.sourceProfile, DEMO.profile);
    assert.equal((await Deno.stat(rolesPath)).mode! & 0o777, 0o600);
    await demo.close();
    closed = true;
    await assert.rejects(Deno.stat(demo.dir), Deno.errors.NotFound);
    await assert.rejects(fetch(demo.sim.url));
    await demo.close();
  } finally {
    if (!closed) await demo.close();
  }
});

Deno.test("The demo's keys and External IDs work end to end against its simulator", async () => {
  const demo = await startDemo({ latencyMs: 0 });
  try {
    const me = await stsClient(demo.sim).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws:iam::${DEMO.sourceAccountId}:user/${DEMO.userName}`);
    const out = await stsClient(demo.sim).send(
      new AssumeRoleCommand({
        RoleArn: DEMO.roles.dev.roleArn,
        RoleSessionName: "xrole-demo",
        ExternalId: DEMO.roles.dev.externalId,
      }),
    );
    const c = out.Credentials!;
    const list = await s3Client(demo.sim, {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    }).send(new ListBucketsCommand({}));
    assert.ok(list.Buckets?.some((b) => b.Name === DEMO.buckets.legacyEu));
  } finally {
    await demo.close();
  }
});
