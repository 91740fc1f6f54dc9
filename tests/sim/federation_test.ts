/**
 * The simulated federation endpoint: temporary credentials become a sign-in token, the token a
 * redirect to the console destination; anything else is refused.
 */
import assert from "node:assert/strict";
import { federationAction, FederationTokens, handleFederation } from "../../src/sim/federation.ts";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { CredentialStore, type Principal } from "../../src/sim/principal.ts";
import { indexWorld } from "../../src/sim/world.ts";

const NOW = new Date("2026-05-06T07:08:09Z");

function setup() {
  const index = indexWorld(demoWorld());
  const store = new CredentialStore(index);
  const role = index.roleByArn(DEMO.roles.dev.roleArn);
  assert.ok(role);
  const principal: Principal = {
    kind: "assumed-role",
    account: role.account,
    role: role.role,
    roleArn: role.arn,
    sessionName: "console",
    mfa: false,
  };
  const creds = store.issue(principal, new Date(NOW.getTime() + 3600_000));
  const session = JSON.stringify({
    sessionId: creds.accessKeyId,
    sessionKey: creds.secretAccessKey,
    sessionToken: creds.sessionToken,
  });
  return { store, tokens: new FederationTokens(), creds, session, index };
}

function call(
  s: ReturnType<typeof setup>,
  params: Record<string, string>,
  now: Date = NOW,
) {
  return handleFederation({
    store: s.store,
    tokens: s.tokens,
    params: new Map(Object.entries(params)),
    now,
  });
}

const DESTINATION = "https://console.aws.amazon.com/s3/home?region=eu-west-1";

Deno.test("temporary credentials get a sign-in token that logs in to the destination", () => {
  const s = setup();
  const r = call(s, { Action: "getSigninToken", Session: s.session, SessionDuration: "3600" });
  assert.equal(r.status, 200);
  const token = JSON.parse(r.body).SigninToken as string;
  assert.ok(token.length > 100);
  const login = call(s, {
    Action: "login",
    Issuer: "xrole",
    Destination: DESTINATION,
    SigninToken: token,
  });
  assert.equal(login.status, 302);
  assert.equal(login.headers["location"], DESTINATION);
  assert.equal(
    login.headers["x-sim-signed-in-as"],
    `arn:aws:sts::${DEMO.roles.dev.accountId}:assumed-role/${DEMO.roles.dev.roleName}/console`,
  );
});

Deno.test("a session JSON with a wrong secret, wrong token or bad JSON gets no sign-in token", () => {
  const s = setup();
  const bad = [
    JSON.stringify({
      sessionId: s.creds.accessKeyId,
      // A different first character (a fixed "x" would match a secret that starts with "x").
      sessionKey: (s.creds.secretAccessKey.startsWith("x") ? "y" : "x") +
        s.creds.secretAccessKey.slice(1),
      sessionToken: s.creds.sessionToken,
    }),
    JSON.stringify({
      sessionId: s.creds.accessKeyId,
      sessionKey: s.creds.secretAccessKey,
      sessionToken: s.creds.sessionToken + "x",
    }),
    JSON.stringify({ sessionId: s.creds.accessKeyId }),
    "{not json",
  ];
  for (const session of bad) {
    const r = call(s, { Action: "getSigninToken", Session: session });
    assert.equal(r.status, 400, session);
    assert.equal(r.body.includes("SigninToken"), false);
  }
});

Deno.test("long-term user keys cannot be turned into a console session", () => {
  const s = setup();
  const session = JSON.stringify({
    sessionId: DEMO.accessKeyId,
    sessionKey: DEMO.secretAccessKey,
    sessionToken: "anything",
  });
  assert.equal(call(s, { Action: "getSigninToken", Session: session }).status, 400);
});

Deno.test("expired credentials and out-of-range durations are refused", () => {
  const s = setup();
  const later = new Date(NOW.getTime() + 3601_000);
  const expired = call(s, { Action: "getSigninToken", Session: s.session }, later);
  assert.equal(expired.status, 400);
  assert.match(expired.body, /expired/);
  for (const d of ["899", "43201", "abc"]) {
    const r = call(s, { Action: "getSigninToken", Session: s.session, SessionDuration: d });
    assert.equal(r.status, 400, d);
  }
});

Deno.test("a sign-in token is usable for 15 minutes and only for console destinations", () => {
  const s = setup();
  const token = JSON.parse(call(s, { Action: "getSigninToken", Session: s.session }).body)
    .SigninToken as string;
  const evil = call(s, {
    Action: "login",
    Destination: "https://evil.example.com/",
    SigninToken: token,
  });
  assert.equal(evil.status, 400);
  const stale = call(
    s,
    { Action: "login", Destination: DESTINATION, SigninToken: token },
    new Date(NOW.getTime() + 15 * 60_000 + 1),
  );
  assert.equal(stale.status, 400);
  const unknown = call(s, { Action: "login", Destination: DESTINATION, SigninToken: "nope" });
  assert.equal(unknown.status, 400);
});

Deno.test("federation requests are counted under their own action names", () => {
  assert.equal(federationAction(new Map([["Action", "getSigninToken"]])), "GetSigninToken");
  assert.equal(federationAction(new Map([["Action", "login"]])), "FederationLogin");
  assert.equal(federationAction(new Map()), "Federation");
});
