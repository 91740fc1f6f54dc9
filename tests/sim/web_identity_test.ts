/**
 * The simulator's AssumeRoleWithWebIdentity, driven by the real SDK (which sends it unsigned):
 * the role's OIDC trust, each refusal with AWS's code and status, and that it is the only STS
 * action served without a signature.
 */
import assert from "node:assert/strict";
import {
  AssumeRoleWithWebIdentityCommand,
  type AssumeRoleWithWebIdentityCommandInput,
  GetCallerIdentityCommand,
  STSClient,
} from "@aws-sdk/client-sts";
import { FetchHttpHandler } from "@smithy/fetch-http-handler";
import { DEMO } from "../../src/sim/demo_world.ts";
import type { Simulator } from "../../src/sim/server.ts";
import { mintWebIdentityToken, parseWebIdentityToken } from "../../src/sim/web_identity.ts";
import { stsClient, withSimulator } from "../_helpers/sim.ts";
import { CI, ciToken, webIdentityWorld } from "../_helpers/web_identity.ts";

/** An STS client with no credentials at all: only an unsigned call can succeed. */
function anonymousSts(sim: Simulator): STSClient {
  return new STSClient({
    region: "eu-west-1",
    endpoint: sim.url,
    requestHandler: new FetchHttpHandler(),
    maxAttempts: 1,
  });
}

function assumeWeb(sim: Simulator, input: Partial<AssumeRoleWithWebIdentityCommandInput>) {
  return anonymousSts(sim).send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: CI.roleArn,
      RoleSessionName: "ci",
      WebIdentityToken: ciToken(),
      ...input,
    }),
  );
}

interface Refusal {
  name: string;
  code: string | undefined;
  message: string;
  status: number | undefined;
}

