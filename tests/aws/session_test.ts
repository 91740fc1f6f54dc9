import assert from "node:assert/strict";
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { assumeTarget, defaultSessionName, openSource } from "../../src/aws/session.ts";
import { s3For } from "../../src/aws/s3_client.ts";
import { UsageError } from "../../src/core/errors.ts";
import type { SavedRole } from "../../src/core/model.ts";
import { assumeRoleOk, callerIdentityOk, miniServer, xml } from "./_mini_server.ts";

async function tempAws(config: string, credentials: string) {
  const dir = await Deno.makeTempDir({ prefix: "xrole-session-" });
  await Deno.writeTextFile(`${dir}/config`, config);
  await Deno.writeTextFile(`${dir}/credentials`, credentials);
  return {
    dir,
    env: { AWS_CONFIG_FILE: `${dir}/config`, AWS_SHARED_CREDENTIALS_FILE: `${dir}/credentials` },
  };
}

const CREDS = "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = dev-secret\n" +
  "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = default-secret\n";

const ROLE: SavedRole = {
  label: "prod",
  roleArn: "arn:aws:iam::222222222222:role/Reader",
  externalId: "ext-prod-1",
  origin: "xrole",
};

Deno.test("a source takes its region and endpoint from the profile unless flags say otherwise", async () => {
  const aws = await tempAws(
    "[profile dev]\nregion = ap-south-1\nservices = local\n" +
      "[services local]\nsts =\n  endpoint_url = http://sts.local:1\ns3 =\n  endpoint_url = http://s3.local:2\n",
    CREDS,
  );
  try {
    const source = await openSource({ env: aws.env, profile: "dev" });
    assert.equal(source.profileName, "dev");
    assert.equal(source.region, "ap-south-1");
    assert.deepEqual(source.endpoints, { sts: "http://sts.local:1", s3: "http://s3.local:2" });
    const flagged = await openSource({
      env: { ...aws.env, AWS_REGION: "eu-north-1" },
      profile: "dev",
      endpointUrl: "http://flag:3",
      region: "us-west-1",
    });
    assert.equal(flagged.region, "us-west-1");
    assert.deepEqual(flagged.endpoints, { sts: "http://flag:3", s3: "http://flag:3" });
    const fromEnv = await openSource({
      env: { ...aws.env, AWS_REGION: "eu-north-1" },
      profile: "dev",
    });
    assert.equal(fromEnv.region, "eu-north-1");
  } finally {
    await Deno.remove(aws.dir, { recursive: true });
  }
});

Deno.test("without a profile, AWS_PROFILE wins, then environment keys, then the default profile", async () => {
  const aws = await tempAws("[profile dev]\nregion = eu-west-1\n", CREDS);
  try {
    assert.equal(
      (await openSource({ env: { ...aws.env, AWS_PROFILE: "dev" } })).profileName,
      "dev",
    );
    const envKeys = { ...aws.env, AWS_ACCESS_KEY_ID: "AKIAENV", AWS_SECRET_ACCESS_KEY: "x" };
    const fromEnv = await openSource({ env: envKeys });
    assert.equal(fromEnv.profileName, "(environment)");
    assert.equal((await fromEnv.credentials()).accessKeyId, "AKIAENV");
    const fallback = await openSource({ env: aws.env });
    assert.equal(fallback.profileName, "default");
    assert.equal((await fallback.credentials()).accessKeyId, "AKIADEFAULT");
  } finally {
    await Deno.remove(aws.dir, { recursive: true });
  }
});

Deno.test("opening an unknown profile is a usage error before any request", async () => {
  const aws = await tempAws("", CREDS);
  try {
    await assert.rejects(openSource({ env: aws.env, profile: "ghost" }), {
      name: "UsageError",
      message: 'Unknown profile "ghost"',
    });
  } finally {
    await Deno.remove(aws.dir, { recursive: true });
  }
});

Deno.test("assuming a target derives the session name from the caller and sends the External ID", async () => {
  const server = await miniServer((req) => {
    const action = new URLSearchParams(req.body).get("Action");
    return action === "GetCallerIdentity"
      ? callerIdentityOk("arn:aws:iam::111111111111:user/dev.ops")
      : assumeRoleOk({ id: "ASIAT", secret: "t-secret", token: "t-token" });
  });
  const aws = await tempAws("[profile dev]\nregion = eu-west-1\n", CREDS);
  try {
    const source = await openSource({ env: aws.env, profile: "dev", endpointUrl: server.url });
    const session = await assumeTarget(source, ROLE);
    assert.equal(session.sessionName, "xrole-dev.ops");
    assert.equal(session.region, "eu-west-1");
    const form = new URLSearchParams(server.requests.at(-1)!.body);
    assert.equal(form.get("RoleSessionName"), "xrole-dev.ops");
    assert.equal(form.get("ExternalId"), "ext-prod-1");
    // whoami is remembered: a second assume calls GetCallerIdentity no more.
    await assumeTarget(source, { ...ROLE, region: "sa-east-1" });
    assert.equal(server.requests.length, 3);
  } finally {
    await server.close();
    await Deno.remove(aws.dir, { recursive: true });
  }
});

Deno.test("a role that needs MFA without a code is a usage error and sends nothing", async () => {
  const aws = await tempAws("[profile dev]\n", CREDS);
  try {
    const source = await openSource({ env: aws.env, profile: "dev", endpointUrl: "http://x:1" });
    await assert.rejects(
      assumeTarget(source, { ...ROLE, mfaSerial: "arn:aws:iam::111111111111:mfa/dev" }),
      UsageError,
    );
  } finally {
    await Deno.remove(aws.dir, { recursive: true });
  }
});

Deno.test("the S3 client of a session signs with the assumed credentials", async () => {
  const server = await miniServer(() =>
    xml("<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>")
  );
  try {
    const s3 = s3For(
      {
        credentials: {
          accessKeyId: "ASIAASSUMED",
          secretAccessKey: "s",
          sessionToken: "assumed-token",
          expiration: new Date(Date.now() + 3600_000),
        },
        assumedRoleArn: "arn:aws:sts::222222222222:assumed-role/Reader/s",
        assumedRoleId: "AROA:s",
        accountId: "222222222222",
        roleArn: ROLE.roleArn,
        sessionName: "s",
        region: "eu-west-1",
      },
      "eu-west-1",
      { env: {}, endpointUrl: server.url },
    );
    await s3.send(new ListBucketsCommand({}));
    const sent = server.requests[0]!;
    assert.match(sent.headers.get("authorization") ?? "", /Credential=ASIAASSUMED\//);
    assert.equal(sent.headers.get("x-amz-security-token"), "assumed-token");
  } finally {
    await server.close();
  }
});

Deno.test("default session names are valid even for odd caller names", () => {
  assert.equal(defaultSessionName("arn:aws:iam::111111111111:user/dev"), "xrole-dev");
  assert.equal(
    defaultSessionName("arn:aws:sts::111111111111:assumed-role/Admin/jane@corp.com"),
    "xrole-jane@corp.com",
  );
  assert.equal(defaultSessionName("arn:aws:iam::111111111111:root"), "xrole-root");
  assert.match(defaultSessionName(`arn:aws:iam::1:user/${"x".repeat(100)}`), /^[\w+=,.@-]{2,64}$/);
});
