/**
 * Proof that the simulator speaks AWS: Debian's real AWS CLI v2 (2.9.19) runs against it.
 * This CLI ignores AWS_ENDPOINT_URL*, so every call passes --endpoint-url; its role profiles reach
 * the simulator through AWS_DATA_PATH (see _bed.ts).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { AWS_CLI, type Bed, canRun, interopTest, run, startBed } from "./_bed.ts";

const available = await canRun(AWS_CLI, ["--version"]);

function bucketsOf(accountId: string): string[] {
  const account = demoWorld().accounts.find((a) => a.id === accountId);
  assert.ok(account, `demo account ${accountId}`);
  return account.buckets.map((b) => b.name).sort();
}

/** The arguments of `aws --profile demo sts assume-role` for a role, session name and External ID. */
function assumeRoleArgs(roleArn: string, sessionName: string, externalId: string): string[] {
  return [
    "--profile",
    "demo",
    "sts",
    "assume-role",
    "--role-arn",
    roleArn,
    "--role-session-name",
    sessionName,
    "--external-id",
    externalId,
  ];
}

async function aws(bed: Bed, args: string[], env: Record<string, string> = {}) {
  return await run(
    AWS_CLI,
    ["--endpoint-url", bed.url, "--output", "json", ...args],
    { ...bed.env, ...env },
  );
}