async function refusal(call: Promise<unknown>): Promise<Refusal> {
  try {
    await call;
  } catch (err) {
    const e = err as Error & { Code?: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, code: e.Code, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("the call succeeded but was expected to fail");
}

const DENIED = "Not authorized to perform sts:AssumeRoleWithWebIdentity";

Deno.test("AssumeRoleWithWebIdentity, unsigned, returns the role's credentials and the token's subject", async () => {
  await withSimulator({ world: webIdentityWorld() }, async (sim) => {
    const before = Date.now();
    const out = await assumeWeb(sim, { DurationSeconds: 900 });
    const c = out.Credentials!;
    assert.match(c.AccessKeyId!, /^ASIA[A-Z0-9]{16}$/);
    const lifetime = c.Expiration!.getTime() - before;
    assert.ok(lifetime > 890_000 && lifetime <= 901_000, `DurationSeconds honoured: ${lifetime}`);
    assert.equal(out.SubjectFromWebIdentityToken, CI.subject);
    assert.equal(
      out.AssumedRoleUser?.Arn,
      `arn:aws:sts::${DEMO.sourceAccountId}:assumed-role/${CI.roleName}/ci`,
    );
    assert.match(out.AssumedRoleUser?.AssumedRoleId ?? "", /^AROA[A-Z2-7]{17}:ci$/);
    assert.equal(
      out.Provider,
      `arn:aws:iam::${DEMO.sourceAccountId}:oidc-provider/token.actions.githubusercontent.com`,
    );
    assert.equal(out.Audience, "sts.amazonaws.com");
    assert.equal(sim.stats.requests.AssumeRoleWithWebIdentity, 1);

    const id = await stsClient(sim, {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    }).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, out.AssumedRoleUser?.Arn);
  });
});

Deno.test("AssumeRoleWithWebIdentity refuses each bad token or trust with AWS's code and status", async () => {
  await withSimulator({ world: webIdentityWorld() }, async (sim) => {
    const past = Math.floor(Date.now() / 1000) - 60;
    const cases: [string, Partial<AssumeRoleWithWebIdentityCommandInput>, string, number][] = [
      ["malformed", { WebIdentityToken: "not-a-jwt" }, "InvalidIdentityToken", 400],
      [
        "payload not JSON",
        { WebIdentityToken: "eyJhbGciOiJub25lIn0.bm90IGpzb24.sig" },
        "InvalidIdentityToken",
        400,
      ],
      [
        "no exp claim",
        {
          WebIdentityToken: `e30.${btoa(JSON.stringify({ iss: CI.issuer, sub: CI.subject }))}.x`,
        },
        "InvalidIdentityToken",
        400,
      ],
      ["expired", { WebIdentityToken: ciToken({ exp: past }) }, "ExpiredTokenException", 400],
      [
        "untrusted issuer",
        { WebIdentityToken: ciToken({ iss: "https://gitlab.example.com" }) },
        "AccessDenied",
        403,
      ],
      [
        "untrusted subject",
        { WebIdentityToken: ciToken({ sub: "repo:evil/infra:ref:refs/heads/main" }) },
        "AccessDenied",
        403,
      ],
      ["role without OIDC trust", { RoleArn: CI.plainRoleArn }, "AccessDenied", 403],
      [
        "unknown role",
        { RoleArn: `arn:aws:iam::${DEMO.sourceAccountId}:role/Nope` },
        "AccessDenied",
        403,
      ],
      ["duration over the role's maximum", { DurationSeconds: 7200 }, "ValidationError", 400],
      ["bad session name", { RoleSessionName: "has space" }, "ValidationError", 400],
    ];
    for (const [label, input, code, status] of cases) {
      const r = await refusal(assumeWeb(sim, input));
      assert.equal(r.code ?? r.name, code, `${label}: ${r.name} ${r.message}`);
      assert.equal(r.status, status, label);
      if (code === "AccessDenied") assert.equal(r.message, DENIED, label);
      const token = input.WebIdentityToken;
      if (token) assert.ok(!r.message.includes(token), `${label}: the token is not echoed`);
    }
    assert.equal(sim.stats.requests.AssumeRoleWithWebIdentity, cases.length);
    assert.equal(sim.stats.errors.AccessDenied, 4);
    assert.equal(sim.stats.errors.ExpiredTokenException, 1);
    assert.equal(sim.stats.errors.InvalidIdentityToken, 3);
  });
});

Deno.test("a token's claims are read from its base64url JSON payload; other shapes are malformed", () => {
  const claims = parseWebIdentityToken(ciToken({ sub: "repo:acme/infra:pull_request" }));
  assert.ok(claims);
  assert.equal(claims.sub, "repo:acme/infra:pull_request");
  assert.equal(claims.iss, CI.issuer);
  assert.equal(parseWebIdentityToken("a.b"), undefined);
  assert.equal(parseWebIdentityToken("a.!!.c"), undefined);
});

Deno.test("subjects: the * pattern admits the repository's other refs, not lookalike repositories", async () => {
  await withSimulator({ world: webIdentityWorld() }, async (sim) => {
    const ok = await assumeWeb(sim, {
      WebIdentityToken: ciToken({ sub: "repo:acme/infra:pull_request" }),
    });
    assert.equal(ok.SubjectFromWebIdentityToken, "repo:acme/infra:pull_request");
    const lookalike = await refusal(
      assumeWeb(sim, { WebIdentityToken: ciToken({ sub: "repo:acme/infra-fork:ref:x" }) }),
    );
    assert.equal(lookalike.status, 403);
  });
});

Deno.test("only AssumeRoleWithWebIdentity is served unsigned: other unsigned STS calls are refused", async () => {
  await withSimulator({ world: webIdentityWorld() }, async (sim) => {
    const post = (body: string) =>
      fetch(sim.url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
      });
    const unsigned = await post(
      "Action=GetCallerIdentity&Version=2011-06-15",
    );
    assert.equal(unsigned.status, 403);
    assert.match(await unsigned.text(), /<Code>MissingAuthenticationToken<\/Code>/);
    const assume = await post(
      `Action=AssumeRole&Version=2011-06-15&RoleArn=${
        encodeURIComponent(CI.plainRoleArn)
      }&RoleSessionName=x1`,
    );
    assert.notEqual(assume.status, 200);
    await assume.body?.cancel();
    const web = await post(
      new URLSearchParams({
        Action: "AssumeRoleWithWebIdentity",
        Version: "2011-06-15",
        RoleArn: CI.roleArn,
        RoleSessionName: "raw",
        WebIdentityToken: mintWebIdentityToken({ iss: CI.issuer, sub: CI.subject }),
      }).toString(),
    );
    assert.equal(web.status, 200);
    const xml = await web.text();
    assert.match(xml, /<AssumeRoleWithWebIdentityResponse /);
    assert.match(xml, /<SubjectFromWebIdentityToken>repo:acme\/infra:ref:refs\/heads\/main</);
  });
});
