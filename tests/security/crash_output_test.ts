/**
 * Crash output: an unexpected exception (a bug, a library error) becomes one line on stderr that
 * never carries a secret key, a session token or a credential field, with or without --verbose.
 */
import assert from "node:assert/strict";
import { formatError, redactSecrets } from "../../src/core/errors.ts";
import type { Io } from "../../src/core/io.ts";
import { main } from "../../src/main.ts";
import { DEMO, withDemo } from "../cli/_fixture.ts";

const TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD" + "a1B2c3D4e5".repeat(20);
const ASSUMED_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

Deno.test("an unexpected exception through main prints one line without the secrets in its message", async () => {
  await withDemo(async ({ env }) => {
    for (const verbose of [false, true]) {
      let stdout = "";
      let stderr = "";
      const io: Io = {
        env,
        stdout: (t) => {
          stdout += t;
        },
        stderr: (t) => {
          stderr += t;
        },
        stdinIsTerminal: false,
        stdoutIsTerminal: false,
        columns: () => null,
        now: () => {
          throw new TypeError(
            `clock broke near aws_secret_access_key=${DEMO.secretAccessKey} ` +
              `token ${TOKEN} key ${ASSUMED_SECRET} for arn:aws:iam::222222222222:role/DeveloperAccess`,
          );
        },
      };
      const args = ["buckets", "--role", "dev", ...(verbose ? ["--verbose"] : [])];
      const code = await main(args, io);
      assert.equal(code, 1);
      assert.equal(stdout, "");
      for (const secret of [DEMO.secretAccessKey, TOKEN.slice(0, 40), ASSUMED_SECRET]) {
        assert.ok(!stderr.includes(secret), `secret in: ${stderr}`);
      }
      assert.match(stderr, /xrole: TypeError: clock broke near aws_secret_access_key=\[redacted\]/);
      assert.match(stderr, /for arn:aws:iam::222222222222:role\/DeveloperAccess/, "the rest kept");
      if (!verbose) assert.equal(stderr.split("\n").length, 2, "one line");
    }
  });
});

Deno.test("a verbose stack trace is redacted too", () => {
  const err = new Error(`bad token ${TOKEN}`);
  const text = formatError(err, { verbose: true });
  assert.match(text, /^Error: bad token \[redacted\]\n\s+at /);
  assert.ok(!text.includes(TOKEN.slice(20, 60)));
});

Deno.test("redaction removes secrets by shape and by field name, and keeps ARNs, ids and paths", () => {
  const cases: [string, string][] = [
    [`key ${ASSUMED_SECRET}.`, "key [redacted]."],
    [`"SecretAccessKey":"abc"`, `"SecretAccessKey":"[redacted]"`],
    [`X-Amz-Security-Token: short-token`, "X-Amz-Security-Token: [redacted]"],
    [`TokenCode=123456&x=1`, "TokenCode=[redacted]&x=1"],
    [`sessionToken = ${TOKEN}`, "sessionToken = [redacted]"],
  ];
  for (const [input, output] of cases) assert.equal(redactSecrets(input), output);
  const kept = [
    "AssumeRole failed: AccessDenied: not authorized (request id F55B786565B2C4DF)",
    'Cannot parse "/tmp/xrole-cli-test-72c0b2c7ec35c13b/g/roles.ini" line 2: binary data',
    "arn:aws:iam::123456789012:role/ops/ProdReadOnly AKIAXROLEDEMO0SOURCE",
    "acme-prod-security-audit-logs-0000000000000000 eu-central-1",
    "a".repeat(40),
  ];
  for (const text of kept) assert.equal(redactSecrets(text), text);
});
