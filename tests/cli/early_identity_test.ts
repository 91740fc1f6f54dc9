/**
 * When a command sends GetCallerIdentity before the SDK loads (src/cli/early_identity.ts): only
 * for a role assumed directly with a derived session name and nothing cached, and then exactly
 * once per listing.
 */
import assert from "node:assert/strict";
import { startEarlyIdentity } from "../../src/cli/early_identity.ts";
import type { CliDeps } from "../../src/cli/deps.ts";
import type { RoleTarget, TargetInput } from "../../src/cli/target.ts";
import type { Env } from "../../src/core/env.ts";
import { DEMO, fakeIo, withDemo } from "./_fixture.ts";

function depsFor(env: Env, verbose = false): CliDeps {
  return {
    io: fakeIo(env, { stdout: "", stderr: "" }),
    globals: { verbose, color: false },
    signal: new AbortController().signal,
    main: () => Promise.resolve(0),
  };
}

const DEV: RoleTarget = {
  label: "dev",
  roleArn: DEMO.roles.dev.roleArn,
  accountId: DEMO.roles.dev.roleArn.split(":")[4]!,
  externalId: DEMO.roles.dev.externalId,
  origin: "xrole",
};

Deno.test("the identity is asked early only when the session name must be derived", async () => {
  await withDemo(async ({ sim, env }) => {
    const target: TargetInput = { role: DEV, useCache: false };
    const early = await startEarlyIdentity(target, depsFor(env));
    assert.ok(early);
    assert.match((await early.identity)?.arn ?? "", /^arn:aws:iam::\d{12}:user\//);
    assert.equal(sim.stats.requests.GetCallerIdentity, 1);
    const notNeeded: [string, TargetInput, boolean][] = [
      ["no role (--no-assume)", { useCache: false }, false],
      [
        "a session name of its own",
        { role: { ...DEV, sessionName: "mine" }, useCache: false },
        false,
      ],
      ["a chain (via)", { role: { ...DEV, via: "test" }, useCache: false }, false],
      ["--verbose (every request through the SDK's log)", target, true],
    ];
    for (const [why, t, verbose] of notNeeded) {
      assert.equal(await startEarlyIdentity(t, depsFor(env, verbose)), undefined, why);
    }
    assert.equal(sim.stats.requests.GetCallerIdentity, 1);
  });
});

Deno.test("a listing asks for the identity once, and not at all when the session is cached", async () => {
  await withDemo(async ({ sim, run }) => {
    const first = await run(["buckets", "--role", "dev", "--format", "json"]);
    assert.equal(first.code, 0, first.stderr);
    // The early answer served the session name: the SDK did not ask again.
    assert.equal(sim.stats.requests.GetCallerIdentity, 1);
    assert.equal(sim.stats.requests.AssumeRole, 1);
    const again = await run(["buckets", "--role", "dev", "--format", "json"]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(
      [sim.stats.requests.GetCallerIdentity, sim.stats.requests.AssumeRole],
      [1, 1],
    );
    assert.equal(again.stdout, first.stdout);
  });
});
