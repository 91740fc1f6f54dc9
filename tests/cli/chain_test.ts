/**
 * Role chaining: `via = LABEL` assumes roles one after another (dev → test → prod in the
 * simulator, where each role trusts only the previous account), with cycles, unknown labels and
 * too-long chained sessions refused before any request.
 */
import assert from "node:assert/strict";
import {
  CHAINED_SESSION_MAX_SECONDS,
  checkChainDurations,
  checkViaOnSave,
  roleChain,
} from "../../src/cli/chain.ts";
import { UsageError } from "../../src/core/errors.ts";
import type { SavedRole } from "../../src/core/model.ts";
import { demoWorld } from "../../src/sim/demo_world.ts";
import type { World } from "../../src/sim/world.ts";
import { addCredentialProcessProfile } from "../_helpers/credential_process.ts";
import { DEMO, withDemo } from "./_fixture.ts";

const HOP_B = `arn:aws:iam::${DEMO.roles.test.accountId}:role/ChainB`;
const HOP_C = `arn:aws:iam::${DEMO.roles.prod.accountId}:role/ChainC`;

/** The demo world plus ChainB (test account, trusts dev) and ChainC (prod account, trusts test). */
function chainWorld(): World {
  const world = demoWorld();
  const account = (id: string) => {
    const found = world.accounts.find((a) => a.id === id);
    assert.ok(found, id);
    return found;
  };
  account(DEMO.roles.test.accountId).roles.push({
    name: "ChainB",
    path: "/",
    trustedAccounts: [DEMO.roles.dev.accountId],
    maxSessionDuration: 43200,
  });
  account(DEMO.roles.prod.accountId).roles.push({
    name: "ChainC",
    path: "/",
    trustedAccounts: [DEMO.roles.test.accountId],
    maxSessionDuration: 43200,
  });
  return world;
}

const CHAIN_INI = `
[role hop-b]
role_arn = ${HOP_B}
via = dev

[role hop-c]
role_arn = ${HOP_C}
region = eu-central-1
via = hop-b
`;

function role(label: string, via?: string, durationSeconds?: number): SavedRole {
  return {
    label,
    roleArn: `arn:aws:iam::222222222222:role/${label}`,
    origin: "xrole",
    ...(via ? { via } : {}),
    ...(durationSeconds ? { durationSeconds } : {}),
  };
}

