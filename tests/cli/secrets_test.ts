import assert from "node:assert/strict";
import { DEMO, withDemo } from "./_fixture.ts";

/** The simulator's session tokens all start like AWS's do. */
const SESSION_TOKEN_PREFIX = "IQoJb3JpZ2luX2VjE";

const COMMANDS: string[][] = [
  ["buckets", "--role", "dev"],
  ["buckets", "--role", "prod", "--mfa-code", DEMO.mfaCode, "--format", "table"],
  ["buckets", "--role", "prod", "--mfa-code", DEMO.mfaCode, "--format", "csv"],
  ["buckets", "--no-assume", "--format", "tsv"],
  ["whoami"],
  ["whoami", "--role", "prod", "--mfa-code", DEMO.mfaCode],
  ["exec", "--role", "prod", "--mfa-code", DEMO.mfaCode, "--", "true"],
  ["roles", "list", "--format", "table"],
  ["roles", "show", "prod", "--format", "table"],
  ["profiles"],
  ["profiles", "--format", "table"],
  ["console", "--role", "prod"],
  ["buckets", "--role", "wrong-id"],
  ["buckets", "--profile", "bad-secret", "--role", "dev"],
  ["buckets", "--role", "prod", "--mfa-code", "654321"],
];

Deno.test("no command but assume prints the secret key, a session token or the MFA code, even with --verbose", async () => {
  await withDemo(async ({ run }) => {
    for (const args of COMMANDS) {
      for (const verbose of [[], ["--verbose"]]) {
        const r = await run([...args, ...verbose]);
        const all = r.stdout + r.stderr;
        const what = [...args, ...verbose].join(" ");
        assert.ok(!all.includes(DEMO.secretAccessKey), `secret key in ${what}`);
        assert.ok(!all.includes(SESSION_TOKEN_PREFIX), `session token in ${what}`);
        assert.ok(!all.includes(DEMO.mfaCode), `MFA code in ${what}`);
        assert.ok(!all.includes("654321"), `MFA code in ${what}`);
        assert.ok(!all.includes(DEMO.roles.prod.externalId), `External ID in ${what}`);
      }
    }
    // The check can fail: assume prints the token on purpose.
    const assumed = await run(["assume", "--role", "dev"]);
    assert.ok(assumed.stdout.includes(SESSION_TOKEN_PREFIX));
  });
});
