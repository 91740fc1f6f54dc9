import assert from "node:assert/strict";
import { makeStsClient } from "../../src/aws/clients.ts";
import { assumeRole, getCallerIdentity } from "../../src/aws/sts.ts";
import { NetworkError } from "../../src/aws/errors.ts";
import { AwsError, ExitCode } from "../../src/core/errors.ts";
import { assumeRoleOk, callerIdentityOk, miniServer, stsError } from "./_mini_server.ts";

const SOURCE = { accessKeyId: "AKIASOURCEKEY0000001", secretAccessKey: "source-secret-xyz" };
const ISSUED = {
  id: "ASIAISSUED000000001",
  secret: "issued-secret-abc",
  token: "issued-token-def",
};

Deno.test("assuming a role returns the temporary credentials, account and region", async () => {
  const server = await miniServer(() => assumeRoleOk(ISSUED));
  try {
    const sts = makeStsClient({ region: "eu-west-1", credentials: SOURCE, endpoint: server.url });
    const session = await assumeRole(sts, {
      roleArn: "arn:aws:iam::222222222222:role/Reader",
      sessionName: "xrole-dev",
      externalId: "ext-12345",
      durationSeconds: 1800,
      mfaSerial: "arn:aws:iam::111111111111:mfa/dev",
      mfaCode: "123456",
    }, "eu-west-1");
    assert.equal(session.credentials.secretAccessKey, ISSUED.secret);
    assert.equal(session.credentials.sessionToken, ISSUED.token);
    assert.equal(session.accountId, "222222222222");
    assert.equal(session.region, "eu-west-1");
    assert.equal(session.credentials.expiration.toISOString(), "2099-01-01T00:00:00.000Z");
    const form = new URLSearchParams(server.requests[0]?.body);
    assert.equal(form.get("Action"), "AssumeRole");
    assert.equal(form.get("ExternalId"), "ext-12345");
    assert.equal(form.get("DurationSeconds"), "1800");
    assert.equal(form.get("SerialNumber"), "arn:aws:iam::111111111111:mfa/dev");
    assert.equal(form.get("TokenCode"), "123456");
  } finally {
    await server.close();
  }
});

Deno.test("a refused AssumeRole is an AwsError with exit code 3 and the request id", async () => {
  const server = await miniServer(() =>
    stsError("AccessDenied", "User is not authorized to perform: sts:AssumeRole")
  );
  try {
    const sts = makeStsClient({ region: "us-east-1", credentials: SOURCE, endpoint: server.url });
    const err = await assumeRole(sts, {
      roleArn: "arn:aws:iam::222222222222:role/Reader",
      sessionName: "s1",
      externalId: "wrong",
    }, "us-east-1").catch((e) => e);
    assert.ok(err instanceof AwsError);
    assert.equal(err.code, "AccessDenied");
    assert.equal(err.exitCode, ExitCode.accessDenied);
    assert.equal(err.requestId, "req-mini-1");
    assert.match(err.message, /^AssumeRole failed: AccessDenied: User is not authorized/);
    assert.ok(!err.message.includes("\n"));
  } finally {
    await server.close();
  }
});

Deno.test("a validation error from STS exits 1, not as access denied", async () => {
  const server = await miniServer(() => stsError("ValidationError", "bad session name", 400));
  try {
    const sts = makeStsClient({ region: "us-east-1", credentials: SOURCE, endpoint: server.url });
    const err = await assumeRole(sts, {
      roleArn: "arn:aws:iam::222222222222:role/Reader",
      sessionName: "bad name!",
    }, "us-east-1").catch((e) => e);
    assert.ok(err instanceof AwsError);
    assert.equal(err.code, "ValidationError");
    assert.equal(err.exitCode, ExitCode.failure);
  } finally {
    await server.close();
  }
});

Deno.test("the caller identity names the account and ARN", async () => {
  const server = await miniServer(() => callerIdentityOk("arn:aws:iam::111111111111:user/dev"));
  try {
    const sts = makeStsClient({ region: "us-east-1", credentials: SOURCE, endpoint: server.url });
    const who = await getCallerIdentity(sts);
    assert.deepEqual(who, {
      account: "111111111111",
      arn: "arn:aws:iam::111111111111:user/dev",
      userId: "AIDAEXAMPLE",
    });
  } finally {
    await server.close();
  }
});

Deno.test("an endpoint that refuses connections is a one-line error naming it, exit 1", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const endpoint = `http://127.0.0.1:${port}`;
  const sts = makeStsClient({ region: "us-east-1", credentials: SOURCE, endpoint });
  const err = await getCallerIdentity(sts).catch((e) => e);
  assert.ok(err instanceof NetworkError, String(err));
  assert.equal(err.exitCode, ExitCode.failure);
  assert.equal(
    err.message,
    `GetCallerIdentity failed: cannot reach "${endpoint}": connection refused`,
  );
});
