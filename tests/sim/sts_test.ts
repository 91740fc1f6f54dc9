/**
 * The simulator's STS, driven by the real AWS SDK (@aws-sdk/client-sts): every operation and every
 * rule AssumeRole enforces, with AWS's own error codes and messages.
 */
import assert from "node:assert/strict";
import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
} from "@aws-sdk/client-sts";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import type { World } from "../../src/sim/world.ts";
import {
  assumeDemoRole,
  DEMO_CREDENTIALS,
  signedFetch,
  stsClient,
  type TestCredentials,
  withSimulator,
} from "../_helpers/sim.ts";

const { dev, test, prod } = DEMO.roles;
const USER_ARN = `arn:aws:iam::${DEMO.sourceAccountId}:user/${DEMO.userName}`;

interface SdkError {
  name: string;
  message: string;
  status: number | undefined;
  requestId: string | undefined;
}

/** Run an SDK call that must fail; return what the SDK made of the error. */
async function failure(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number; requestId?: string } };
    return {
      name: e.name,
      message: e.message,
      status: e.$metadata?.httpStatusCode,
      requestId: e.$metadata?.requestId,
    };
  }
  throw new Error("the call succeeded but was expected to fail");
}

function assume(
  sim: Parameters<typeof stsClient>[0],
  input: Partial<AssumeRoleCommandInput>,
  credentials: TestCredentials = DEMO_CREDENTIALS,
) {
  return stsClient(sim, credentials).send(
    new AssumeRoleCommand({
      RoleArn: dev.roleArn,
      RoleSessionName: "sts-test",
      ExternalId: dev.externalId,
      ...input,
    }),
  );
}

