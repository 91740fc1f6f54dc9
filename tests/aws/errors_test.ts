import assert from "node:assert/strict";
import { errorCode, NetworkError, toXroleError } from "../../src/aws/errors.ts";
import { AwsError, ExitCode, InterruptedError, UsageError } from "../../src/core/errors.ts";

function sdkError(name: string, status: number, requestId?: string) {
  return Object.assign(new Error(`${name} happened\nsecond line`), {
    name,
    $fault: "client",
    $metadata: { httpStatusCode: status, ...(requestId ? { requestId } : {}) },
  });
}

Deno.test("a service error keeps its code, first message line and request id", () => {
  const err = toXroleError(sdkError("ExpiredToken", 403, "rid-9"), "ListBuckets");
  assert.ok(err instanceof AwsError);
  assert.equal(err.code, "ExpiredToken");
  assert.equal(err.requestId, "rid-9");
  assert.equal(err.exitCode, ExitCode.accessDenied);
  assert.equal(err.message, "ListBuckets failed: ExpiredToken: ExpiredToken happened");
});

Deno.test("bodiless 403 and 404 responses are named AccessDenied and NoSuchBucket", () => {
  assert.equal(errorCode(sdkError("403", 403)), "AccessDenied");
  assert.equal(errorCode(sdkError("Unknown", 403)), "AccessDenied");
  assert.equal(errorCode(sdkError("NotFound", 404)), "NoSuchBucket");
  assert.equal(errorCode(sdkError("SlowDown", 503)), "SlowDown");
});

Deno.test("an aborted request becomes an interruption and our own errors pass through", () => {
  const abort = Object.assign(new Error("aborted"), { name: "AbortError" });
  assert.ok(toXroleError(abort, "X") instanceof InterruptedError);
  const usage = new UsageError("bad");
  assert.equal(toXroleError(usage, "X"), usage);
});

Deno.test("a network failure names the endpoint and the reason in one line", () => {
  const err = toXroleError(
    new TypeError("fetch failed", {
      cause: new Error(
        "error sending request for url (http://10.0.0.9:4566/): client error (Connect): dns error: failed to lookup address",
      ),
    }),
    "AssumeRole",
  );
  assert.ok(err instanceof NetworkError);
  assert.equal(
    err.message,
    'AssumeRole failed: cannot reach "http://10.0.0.9:4566": host not found',
  );
  assert.equal(err.exitCode, ExitCode.failure);
});
