import assert from "node:assert/strict";
import { DEMO, runMain, withDemo, writeDemoFiles } from "./_fixture.ts";
import {
  generatedAccountId,
  generatedExternalId,
  generatedRoleArn,
  generateWorld,
} from "../../src/sim/generator.ts";
import { startSimulator } from "../../src/sim/server.ts";
import type { Env } from "../../src/core/env.ts";

interface Row {
  account: string;
  role: string;
  name: string;
  region: string | null;
  created: string | null;
  error?: string;
}

const K = 10;

/** K generated accounts whose roles all need MFA, plus roles.ini naming them (and extras). */
async function withMfaWorld(
  extraRoles: string,
  fn: (
    ctx: {
      run: (args: string[]) => ReturnType<typeof runMain>;
      stats: () => Record<string, number>;
      env: Env;
      buckets: Map<string, { account: string; region: string }>;
    },
  ) => Promise<void>,
) {
  const world = generateWorld({ buckets: 3 * K, accounts: K });
  for (const account of world.accounts) for (const role of account.roles) role.requireMfa = true;
  const sim = await startSimulator({ world });
  const dir = await Deno.makeTempDir({ prefix: "xrole-inventory-test-" });
  try {
    const env = await writeDemoFiles(dir, sim.url);
    const roles = Array.from(
      { length: K },
      (_, i) =>
        `[role acct-${String(i + 1).padStart(2, "0")}]\nrole_arn = ${generatedRoleArn(i)}\n` +
        `external_id = ${generatedExternalId(i)}\nmfa_serial = ${DEMO.mfaSerial}\n`,
    ).join("\n");
    await Deno.writeTextFile(`${dir}/xrole/roles.ini`, roles + "\n" + extraRoles);
    const buckets = new Map<string, { account: string; region: string }>();
    for (const a of world.accounts) {
      for (const b of a.buckets) buckets.set(b.name, { account: a.id, region: b.region });
    }
    await fn({
      run: (args) => runMain(args, env),
      stats: () => sim.stats.requests,
      env,
      buckets,
    });
  } finally {
    await sim.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("buckets --all-roles lists ten MFA accounts with one MFA code: one GetSessionToken, ten AssumeRole", async () => {
  await withMfaWorld("", async ({ run, stats, buckets }) => {
    const r = await run(["buckets", "--all-roles", "--mfa-code", DEMO.mfaCode, "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(stats()["GetSessionToken"], 1);
    assert.equal(stats()["AssumeRole"], K);
    const rows = JSON.parse(r.stdout) as Row[];
    assert.equal(rows.length, buckets.size, "every bucket of every account, once");
    for (const row of rows) {
      const b = buckets.get(row.name);
      assert.ok(b, row.name);
      assert.equal(row.account, b.account, row.name);
      assert.equal(row.region, b.region, row.name);
      const index = Array.from({ length: K }, (_, n) => generatedAccountId(n)).indexOf(b.account);
      assert.equal(
        row.role,
        `acct-${String(index + 1).padStart(2, "0")}`,
        "the role of its account",
      );
      assert.deepEqual(Object.keys(row), ["account", "role", "name", "region", "created"]);
    }
    const keys = rows.map((x) => `${x.role}\u0000${x.name}`);
    assert.deepEqual(keys, [...keys].sort(), "sorted by role, then name");
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(DEMO.mfaCode), "the code is never printed");
  });
});

Deno.test("a role that fails is one error row with its code; the others are listed and the exit code is 4", async () => {
  const bad = `[role broken]\nrole_arn = ${generatedRoleArn(0)}\nexternal_id = wrong-id\n`;
  await withMfaWorld(bad, async ({ run, stats, buckets }) => {
    const r = await run(["buckets", "--all-roles", "--mfa-code", DEMO.mfaCode, "--format", "json"]);
    assert.equal(r.code, 4, r.stderr);
    const rows = JSON.parse(r.stdout) as Row[];
    const failed = rows.filter((x) => x.role === "broken");
    assert.deepEqual(failed, [{
      account: generatedAccountId(0),
      role: "broken",
      name: "",
      region: null,
      created: null,
      error: "AccessDenied",
    }]);
    assert.equal(rows.length, buckets.size + 1);
    assert.match(r.stderr, /Role "broken" \(account \d{12}\): AssumeRole failed: AccessDenied/);
    assert.equal(stats()["GetSessionToken"], 1);
  });
});

Deno.test("a wrong MFA code fails the MFA roles as rows, while roles without MFA still list", async () => {
  await withDemo(async ({ run, sim }) => {
    const r = await run([
      "buckets",
      "--role",
      "dev",
      "--role",
      "prod",
      "--mfa-code",
      "000000",
      "--format",
      "json",
    ]);
    assert.equal(r.code, 4, r.stderr);
    const rows = JSON.parse(r.stdout) as Row[];
    const prod = rows.filter((x) => x.role === "prod");
    assert.equal(prod.length, 1);
    assert.equal(prod[0]!.error, "AccessDenied");
    assert.equal(prod[0]!.account, DEMO.roles.prod.accountId);
    const dev = rows.filter((x) => x.role === "dev");
    const devBuckets = sim.world.accounts.find((a) => a.id === DEMO.roles.dev.accountId)!.buckets;
    assert.equal(dev.length, devBuckets.length);
    assert.ok(dev.every((x) => x.account === DEMO.roles.dev.accountId && x.region));
    assert.equal(sim.stats.requests["AssumeRole"], 1, "prod is not tried without its session");
  });
});

Deno.test("several --role list just those roles; a table and CSV carry account and role columns", async () => {
  await withDemo(async ({ run }) => {
    const table = await run(["buckets", "--role", "dev", "--role", "test", "--format", "table"]);
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^ACCOUNT\s+ROLE\s+NAME\s+REGION\s+CREATED$/);
    assert.ok(lines.slice(1).every((l) => /^(222222222222\s+dev|333333333333\s+test)\s/.test(l)));
    const csv = await run(["buckets", "--role", "test", "--role", "dev", "--format", "csv"]);
    assert.equal(csv.stdout.split("\n")[0], "account,role,name,region,created,error");
    assert.match(csv.stdout.split("\n")[1]!, /^222222222222,dev,/, "dev sorts before test");
  });
});

Deno.test("without a terminal or --mfa-code, an MFA role is a usage error before any AssumeRole", async () => {
  await withDemo(async ({ run, sim }) => {
    const r = await run(["buckets", "--all-roles", "--format", "json"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Role "prod" needs an MFA code: pass --mfa-code/);
    assert.equal(sim.stats.requests["AssumeRole"] ?? 0, 0);
  });
});

Deno.test("on a terminal the MFA code is asked once for all the roles of one device", async () => {
  await withMfaWorld("", async ({ env, stats }) => {
    const asked: string[] = [];
    const { main } = await import("../../src/main.ts");
    const { fakeIo } = await import("./_fixture.ts");
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
    const code = await runInventoryCommand(
      await inventoryInput({ allRoles: true, format: "json" }, deps),
      deps,
    );
    assert.equal(code, 0, out.stderr);
    assert.equal(asked.length, 1);
    assert.match(asked[0]!, /acct-01, acct-02, .*acct-10 arn:aws:iam::111111111111:mfa\/dev/);
    assert.equal(stats()["GetSessionToken"], 1);
  });
});

Deno.test("per-role flags and --no-assume cannot go with --all-roles (exit 2)", async () => {
  await withDemo(async ({ run, sim }) => {
    for (
      const args of [
        ["buckets", "--all-roles", "--external-id", "x"],
        ["buckets", "--all-roles", "--no-assume"],
        ["buckets", "--all-roles", "--role", "dev"],
        ["buckets", "--role", "dev", "--role", "nope"],
        ["buckets", "--role", "dev", "--role", "test", "--mfa-code", "123456"],
      ]
    ) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    }
    assert.equal(sim.stats.total, 0);
  });
});
