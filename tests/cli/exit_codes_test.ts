import assert from "node:assert/strict";
import { DEMO, runMain, withDemo } from "./_fixture.ts";

Deno.test("an unreachable endpoint exits 1 with one line naming it", async () => {
  await withDemo(async ({ env }) => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    const r = await runMain(["buckets", "--role", "dev"], {
      ...env,
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^xrole: .*127\\.0\\.0\\.1:${port}`));
  });
});

Deno.test("a wrong External ID exits 3 with the AWS error code and request id", async () => {
  await withDemo(async ({ run }) => {
    const r = await run(["buckets", "--role", "wrong-id"]);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^xrole: AssumeRole failed: AccessDenied: .*request id/);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1);
  });
});

Deno.test("a wrong secret key exits 3", async () => {
  await withDemo(async ({ run }) => {
    const r = await run(["buckets", "--profile", "bad-secret", "--role", "dev"]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /SignatureDoesNotMatch/);
  });
});

const USAGE_CASES: [string, string[], RegExp][] = [
  ["an invalid role ARN", ["buckets", "--role-arn", "arn:aws:iam::12:role/x"], /role ARN/],
  ["an unknown role", ["buckets", "--role", "nope"], /Unknown role "nope"/],
  [
    "an unknown profile",
    ["buckets", "--profile", "nope", "--role", "dev"],
    /Unknown profile "nope"/,
  ],
  ["an unknown flag", ["buckets", "--rol", "dev"], /Unknown option "--rol"/],
  ["an unknown command", ["bukets"], /^xrole: Unknown command "bukets" \(did you mean buckets\?\)/],
  [
    "--role with --role-arn",
    ["buckets", "--role", "dev", "--role-arn", DEMO.roles.dev.roleArn],
    /--role or --role-arn, not both/,
  ],
  ["--no-assume with --role", ["buckets", "--no-assume", "--role", "dev"], /--no-assume.*--role/],
  [
    "--mfa-code without an MFA device",
    ["buckets", "--role", "dev", "--mfa-code", "123456"],
    /--mfa-code needs an MFA device/,
  ],
  [
    "--external-id without a role",
    ["buckets", "--external-id", "abc"],
    /--external-id needs a role/,
  ],
  ["no role at all", ["buckets"], /No role given: pass --role/],
  [
    "a bad MFA code",
    ["buckets", "--role", "prod", "--mfa-code", "12ab"],
    /MFA code: must be exactly 6 digits/,
  ],
  ["a bad External ID", ["buckets", "--role", "dev", "--external-id", "a b"], /External ID/],
  ["a bad duration", ["buckets", "--role", "dev", "--duration", "60"], /duration/],
  [
    "a bad session name",
    ["buckets", "--role", "dev", "--session-name", "bad name!"],
    /session name/,
  ],
  ["a bad region", ["buckets", "--role", "dev", "--region", "mars"], /Invalid region "mars"/],
  ["a bad concurrency", ["buckets", "--role", "dev", "--concurrency", "0"], /--concurrency "0"/],
  ["a bad timeout", ["buckets", "--role", "dev", "--timeout", "soon"], /--timeout "soon"/],
  [
    "a bad format",
    ["buckets", "--role", "dev", "--format", "xml"],
    /"xml".*invalid|Allowed choices/i,
  ],
  ["a missing flag value", ["buckets", "--role"], /argument missing/],
  ["exec without a command", ["exec", "--role", "dev"], /missing required argument "command"/i],
];

for (const [what, args, message] of USAGE_CASES) {
  Deno.test(`${what} exits 2 with one line on stderr and nothing on stdout`, async () => {
    await withDemo(async ({ run, sim }) => {
      sim.stats.reset();
      const r = await run(args);
      assert.equal(r.code, 2, `${r.stderr}`);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /^xrole: /);
      assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, message);
      if (!what.includes("profile")) assert.equal(sim.stats.total, 0, "no request was sent");
    });
  });
}

Deno.test("a role that needs MFA without --mfa-code and without a terminal exits 2 naming the flag, without asking", async () => {
  await withDemo(async ({ run }) => {
    const r = await run(["buckets", "--role", "prod"], { stdinIsTerminal: false });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'xrole: Role "prod" needs an MFA code: pass --mfa-code\n');
  });
});

Deno.test("Ctrl-C during the listing exits 130", async () => {
  await withDemo(async ({ run, sim }) => {
    sim.knobs.latencyMs = 300;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const r = await run(["buckets", "--role", "dev"], { signal: controller.signal });
    clearTimeout(timer);
    assert.equal(r.code, 130);
    assert.ok(Date.now() - started < 1000, "stopped at once");
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, "xrole: Interrupted\n");
  });
});
