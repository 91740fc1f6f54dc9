/**
 * Console sign-in through the federation endpoint: a role session becomes a login URL that the
 * (simulated) endpoint accepts, and no failure ever shows the credentials.
 */
import assert from "node:assert/strict";
import { federatedSigninUrl, type FetchLike, getSigninToken } from "../../src/aws/federation.ts";
import { NetworkError } from "../../src/aws/errors.ts";
import { federationEndpoint, s3ConsoleUrl } from "../../src/core/console_url.ts";
import { AwsError, ExitCode, UsageError } from "../../src/core/errors.ts";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { assumeDemoRole, withSimulator } from "../_helpers/sim.ts";

Deno.test("a role session signs in to the S3 console of its region through the simulator", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const creds = await assumeDemoRole(sim, "dev", { sessionName: "console-test" });
    const url = await federatedSigninUrl(creds, {
      partition: "aws",
      region: "eu-west-1",
      endpointOverride: sim.url,
    });
    const parsed = new URL(url);
    assert.equal(`${parsed.origin}${parsed.pathname}`, `${sim.url}/federation`);
    assert.equal(parsed.searchParams.get("Action"), "login");
    assert.equal(parsed.searchParams.get("Issuer"), "xrole");
    assert.equal(
      parsed.searchParams.get("Destination"),
      "https://console.aws.amazon.com/s3/home?region=eu-west-1",
    );
    assert.ok(!url.includes(creds.secretAccessKey), "the URL must not hold the secret key");
    assert.ok(!url.includes(encodeURIComponent(creds.sessionToken)));
    const login = await fetch(url, { redirect: "manual" });
    await login.body?.cancel();
    assert.equal(login.status, 302);
    assert.equal(login.headers.get("location"), parsed.searchParams.get("Destination"));
    assert.equal(
      login.headers.get("x-sim-signed-in-as"),
      `arn:aws:sts::${DEMO.roles.dev.accountId}:assumed-role/${DEMO.roles.dev.roleName}/console-test`,
    );
    assert.equal(sim.stats.requests["GetSigninToken"], 1);
  });
});

Deno.test("a chosen destination and issuer end up in the login URL", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const creds = await assumeDemoRole(sim, "test");
    const destination = "https://console.aws.amazon.com/ec2/home?region=us-east-1";
    const url = await federatedSigninUrl(creds, {
      partition: "aws",
      region: "us-east-1",
      endpointOverride: `${sim.url}/`,
      destination,
      issuer: "https://example.com/sso",
    });
    const parsed = new URL(url);
    assert.equal(parsed.pathname, "/federation");
    assert.equal(parsed.searchParams.get("Destination"), destination);
    assert.equal(parsed.searchParams.get("Issuer"), "https://example.com/sso");
    const login = await fetch(url, { redirect: "manual" });
    await login.body?.cancel();
    assert.equal(login.headers.get("location"), destination);
  });
});

Deno.test("credentials the endpoint refuses are an access-denied error without the secrets", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const creds = await assumeDemoRole(sim, "dev");
    // A different first character (a fixed "x" would match a secret that starts with "x").
    const first = creds.secretAccessKey.startsWith("x") ? "y" : "x";
    const wrong = { ...creds, secretAccessKey: first + creds.secretAccessKey.slice(1) };
    const err = await getSigninToken(wrong, { endpoint: `${sim.url}/federation` }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof AwsError, String(err));
    assert.equal(err.exitCode, ExitCode.accessDenied);
    assert.match(err.message, /^GetSigninToken failed: AccessDenied: .*invalid/);
    for (const secret of [wrong.secretAccessKey, creds.sessionToken]) {
      assert.ok(!err.message.includes(secret));
    }
  });
});

Deno.test("long-term keys cannot sign in to the console and nothing is sent", async () => {
  let calls = 0;
  const fake: FetchLike = () => {
    calls++;
    return Promise.resolve(new Response("{}"));
  };
  await assert.rejects(
    getSigninToken({ accessKeyId: DEMO.accessKeyId, secretAccessKey: DEMO.secretAccessKey }, {
      endpoint: "https://signin.aws.amazon.com/federation",
      fetch: fake,
    }),
    (e: unknown) => e instanceof UsageError && /temporary credentials/.test(e.message),
  );
  assert.equal(calls, 0);
});

Deno.test("the credentials travel in a POST body, never in the request URL", async () => {
  const seen: { url: string; init: RequestInit }[] = [];
  const fake: FetchLike = (url, init) => {
    seen.push({ url, init });
    return Promise.resolve(new Response(JSON.stringify({ SigninToken: "tok-123" })));
  };
  const creds = { accessKeyId: "ASIAFAKE", secretAccessKey: "sekrit/+=", sessionToken: "tok+/=" };
  const token = await getSigninToken(creds, {
    endpoint: "https://signin.aws.amazon.com/federation",
    fetch: fake,
    sessionDurationSeconds: 1800,
  });
  assert.equal(token, "tok-123");
  const [call] = seen;
  assert.ok(call);
  assert.equal(call.url, "https://signin.aws.amazon.com/federation");
  assert.equal(call.init.method, "POST");
  const form = new URLSearchParams(String(call.init.body));
  assert.equal(form.get("Action"), "getSigninToken");
  assert.equal(form.get("SessionDuration"), "1800");
  assert.deepEqual(JSON.parse(form.get("Session") ?? ""), {
    sessionId: "ASIAFAKE",
    sessionKey: "sekrit/+=",
    sessionToken: "tok+/=",
  });
});

Deno.test("an unreachable endpoint is a network error that does not quote the credentials", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const creds = {
    accessKeyId: "ASIAFAKE",
    secretAccessKey: "sekritKey",
    sessionToken: "sekritTok",
  };
  const err = await getSigninToken(creds, { endpoint: `http://127.0.0.1:${port}/federation` })
    .then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof NetworkError, String(err));
  assert.match(err.message, /^GetSigninToken failed: cannot reach "http:\/\/127\.0\.0\.1:\d+\//);
  assert.ok(!err.message.includes("sekrit"));
});

Deno.test("an answer without a sign-in token is an error, not an empty URL", async () => {
  const fake: FetchLike = () => Promise.resolve(new Response("<html>maintenance</html>"));
  await assert.rejects(
    getSigninToken({ accessKeyId: "A", secretAccessKey: "B", sessionToken: "C" }, {
      endpoint: "https://signin.aws.amazon.com/federation",
      fetch: fake,
    }),
    (e: unknown) => e instanceof AwsError && e.code === "InvalidResponse",
  );
});

Deno.test("each partition signs in on its own host, and an endpoint override serves /federation", () => {
  assert.equal(federationEndpoint("aws"), "https://signin.aws.amazon.com/federation");
  assert.equal(federationEndpoint("aws-cn"), "https://signin.amazonaws.cn/federation");
  assert.equal(
    federationEndpoint("aws-us-gov"),
    "https://signin.amazonaws-us-gov.com/federation",
  );
  assert.equal(
    federationEndpoint("aws", "http://127.0.0.1:4566//"),
    "http://127.0.0.1:4566/federation",
  );
  assert.equal(
    s3ConsoleUrl("aws-cn", "cn-north-1"),
    "https://console.amazonaws.cn/s3/home?region=cn-north-1",
  );
});