Deno.test("a three-role chain assumes dev, then test, then prod, each with the previous credentials", async () => {
  await withDemo(async ({ run, sim, env }) => {
    await Deno.writeTextFile(`${env.XROLE_CONFIG_DIR}/roles.ini`, CHAIN_INI, { append: true });
    sim.stats.reset();
    const who = await run(["whoami", "--role", "hop-c", "--format", "json", "--no-cache"]);
    assert.equal(who.code, 0, who.stderr);
    const id = JSON.parse(who.stdout) as Record<string, string>;
    assert.equal(JSON.stringify(id).includes(DEMO.roles.prod.accountId), true, who.stdout);
    assert.match(who.stdout, /assumed-role\/ChainC\//);
    assert.equal(sim.stats.requests["AssumeRole"], 3);

    const buckets = await run(["buckets", "--role", "hop-c", "--format", "json", "--no-cache"]);
    assert.equal(buckets.code, 0, buckets.stderr);
    const names = (JSON.parse(buckets.stdout) as { name: string }[]).map((b) => b.name);
    assert.ok(names.includes(DEMO.buckets.denied), "prod's buckets are listed");
  }, { world: chainWorld() });
});

Deno.test("the last role of a chain cannot be assumed directly from the source", async () => {
  await withDemo(async ({ run }) => {
    const r = await run(["whoami", "--role-arn", HOP_C, "--no-cache"]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /AssumeRole failed: AccessDenied/);
  }, { world: chainWorld() });
});

Deno.test("a chain's sessions are cached per step, so a second run makes no AssumeRole call", async () => {
  await withDemo(async ({ run, sim, env }) => {
    await Deno.writeTextFile(`${env.XROLE_CONFIG_DIR}/roles.ini`, CHAIN_INI, { append: true });
    const first = await run(["assume", "--role", "hop-c", "--format", "json"]);
    assert.equal(first.code, 0, first.stderr);
    sim.stats.reset();
    const second = await run(["assume", "--role", "hop-c", "--format", "json"]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(sim.stats.requests["AssumeRole"] ?? 0, 0);
    assert.equal(
      JSON.parse(second.stdout).AccessKeyId,
      JSON.parse(first.stdout).AccessKeyId,
    );
  }, { world: chainWorld() });
});

Deno.test("a chained role asking for more than an hour is refused before any request", async () => {
  await withDemo(async ({ run, sim, env }) => {
    await Deno.writeTextFile(`${env.XROLE_CONFIG_DIR}/roles.ini`, CHAIN_INI, { append: true });
    sim.stats.reset();
    const r = await run(["whoami", "--role", "hop-c", "--duration", "7200", "--no-cache"]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'xrole: Duration 7200 is too long for role "hop-c": it is assumed through "dev" → "hop-b" ' +
        "(role chaining), and AWS allows chained sessions at most 3600 seconds\n",
    );
    assert.equal(sim.stats.total, 0);
    const ok = await run(["whoami", "--role", "hop-c", "--duration", "3600", "--no-cache"]);
    assert.equal(ok.code, 0, ok.stderr);
  }, { world: chainWorld() });
});

Deno.test("a chain that loops back is a usage error naming the loop", async () => {
  await withDemo(async ({ run, sim, env }) => {
    await Deno.writeTextFile(
      `${env.XROLE_CONFIG_DIR}/roles.ini`,
      `\n[role a]\nrole_arn = ${HOP_B}\nvia = b\n\n[role b]\nrole_arn = ${HOP_C}\nvia = c\n` +
        `\n[role c]\nrole_arn = ${HOP_C}\nvia = a\n`,
      { append: true },
    );
    sim.stats.reset();
    const r = await run(["buckets", "--role", "a"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^xrole: Role chain has a cycle \(via\): "a" → "b" → "c" → "a"\n$/);
    assert.equal(sim.stats.total, 0);
  });
});

Deno.test("roles add --via saves the chain and refuses unknown roles, loops and long durations", async () => {
  await withDemo(async ({ run, env }) => {
    const add = await run(["roles", "add", "hop-b", "--role-arn", HOP_B, "--via", "dev"]);
    assert.equal(add.code, 0, add.stderr);
    const show = await run(["roles", "show", "hop-b", "--format", "json"]);
    assert.equal(JSON.parse(show.stdout).via, "dev");
    assert.match(await Deno.readTextFile(`${env.XROLE_CONFIG_DIR}/roles.ini`), /^via = dev$/m);

    const unknown = await run(["roles", "add", "x", "--role-arn", HOP_C, "--via", "nope"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Role "x" names via "nope", which is not a saved role/);

    const loop = await run(["roles", "add", "dev", "--role-arn", HOP_C, "--via", "hop-b"]);
    assert.equal(loop.code, 2);
    assert.match(loop.stderr, /cycle \(via\): "dev" → "hop-b" → "dev"\n$/);

    const long = await run([
      "roles",
      "add",
      "y",
      "--role-arn",
      HOP_C,
      "--via",
      "hop-b",
      "--duration",
      "7200",
    ]);
    assert.equal(long.code, 2);
    assert.match(long.stderr, /Duration 7200 is too long for role "y"/);
    const roles = JSON.parse((await run(["roles", "list", "--format", "json"])).stdout) as {
      label: string;
    }[];
    assert.deepEqual(roles.filter((r) => ["x", "y"].includes(r.label)), []);
  });
});

Deno.test("a chain starts with the source profile of its first role", async () => {
  await withDemo(async ({ run, env }) => {
    await Deno.writeTextFile(
      `${env.XROLE_CONFIG_DIR}/roles.ini`,
      `\n[role first]\nrole_arn = ${DEMO.roles.dev.roleArn}\nexternal_id = ${DEMO.roles.dev.externalId}\n` +
        `source_profile = ${DEMO.profile}\n\n[role second]\nrole_arn = ${HOP_B}\nvia = first\n`,
      { append: true },
    );
    const noProfile = { ...env, AWS_PROFILE: undefined };
    const r = await run(["whoami", "--role", "second", "--no-cache"], { env: noProfile });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ChainB/);
  }, { world: chainWorld() });
});

Deno.test("roleChain orders roles from the first to assume to the role itself", () => {
  const roles = [role("a"), role("b", "a"), role("c", "b"), role("d", "c")];
  assert.deepEqual(roleChain("d", roles).map((r) => r.label), ["a", "b", "c", "d"]);
  assert.deepEqual(roleChain("a", roles).map((r) => r.label), ["a"]);
  assert.throws(() => roleChain("zz", roles), UsageError);
  assert.throws(
    () => roleChain("x", [role("x", "x")]),
    (e: unknown) => e instanceof UsageError && /cycle \(via\): "x" → "x"/.test(e.message),
  );
});

Deno.test("only roles after the first of a chain are held to the one-hour cap", () => {
  checkChainDurations([role("a", undefined, 43200), role("b", "a", CHAINED_SESSION_MAX_SECONDS)]);
  assert.throws(
    () => checkChainDurations([role("a"), role("b", "a", CHAINED_SESSION_MAX_SECONDS + 1)]),
    UsageError,
  );
  assert.throws(() => checkViaOnSave(role("s", "s"), []), /cycle/);
  checkViaOnSave(role("n"), []); // no via: nothing to check
});

Deno.test("a credential_process profile works as the source of a role", async () => {
  await withDemo(async ({ run, env, dir }) => {
    await addCredentialProcessProfile(dir, env.AWS_CONFIG_FILE!);
    const me = await run(["whoami", "--profile", "proc", "--format", "json"]);
    assert.equal(me.code, 0, me.stderr);
    assert.match(
      me.stdout,
      new RegExp(`arn:aws:iam::${DEMO.sourceAccountId}:user/${DEMO.userName}`),
    );
    const r = await run(["whoami", "--profile", "proc", "--role", "dev", "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /assumed-role\/DeveloperAccess\//);
  });
});

Deno.test("a role profile of the AWS config works as the source of the next role", async () => {
  await withDemo(async ({ run }) => {
    // cfg-dev (fixture) is role_arn = dev's role with source_profile = demo: the SDK assumes it,
    // then xrole assumes ChainB (which trusts only the dev account) with its credentials.
    const r = await run([
      "whoami",
      "--profile",
      "cfg-dev",
      "--role-arn",
      HOP_B,
      "--format",
      "json",
      "--no-cache",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /assumed-role\/ChainB\//);
  }, { world: chainWorld() });
});
