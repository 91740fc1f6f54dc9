import assert from "node:assert/strict";
import {
  AwsError,
  BrokenPipeError,
  ConfigParseError,
  exitCodeOf,
  formatError,
  UsageError,
} from "../../src/core/errors.ts";

Deno.test("AccessDenied from AWS exits 3 and names the request id", () => {
  const err = new AwsError("AssumeRole", "AccessDenied", "Not authorized", "req-123");
  assert.equal(exitCodeOf(err), 3);
  assert.equal(
    formatError(err),
    "AssumeRole failed: AccessDenied: Not authorized (request id req-123)",
  );
});

Deno.test("other AWS errors exit 1", () => {
  assert.equal(exitCodeOf(new AwsError("ListBuckets", "InternalError", "boom")), 1);
});

Deno.test("usage and parse errors exit 2 with a one-line message", () => {
  assert.equal(exitCodeOf(new UsageError('Unknown profile "x"')), 2);
  const err = new ConfigParseError("roles.ini", 12, 'missing "]"');
  assert.equal(formatError(err), 'Cannot parse "roles.ini" line 12: missing "]"');
  assert.equal(exitCodeOf(err), 2);
});

Deno.test("unexpected errors exit 1 and show no stack unless verbose", () => {
  const err = new TypeError("bad");
  assert.equal(formatError(err), "TypeError: bad");
  assert.match(formatError(err, { verbose: true }), /at /);
  assert.equal(exitCodeOf(err), 1);
});

Deno.test("a closed stdout (broken pipe) exits 141, like a tool killed by SIGPIPE", () => {
  const err = new BrokenPipeError({ cause: new Error("Broken pipe (os error 32)") });
  assert.equal(exitCodeOf(err), 141);
  // main prints nothing for it; were it formatted, it would be one line without the OS text.
  assert.equal(formatError(err), "Output closed (broken pipe)");
  assert.equal(err.name, "BrokenPipeError");
});