async function awsJson(bed: Bed, args: string[], env: Record<string, string> = {}) {
  const r = await aws(bed, args, env);
  assert.equal(r.code, 0, `aws ${args.join(" ")} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

interopTest("the AWS CLI works against the simulator", available, "/usr/bin/aws", async (t) => {
  const bed = await startBed();
  try {
    const { dev, test, prod } = DEMO.roles;
    let devEnv: Record<string, string> = {};

    await t.step("get-caller-identity names the demo user", async () => {
      const id = await awsJson(bed, ["--profile", "demo", "sts", "get-caller-identity"]);
      assert.equal(id.Account, DEMO.sourceAccountId);
      assert.equal(id.Arn, `arn:aws:iam::${DEMO.sourceAccountId}:user/${DEMO.userName}`);
      assert.match(id.UserId, /^AIDA[A-Z0-9]+$/);
    });

    await t.step(
      "assume-role with the External ID returns working temporary credentials",
      async () => {
        const out = await awsJson(bed, assumeRoleArgs(dev.roleArn, "interop-cli", dev.externalId));
        assert.match(out.Credentials.AccessKeyId, /^ASIA[A-Z0-9]{16}$/);
        assert.ok(out.Credentials.SessionToken.length > 100);
        assert.equal(
          out.AssumedRoleUser.Arn,
          `arn:aws:sts::${dev.accountId}:assumed-role/${dev.roleName}/interop-cli`,
        );
        assert.match(out.AssumedRoleUser.AssumedRoleId, /^AROA[A-Z0-9]+:interop-cli$/);
        const expires = new Date(out.Credentials.Expiration).getTime();
        assert.ok(Math.abs(expires - Date.now() - 3600_000) < 120_000, "default one hour");
        devEnv = {
          AWS_ACCESS_KEY_ID: out.Credentials.AccessKeyId,
          AWS_SECRET_ACCESS_KEY: out.Credentials.SecretAccessKey,
          AWS_SESSION_TOKEN: out.Credentials.SessionToken,
        };
        const id = await awsJson(bed, ["sts", "get-caller-identity"], devEnv);
        assert.equal(id.Account, dev.accountId);
      },
    );

    await t.step(
      "list-buckets with the temporary credentials lists the role's account",
      async () => {
        const out = await awsJson(bed, ["s3api", "list-buckets"], devEnv);
        const names = out.Buckets.map((b: { Name: string }) => b.Name);
        assert.deepEqual(names, bucketsOf(dev.accountId));
        assert.equal(out.Owner.DisplayName, "dev");
        for (const b of out.Buckets) assert.ok(!Number.isNaN(Date.parse(b.CreationDate)));
      },
    );

    await t.step("list-buckets with the source profile lists the source account", async () => {
      const out = await awsJson(bed, ["--profile", "demo", "s3api", "list-buckets"]);
      assert.deepEqual(
        out.Buckets.map((b: { Name: string }) => b.Name),
        bucketsOf(DEMO.sourceAccountId),
      );
    });

    await t.step("get-bucket-location shows each quirk: null, EU, a region name", async () => {
      const loc = async (bucket: string) =>
        (await awsJson(bed, ["s3api", "get-bucket-location", "--bucket", bucket], devEnv))
          .LocationConstraint;
      assert.equal(await loc(DEMO.buckets.usEast1), null);
      assert.equal(await loc(DEMO.buckets.legacyEu), "EU");
      assert.equal(await loc(DEMO.buckets.named.name), DEMO.buckets.named.region);
      assert.equal(await loc(DEMO.buckets.dotted), "us-west-2");
    });

    await t.step("a role profile (role_arn + source_profile + external_id) works", async () => {
      const id = await awsJson(bed, ["--profile", "demo-test", "sts", "get-caller-identity"]);
      assert.equal(id.Account, test.accountId);
      assert.match(id.Arn, new RegExp(`:assumed-role/${test.roleName}/`));
      const out = await awsJson(bed, ["--profile", "demo-test", "s3api", "list-buckets"]);
      assert.deepEqual(
        out.Buckets.map((b: { Name: string }) => b.Name),
        bucketsOf(test.accountId),
      );
      const cache = [...Deno.readDirSync(join(bed.env.HOME!, ".aws", "cli", "cache"))];
      assert.ok(cache.length >= 1, "the CLI cached the role credentials in the temporary HOME");
    });

    await t.step(
      "MFA role: assume-role with the device and code works, without it is denied",
      async () => {
        const base = assumeRoleArgs(prod.roleArn, "interop-mfa", prod.externalId);
        const ok = await awsJson(bed, [
          ...base,
          "--serial-number",
          DEMO.mfaSerial,
          "--token-code",
          DEMO.mfaCode,
        ]);
        assert.equal(
          ok.AssumedRoleUser.Arn,
          `arn:aws:sts::${prod.accountId}:assumed-role/${prod.roleName}/interop-mfa`,
        );
        const denied = await aws(bed, base);
        assert.notEqual(denied.code, 0);
        assert.match(denied.stderr, /AccessDenied/);
      },
    );

    await t.step("a wrong External ID is AccessDenied with AWS's message", async () => {
      const r = await aws(bed, assumeRoleArgs(dev.roleArn, "interop-cli", "not-the-external-id"));
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /\(AccessDenied\)/);
      assert.ok(
        r.stderr.includes(
          `User: arn:aws:iam::${DEMO.sourceAccountId}:user/dev is not authorized to perform: sts:AssumeRole on resource: ${dev.roleArn}`,
        ),
        r.stderr,
      );
      const viaProfile = await aws(bed, ["--profile", "demo-badext", "sts", "get-caller-identity"]);
      assert.notEqual(viaProfile.code, 0);
      assert.match(viaProfile.stderr, /AccessDenied/);
    });

    await t.step("a wrong secret key is SignatureDoesNotMatch", async () => {
      const r = await aws(bed, ["--profile", "wrong-secret", "sts", "get-caller-identity"]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /\(SignatureDoesNotMatch\)/);
      const s3 = await aws(bed, ["--profile", "wrong-secret", "s3api", "list-buckets"]);
      assert.notEqual(s3.code, 0);
      assert.match(s3.stderr, /\(SignatureDoesNotMatch\)/);
    });

    await t.step(
      "a session name with a bad character is a ValidationError from the server",
      async () => {
        const r = await aws(bed, assumeRoleArgs(dev.roleArn, "bad name!", dev.externalId));
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /\(ValidationError\)/);
        assert.match(
          r.stderr,
          /Value 'bad name!' at 'roleSessionName' failed to satisfy constraint/,
        );
      },
    );
  } finally {
    await bed.close();
  }
});
