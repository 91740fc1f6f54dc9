import assert from "node:assert/strict";
import {
  type InventoryEvent,
  type InventoryServices,
  prepareInventory,
  runInventory,
} from "../../src/aws/inventory.ts";
import { AwsError, InterruptedError, UsageError } from "../../src/core/errors.ts";
import type { AssumedSession, SavedRole } from "../../src/core/model.ts";

const SERIAL = "arn:aws:iam::111111111111:mfa/me";

function role(label: string, account: string, mfa = false): SavedRole {
  return {
    label,
    roleArn: `arn:aws:iam::${account}:role/R`,
    origin: "xrole",
    ...(mfa ? { mfaSerial: SERIAL } : {}),
  };
}

function session(account: string): AssumedSession {
  return {
    credentials: {
      accessKeyId: "ASIA",
      secretAccessKey: "s",
      sessionToken: "t",
      expiration: new Date(Date.now() + 3600_000),
    },
    assumedRoleArn: `arn:aws:sts::${account}:assumed-role/R/x`,
    assumedRoleId: "id",
    accountId: account,
    roleArn: `arn:aws:iam::${account}:role/R`,
    sessionName: "x",
    region: "eu-west-1",
  };
}

function fakes(overrides: Partial<InventoryServices> = {}) {
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const services: InventoryServices = {
    cached: () => Promise.resolve(undefined),
    mfaCode: (d) => {
      log.push(`code ${d.profile ?? "-"} ${d.roles.join(",")}`);
      return Promise.resolve("123456");
    },
    mfaSession: (profile) => {
      log.push(`session ${profile ?? "-"}`);
      return Promise.resolve({ accessKeyId: "ASIAMFA", secretAccessKey: "s", sessionToken: "t" });
    },
    assume: (item, mfa) => {
      log.push(`assume ${item.role.label}${mfa ? " via mfa" : ""}`);
      return Promise.resolve(session(item.role.roleArn.split(":")[4]!));
    },
    listBuckets: async (item, _s, _signal, emit) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      emit({ type: "listed", buckets: [{ name: `${item.role.label}-bucket` }] });
      emit({ type: "done" });
      inFlight--;
    },
    ...overrides,
  };
  return { services, log, maxInFlight: () => maxInFlight };
}

Deno.test("MFA is asked once per source profile and device, and only for roles without a cached session", async () => {
  const f = fakes({
    cached: (item) =>
      Promise.resolve(item.role.label === "c" ? session("333333333333") : undefined),
  });
  const prepared = await prepareInventory([
    { role: role("a", "222222222222", true), profile: "p1" },
    { role: role("b", "222222222223", true), profile: "p1" },
    { role: role("c", "333333333333", true), profile: "p1" },
    { role: role("d", "444444444444", true), profile: "p2" },
    { role: role("e", "555555555555"), profile: "p1" },
  ], f.services);
  assert.deepEqual(f.log, ["code p1 a,b", "session p1", "code p2 d", "session p2"]);
  assert.ok(prepared[2]!.cached, "c is cached");
  assert.equal(prepared[2]!.mfaSession, undefined);
  assert.ok(prepared[0]!.mfaSession && prepared[1]!.mfaSession && prepared[3]!.mfaSession);
  assert.equal(prepared[4]!.mfaSession, undefined, "a role without MFA needs no session");
});

Deno.test("a refused MFA code fails that device's roles only; a question nobody can answer stops everything", async () => {
  const f = fakes({
    mfaSession: () => Promise.reject(new AwsError("GetSessionToken", "AccessDenied", "bad code")),
  });
  const prepared = await prepareInventory([
    { role: role("a", "222222222222", true) },
    { role: role("e", "555555555555") },
  ], f.services);
  assert.equal(prepared[0]!.failure?.code, "AccessDenied");
  assert.equal(prepared[0]!.failure?.exitCode, 3);
  assert.equal(prepared[1]!.failure, undefined);

  const noTerminal = fakes({ mfaCode: () => Promise.reject(new UsageError("pass --mfa-code")) });
  await assert.rejects(
    prepareInventory([{ role: role("a", "222222222222", true) }], noTerminal.services),
    UsageError,
  );
});

