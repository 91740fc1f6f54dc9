/**
 * The combined listing (`buckets --all-roles`, several `--role`) honours `via`: a role that
 * trusts only another role is assumed through its chain, as the single listing does; a chain
 * that cannot be resolved fails that role only; MFA stays one code per device.
 */
import assert from "node:assert/strict";
import { demoWorld } from "../../src/sim/demo_world.ts";
import type { World } from "../../src/sim/world.ts";
import { DEMO, fakeIo, withDemo } from "./_fixture.ts";

interface Row {
  account: string;
  role: string;
  name: string;
  error?: string;
}

/** Account 444 holds ChainB (trusts only 222: dev), 222 holds ChainM (trusts only 444: prod). */
const HOP_B = `arn:aws:iam::${DEMO.roles.prod.accountId}:role/ChainB`;
const HOP_M = `arn:aws:iam::${DEMO.roles.dev.accountId}:role/ChainM`;
/** A second MFA role on the demo user's device, in the test account. */
const MFA_2 = `arn:aws:iam::${DEMO.roles.test.accountId}:role/Mfa2`;

function chainWorld(): World {
  const world = demoWorld();
  const account = (id: string) => world.accounts.find((a) => a.id === id)!;
  account(DEMO.roles.prod.accountId).roles.push({
    name: "ChainB",
    path: "/",
    trustedAccounts: [DEMO.roles.dev.accountId],
    maxSessionDuration: 43200,
  });
  account(DEMO.roles.dev.accountId).roles.push({
    name: "ChainM",
    path: "/",
    trustedAccounts: [DEMO.roles.prod.accountId],
    maxSessionDuration: 43200,
  });
  account(DEMO.roles.test.accountId).roles.push({
    name: "Mfa2",
    path: "/",
    trustedAccounts: [sourceAccount(world)],
    requireMfa: true,
    maxSessionDuration: 43200,
  });
  return world;
}

/** The account of the demo user (the source). */
function sourceAccount(world: World): string {
  return world.accounts.find((a) => a.users.some((u) => u.accessKeyId === DEMO.accessKeyId))!.id;
}

const dev =
  `[role dev]\nrole_arn = ${DEMO.roles.dev.roleArn}\nexternal_id = ${DEMO.roles.dev.externalId}\n`;
const test = `[role test]\nrole_arn = ${DEMO.roles.test.roleArn}\n` +
  `external_id = ${DEMO.roles.test.externalId}\n`;
const prod = `[role prod]\nrole_arn = ${DEMO.roles.prod.roleArn}\n` +
  `external_id = ${DEMO.roles.prod.externalId}\nmfa_serial = ${DEMO.mfaSerial}\n`;
const hopB = `[role hop-b]\nrole_arn = ${HOP_B}\nvia = dev\n`;

function bucketsOf(world: World, account: string): string[] {
  return world.accounts.find((a) => a.id === account)!.buckets.map((b) => b.name).sort();
}

