import assert from "node:assert/strict";
import { type ExecInput, spawnLine } from "../../src/cli/exec.ts";

const input = { command: "aws", args: ["s3", "ls"] } as unknown as ExecInput;

Deno.test("exec removes an inherited AWS_PROFILE with env -u when it cannot replace the environment", () => {
  assert.deepEqual(
    spawnLine(input, true, { AWS_PROFILE: "dev", AWS_SESSION_TOKEN: "old" }, "linux"),
    ["env", ["-u", "AWS_PROFILE", "aws", "s3", "ls"]],
  );
});

Deno.test("exec runs the command directly when nothing stale is inherited", () => {
  assert.deepEqual(spawnLine(input, true, {}, "linux"), ["aws", ["s3", "ls"]]);
  assert.deepEqual(spawnLine(input, false, { AWS_PROFILE: "dev" }, "linux"), ["aws", ["s3", "ls"]]);
});