Deno.test("roles run a few at a time, each update tagged with its role and account; a failure is one event", async () => {
  const f = fakes({
    assume: (item) =>
      item.role.label === "r3"
        ? Promise.reject(new AwsError("AssumeRole", "AccessDenied", "nope"))
        : Promise.resolve(session(item.role.roleArn.split(":")[4]!)),
  });
  const roles = Array.from({ length: 10 }, (_, i) => role(`r${i}`, String(200000000000 + i)));
  const prepared = await prepareInventory(roles.map((r) => ({ role: r })), f.services);
  const events: InventoryEvent[] = [];
  const summary = await runInventory(
    prepared,
    f.services,
    { concurrency: 3 },
    (e) => events.push(e),
  );
  assert.ok(f.maxInFlight() <= 3, `at most 3 at once, saw ${f.maxInFlight()}`);
  assert.ok(f.maxInFlight() >= 2, "and really concurrent");
  assert.equal(summary.roles, 10);
  assert.deepEqual(summary.failed.map((x) => [x.role, x.account, x.failure.code]), [
    ["r3", "200000000003", "AccessDenied"],
  ]);
  const failed = events.filter((e) => e.type === "role-failed");
  assert.equal(failed.length, 1);
  const listed = events.filter((e) => e.type === "role-update" && e.update.type === "listed");
  assert.equal(listed.length, 9);
  for (const e of listed) {
    assert.ok(e.type === "role-update");
    assert.equal(e.account, String(200000000000 + Number(e.role.slice(1))));
  }
});

Deno.test("aborting the combined listing rejects with InterruptedError and starts no more roles", async () => {
  const controller = new AbortController();
  const f = fakes({
    listBuckets: (_item, _s, signal) =>
      new Promise((_, reject) => {
        signal.addEventListener("abort", () => reject(new InterruptedError()), { once: true });
      }),
  });
  const roles = Array.from(
    { length: 6 },
    (_, i) => ({ role: role(`r${i}`, String(300000000000 + i)) }),
  );
  const prepared = await prepareInventory(roles, f.services);
  const run = runInventory(
    prepared,
    f.services,
    { concurrency: 2, signal: controller.signal },
    () => {},
  );
  await new Promise((r) => setTimeout(r, 10));
  controller.abort();
  await assert.rejects(run, InterruptedError);
  assert.equal(f.log.filter((l) => l.startsWith("assume")).length, 2);
});

Deno.test("a chained role's MFA device is its chain's first role naming one, asked once with the others on it", async () => {
  const cachedAsked: string[] = [];
  const f = fakes({
    cached: (item) => {
      cachedAsked.push(item.role.label);
      return Promise.resolve(undefined);
    },
  });
  const hub = role("hub", "222222222222", true);
  const plain = role("plain", "666666666666");
  const prepared = await prepareInventory([
    // deep is assumed through hub, whose device is where AWS checks MFA.
    {
      role: role("deep", "444444444444"),
      chain: [hub, role("deep", "444444444444")],
      profile: "p1",
    },
    { role: role("direct", "555555555555", true), profile: "p1" },
    // A chain without any device needs no code.
    { role: role("free", "777777777777"), chain: [plain, role("free", "777777777777")] },
    {
      role: role("loop", "888888888888"),
      error: new UsageError('Role chain has a cycle (via): "loop" → "x" → "loop"'),
    },
  ], f.services);
  assert.deepEqual(f.log, ["code p1 deep,direct", "session p1"]);
  assert.ok(prepared[0]!.mfaSession && prepared[1]!.mfaSession);
  assert.equal(prepared[2]!.mfaSession, undefined);
  assert.equal(prepared[3]!.failure?.code, "UsageError");
  assert.equal(prepared[3]!.failure?.exitCode, 2);
  assert.match(prepared[3]!.failure!.message, /cycle/);
  assert.deepEqual(cachedAsked, ["deep", "direct", "free"], "a broken chain is not looked up");
});

Deno.test("a chained role is assumed with its chain and the MFA session; a broken chain is one failure, never assumed", async () => {
  const assumed: { label: string; chain?: string[]; mfa: boolean }[] = [];
  const f = fakes({
    assume: (item, mfa) => {
      assumed.push({
        label: item.role.label,
        ...(item.chain ? { chain: item.chain.map((r) => r.label) } : {}),
        mfa: mfa !== undefined,
      });
      return Promise.resolve(session(item.role.roleArn.split(":")[4]!));
    },
  });
  const hub = role("hub", "222222222222", true);
  const prepared = await prepareInventory([
    { role: role("deep", "444444444444"), chain: [hub, role("deep", "444444444444")] },
    { role: role("ghost", "999999999999"), error: new UsageError("names via nowhere") },
    { role: role("plain", "666666666666") },
  ], f.services);
  const events: InventoryEvent[] = [];
  const summary = await runInventory(
    prepared,
    f.services,
    { concurrency: 1 },
    (e) => events.push(e),
  );
  assert.deepEqual(assumed, [
    { label: "deep", chain: ["hub", "deep"], mfa: true },
    { label: "plain", mfa: false },
  ]);
  assert.deepEqual(summary.failed.map((x) => [x.role, x.account, x.failure.code]), [
    ["ghost", "999999999999", "UsageError"],
  ]);
  const listed = events.filter((e) => e.type === "role-update" && e.update.type === "listed");
  assert.deepEqual(listed.map((e) => e.type === "role-update" && [e.role, e.account]), [
    ["deep", "444444444444"],
    ["plain", "666666666666"],
  ]);
});