function denied(caller: string, roleArn: string): string {
  return `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
}

/** The demo world plus a role in the test account that dev's assumed role may chain into. */
function chainingWorld(): World {
  const world = demoWorld();
  const testAccount = world.accounts.find((a) => a.id === test.accountId);
  assert.ok(testAccount);
  testAccount.roles.push({
    name: "ChainTarget",
    path: "/",
    trustedAccounts: [dev.accountId],
    maxSessionDuration: 43200,
  });
  return world;
}
const CHAIN_ARN = `arn:aws:iam::${test.accountId}:role/ChainTarget`;

Deno.test("GetCallerIdentity names the user of a long-term key", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const id = await stsClient(sim).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Account, DEMO.sourceAccountId);
    assert.equal(id.Arn, USER_ARN);
    assert.match(id.UserId ?? "", /^AIDA[A-Z2-7]{17}$/);
    assert.ok(id.$metadata.requestId, "a request id comes back");
  });
});

Deno.test("AssumeRole with the External ID returns ASIA credentials for the role's account", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const before = Date.now();
    const out = await assume(sim, { RoleSessionName: "alice@example.com" });
    const c = out.Credentials!;
    assert.match(c.AccessKeyId!, /^ASIA[A-Z0-9]{16}$/);
    assert.equal(c.SecretAccessKey!.length, 40);
    assert.ok(c.SessionToken!.length > 100);
    const lifetime = c.Expiration!.getTime() - before;
    assert.ok(lifetime > 3590_000 && lifetime <= 3601_000, `one hour by default, got ${lifetime}`);
    assert.equal(
      out.AssumedRoleUser?.Arn,
      `arn:aws:sts::${dev.accountId}:assumed-role/${dev.roleName}/alice@example.com`,
    );
    assert.match(out.AssumedRoleUser?.AssumedRoleId ?? "", /^AROA[A-Z2-7]{17}:alice@example\.com$/);

    const creds = {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    };
    const id = await stsClient(sim, creds).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Account, dev.accountId);
    assert.equal(id.Arn, out.AssumedRoleUser?.Arn);
    assert.equal(id.UserId, out.AssumedRoleUser?.AssumedRoleId);
  });
});

Deno.test("AssumeRole honours DurationSeconds up to the role's maximum", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const before = Date.now();
    const out = await assume(sim, { DurationSeconds: 43200 });
    const lifetime = out.Credentials!.Expiration!.getTime() - before;
    assert.ok(Math.abs(lifetime - 43200_000) < 5_000, `12 hours, got ${lifetime}`);

    const tooLong = await failure(
      assume(sim, { RoleArn: test.roleArn, ExternalId: test.externalId, DurationSeconds: 3601 }),
    );
    assert.equal(tooLong.name, "ValidationError");
    assert.equal(
      tooLong.message,
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
    const tooShort = await failure(assume(sim, { DurationSeconds: 899 }));
    assert.equal(tooShort.name, "ValidationError");
    assert.equal(
      tooShort.message,
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
  });
});

Deno.test("a role under a path has the path in its ARN but not in the assumed-role ARN", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const creds = await assumeDemoRole(sim, "prod", { sessionName: "ops-check" });
    const id = await stsClient(sim, creds).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, `arn:aws:sts::${prod.accountId}:assumed-role/ProdReadOnly/ops-check`);
    const noPath = await failure(
      assume(sim, {
        RoleArn: `arn:aws:iam::${prod.accountId}:role/ProdReadOnly`,
        ExternalId: prod.externalId,
        SerialNumber: DEMO.mfaSerial,
        TokenCode: DEMO.mfaCode,
      }),
    );
    assert.equal(noPath.name, "AccessDenied");
  });
});

Deno.test("a wrong or missing External ID is AccessDenied with AWS's message", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    for (const input of [{ ExternalId: "xrole-demo-wrong" }, { ExternalId: undefined }]) {
      const err = await failure(assume(sim, input));
      assert.equal(err.name, "AccessDenied");
      assert.equal(err.status, 403);
      assert.equal(err.message, denied(USER_ARN, dev.roleArn));
      assert.ok(err.requestId);
    }
  });
});

Deno.test("a role that does not exist is AccessDenied, not a hint that it is missing", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const arn = `arn:aws:iam::${dev.accountId}:role/NoSuchRole`;
    const err = await failure(assume(sim, { RoleArn: arn }));
    assert.equal(err.name, "AccessDenied");
    assert.equal(err.message, denied(USER_ARN, arn));
  });
});

Deno.test("a role whose trust policy does not name the caller's account is AccessDenied", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const devCreds = await assumeDemoRole(sim, "dev", { sessionName: "hop" });
    const err = await failure(
      assume(sim, { RoleArn: test.roleArn, ExternalId: test.externalId }, devCreds),
    );
    assert.equal(err.name, "AccessDenied");
    assert.equal(
      err.message,
      denied(`arn:aws:sts::${dev.accountId}:assumed-role/${dev.roleName}/hop`, test.roleArn),
    );
  });
});

Deno.test("an MFA role needs the user's device and code", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const base = { RoleArn: prod.roleArn, ExternalId: prod.externalId };
    const none = await failure(assume(sim, base));
    assert.equal(none.name, "AccessDenied");
    assert.equal(none.message, denied(USER_ARN, prod.roleArn));

    const wrongCode = await failure(
      assume(sim, { ...base, SerialNumber: DEMO.mfaSerial, TokenCode: "654321" }),
    );
    assert.equal(wrongCode.name, "AccessDenied");
    assert.equal(
      wrongCode.message,
      "MultiFactorAuthentication failed with invalid MFA one time pass code.",
    );

    const wrongDevice = await failure(
      assume(sim, {
        ...base,
        SerialNumber: `arn:aws:iam::${DEMO.sourceAccountId}:mfa/someone-else`,
        TokenCode: DEMO.mfaCode,
      }),
    );
    assert.equal(wrongDevice.name, "AccessDenied");

    const badFormat = await failure(
      assume(sim, { ...base, SerialNumber: DEMO.mfaSerial, TokenCode: "12ab56" }),
    );
    assert.equal(badFormat.name, "ValidationError");

    const ok = await assume(sim, {
      ...base,
      SerialNumber: DEMO.mfaSerial,
      TokenCode: DEMO.mfaCode,
    });
    assert.match(ok.Credentials?.AccessKeyId ?? "", /^ASIA/);
  });
});

Deno.test("an MFA session from GetSessionToken assumes MFA roles without another code", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const before = Date.now();
    const out = await stsClient(sim).send(
      new GetSessionTokenCommand({ SerialNumber: DEMO.mfaSerial, TokenCode: DEMO.mfaCode }),
    );
    const c = out.Credentials!;
    assert.match(c.AccessKeyId!, /^ASIA/);
    const lifetime = c.Expiration!.getTime() - before;
    assert.ok(Math.abs(lifetime - 43200_000) < 5_000, `12 hours by default, got ${lifetime}`);
    const session = {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    };
    const id = await stsClient(sim, session).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, USER_ARN, "a session is still the user");

    for (const role of [prod, test]) {
      const assumed = await assume(
        sim,
        { RoleArn: role.roleArn, ExternalId: role.externalId, DurationSeconds: 3600 },
        session,
      );
      assert.equal(
        assumed.AssumedRoleUser?.Arn,
        `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/sts-test`,
      );
    }
    const again = await failure(
      stsClient(sim, session).send(new GetSessionTokenCommand({})),
    );
    assert.equal(again.name, "AccessDenied");
    assert.equal(again.message, "Cannot call GetSessionToken with session credentials");
  });
});

Deno.test("a session without MFA does not open MFA roles, and a wrong code gets no session", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const out = await stsClient(sim).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const c = out.Credentials!;
    const session = {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    };
    const err = await failure(
      assume(sim, { RoleArn: prod.roleArn, ExternalId: prod.externalId }, session),
    );
    assert.equal(err.name, "AccessDenied");
    const ok = await assume(sim, {}, session);
    assert.equal(ok.AssumedRoleUser?.Arn?.split(":")[4], dev.accountId);

    const wrong = await failure(
      stsClient(sim).send(
        new GetSessionTokenCommand({ SerialNumber: DEMO.mfaSerial, TokenCode: "000000" }),
      ),
    );
    assert.equal(wrong.name, "AccessDenied");
  });
});

Deno.test("session names must be 2-64 characters of [\\w+=,.@-]", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const cases: [string, string][] = [
      ["bad name!", "Member must satisfy regular expression pattern: [\\w+=,.@-]*"],
      ["a", "Member must have length greater than or equal to 2"],
      ["x".repeat(65), "Member must have length less than or equal to 64"],
    ];
    for (const [name, constraint] of cases) {
      const err = await failure(assume(sim, { RoleSessionName: name }));
      assert.equal(err.name, "ValidationError");
      assert.equal(err.status, 400);
      assert.equal(
        err.message,
        `1 validation error detected: Value '${name}' at 'roleSessionName' failed to satisfy constraint: ${constraint}`,
      );
    }
    const ok = await assume(sim, { RoleSessionName: "a+b=c,d.e@f-g_" + "x".repeat(50) });
    assert.ok(ok.Credentials);
  });
});

Deno.test("role chaining caps the session at one hour and names the chained caller", async () => {
  await withSimulator({ world: chainingWorld() }, async (sim) => {
    const devCreds = await assumeDemoRole(sim, "dev", { sessionName: "first-hop" });
    const err = await failure(
      assume(sim, { RoleArn: CHAIN_ARN, ExternalId: undefined, DurationSeconds: 7200 }, devCreds),
    );
    assert.equal(err.name, "ValidationError");
    assert.equal(
      err.message,
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    );
    const chained = await assume(
      sim,
      { RoleArn: CHAIN_ARN, ExternalId: undefined, RoleSessionName: "second-hop" },
      devCreds,
    );
    assert.equal(
      chained.AssumedRoleUser?.Arn,
      `arn:aws:sts::${test.accountId}:assumed-role/ChainTarget/second-hop`,
    );
    // The long-term user is not trusted by the chain target: the trust is the dev account's.
    const direct = await failure(assume(sim, { RoleArn: CHAIN_ARN, ExternalId: undefined }));
    assert.equal(direct.name, "AccessDenied");
  });
});

Deno.test("issued credentials stop working after the credential TTL knob with ExpiredToken", async () => {
  await withSimulator({ world: demoWorld(), credentialTtlSeconds: 1 }, async (sim) => {
    const creds = await assumeDemoRole(sim, "dev");
    assert.ok(
      creds.expiration.getTime() - Date.now() > 3000_000,
      "the reported Expiration still says one hour",
    );
    const id = await stsClient(sim, creds).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Account, dev.accountId);
    await new Promise((r) => setTimeout(r, 1100));
    const err = await failure(stsClient(sim, creds).send(new GetCallerIdentityCommand({})));
    assert.equal(err.name, "ExpiredToken");
    assert.equal(err.message, "The security token included in the request is expired");
  });
});

Deno.test("credentials expire on the simulator's clock", async () => {
  let now = Date.now();
  await withSimulator({ world: demoWorld(), now: () => new Date(now) }, async (sim) => {
    const creds = await assumeDemoRole(sim, "test");
    await stsClient(sim, creds).send(new GetCallerIdentityCommand({}));
    now += 3601_000;
    const err = await failure(stsClient(sim, creds).send(new GetCallerIdentityCommand({})));
    assert.equal(err.name, "ExpiredToken");
  });
});

Deno.test("temporary credentials without their session token are InvalidClientTokenId", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const creds = await assumeDemoRole(sim, "dev");
    const err = await failure(
      stsClient(sim, { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey })
        .send(new GetCallerIdentityCommand({})),
    );
    assert.equal(err.name, "InvalidClientTokenId");
  });
});

Deno.test("an unknown key is InvalidClientTokenId and a wrong secret SignatureDoesNotMatch", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const unknown = await failure(
      stsClient(sim, { accessKeyId: "AKIANOTINTHEWORLD000", secretAccessKey: "x".repeat(40) })
        .send(new GetCallerIdentityCommand({})),
    );
    assert.equal(unknown.name, "InvalidClientTokenId");
    assert.equal(unknown.message, "The security token included in the request is invalid.");
    assert.equal(unknown.status, 403);
    const wrong = await failure(
      stsClient(sim, { accessKeyId: DEMO.accessKeyId, secretAccessKey: "y".repeat(40) })
        .send(new GetCallerIdentityCommand({})),
    );
    assert.equal(wrong.name, "SignatureDoesNotMatch");
    assert.match(wrong.message, /^The request signature we calculated does not match/);
  });
});

Deno.test("STS errors are awsQuery ErrorResponse XML with a request id header", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const r = await signedFetch(sim, DEMO_CREDENTIALS, {
      method: "POST",
      path: "/",
      service: "sts",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body: `Action=AssumeRole&Version=2011-06-15&RoleArn=${
        encodeURIComponent(dev.roleArn)
      }&RoleSessionName=raw`,
    });
    assert.equal(r.status, 403);
    const requestId = r.headers.get("x-amzn-requestid");
    assert.ok(requestId);
    assert.match(r.headers.get("content-type") ?? "", /xml/);
    assert.match(
      r.body,
      /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<Error>\s*<Type>Sender<\/Type>\s*<Code>AccessDenied<\/Code>\s*<Message>User: /,
    );
    assert.ok(r.body.includes(`<RequestId>${requestId}</RequestId>`));

    const unknown = await signedFetch(sim, DEMO_CREDENTIALS, {
      method: "POST",
      path: "/",
      service: "sts",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body: "Action=DecodeAuthorizationMessage&Version=2011-06-15",
    });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body, /<Code>InvalidAction<\/Code>/);
  });
});

Deno.test("STS accepts requests signed for any region, as boto3 signs us-east-1", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    for (const region of ["us-east-1", "eu-central-1", "ap-northeast-3"]) {
      const id = await stsClient(sim, DEMO_CREDENTIALS, { region })
        .send(new GetCallerIdentityCommand({}));
      assert.equal(id.Account, DEMO.sourceAccountId);
    }
    assert.equal(sim.stats.requests["GetCallerIdentity"], 3);
  });
});