Deno.test("buckets --all-roles assumes a role with via through its chain, its first hop cached", async () => {
  await withDemo(async ({ run, sim, env }) => {
    await Deno.writeTextFile(`${env.XROLE_CONFIG_DIR}/roles.ini`, [dev, hopB, test].join("\n"));
    const r = await run(["buckets", "--all-roles", "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as Row[];
    assert.ok(rows.every((x) => !x.error), r.stdout);
    const listed = (role: string) => rows.filter((x) => x.role === role).map((x) => x.name).sort();
    assert.deepEqual(listed("hop-b"), bucketsOf(sim.world, DEMO.roles.prod.accountId));
    assert.ok(rows.filter((x) => x.role === "hop-b").every((x) => x.account === "444444444444"));
    assert.deepEqual(listed("dev"), bucketsOf(sim.world, DEMO.roles.dev.accountId));
    assert.deepEqual(listed("test"), bucketsOf(sim.world, DEMO.roles.test.accountId));
    // dev, test, hop-b; dev's session may be assumed twice when dev and hop-b start together.
    assert.ok((sim.stats.requests["AssumeRole"] ?? 0) <= 4);

    // A second run finds every step in the cache: the chain's first hop and last role included.
    sim.stats.reset();
    const again = await run(["buckets", "--all-roles", "--format", "json"]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, r.stdout);
    assert.equal(sim.stats.requests["AssumeRole"] ?? 0, 0);
  }, { world: chainWorld() });
});

Deno.test("a chained role's first hop cached by the single listing is reused by --all-roles", async () => {
  await withDemo(async ({ run, sim, env }) => {
    await Deno.writeTextFile(`${env.XROLE_CONFIG_DIR}/roles.ini`, [dev, hopB].join("\n"));
    const one = await run(["buckets", "--role", "dev", "--format", "json"]);
    assert.equal(one.code, 0, one.stderr);
    sim.stats.reset();
    const r = await run(["buckets", "--all-roles", "--format", "json", "--concurrency", "1"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sim.stats.requests["AssumeRole"], 1, "only hop-b: dev comes from the cache");
  }, { world: chainWorld() });
});

Deno.test("an unknown via, a via cycle or a chained duration over an hour fails that role only (exit 4)", async () => {
  await withDemo(async ({ run, sim, env }) => {
    const broken = `[role loop-a]\nrole_arn = ${HOP_B}\nvia = loop-b\n\n` +
      `[role loop-b]\nrole_arn = ${DEMO.roles.dev.roleArn}\nvia = loop-a\n\n` +
      `[role ghost]\nrole_arn = ${HOP_B}\nvia = nowhere\n\n` +
      `[role long]\nrole_arn = ${HOP_B}\nvia = dev\nduration_seconds = 7200\n`;
    await Deno.writeTextFile(
      `${env.XROLE_CONFIG_DIR}/roles.ini`,
      [dev, hopB, test, broken].join("\n"),
    );
    const r = await run(["buckets", "--all-roles", "--format", "json", "--no-cache"]);
    assert.equal(r.code, 4, r.stderr);
    const rows = JSON.parse(r.stdout) as Row[];
    for (const role of ["loop-a", "loop-b", "ghost", "long"]) {
      const mine = rows.filter((x) => x.role === role);
      assert.equal(mine.length, 1, role);
      assert.equal(mine[0]!.name, "");
      assert.equal(mine[0]!.error, "UsageError");
    }
    assert.match(r.stderr, /Role "loop-a" \(account \d{12}\): Role chain has a cycle \(via\)/);
    assert.match(r.stderr, /Role "ghost" .*names via "nowhere", which is not a saved role/);
    assert.match(r.stderr, /Role "long" .*Duration 7200 is too long/);
    for (const role of ["dev", "hop-b", "test"]) {
      assert.ok(rows.some((x) => x.role === role && x.name !== "" && !x.error), role);
    }
    assert.equal(sim.stats.requests["AssumeRole"], 4, "dev, test, hop-b's two hops; none broken");
  }, { world: chainWorld() });
});

Deno.test("a chain whose first role needs MFA shares the code of its device: one GetSessionToken, asked once", async () => {
  await withDemo(async ({ sim, env }) => {
    const hopM = `[role hop-m]\nrole_arn = ${HOP_M}\nvia = prod\n`;
    const mfa2 = `[role mfa-2]\nrole_arn = ${MFA_2}\nmfa_serial = ${DEMO.mfaSerial}\n`;
    await Deno.writeTextFile(
      `${env.XROLE_CONFIG_DIR}/roles.ini`,
      [prod, hopM, mfa2, test].join("\n"),
    );
    const asked: string[] = [];
    const { main } = await import("../../src/main.ts");
    const { inventoryInput, runInventoryCommand } = await import("../../src/cli/inventory.ts");
    const out = { stdout: "", stderr: "" };
    const deps = {
      io: fakeIo(env, out, { stdinIsTerminal: true }),
      globals: { verbose: false, color: false },
      signal: new AbortController().signal,
      main,
      askMfaCode: (label: string, serial: string) => {
        asked.push(`${label} ${serial}`);
        return Promise.resolve(DEMO.mfaCode);
      },
    };
    sim.stats.reset();
    // prod itself is not listed: only the chain through it and another role on its device.
    const code = await runInventoryCommand(
      await inventoryInput({ roles: ["hop-m", "mfa-2", "test"], format: "json" }, deps),
      deps,
    );
    assert.equal(code, 0, out.stderr);
    assert.deepEqual(asked, [`hop-m, mfa-2 ${DEMO.mfaSerial}`]);
    assert.equal(sim.stats.requests["GetSessionToken"], 1);
    assert.equal(sim.stats.requests["AssumeRole"], 4, "prod then ChainM, Mfa2, test");
    const rows = JSON.parse(out.stdout) as Row[];
    const listed = (role: string) => rows.filter((x) => x.role === role).map((x) => x.name).sort();
    assert.deepEqual(listed("hop-m"), bucketsOf(sim.world, DEMO.roles.dev.accountId));
    assert.deepEqual(listed("mfa-2"), bucketsOf(sim.world, DEMO.roles.test.accountId));
    assert.doesNotMatch(out.stdout + out.stderr, new RegExp(DEMO.mfaCode));
  }, { world: chainWorld() });
});

Deno.test("--mfa-code is accepted when only a chained role's first hop uses MFA", async () => {
  await withDemo(async ({ run, sim, env }) => {
    const hopM = `[role hop-m]\nrole_arn = ${HOP_M}\nvia = prod\n`;
    await Deno.writeTextFile(`${env.XROLE_CONFIG_DIR}/roles.ini`, [prod, hopM, test].join("\n"));
    const r = await run([
      "buckets",
      "--role",
      "hop-m",
      "--role",
      "test",
      "--mfa-code",
      DEMO.mfaCode,
      "--format",
      "json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sim.stats.requests["GetSessionToken"], 1);
    const rows = JSON.parse(r.stdout) as Row[];
    assert.ok(rows.some((x) => x.role === "hop-m" && x.account === DEMO.roles.dev.accountId));
  }, { world: chainWorld() });
});
