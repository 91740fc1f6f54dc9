/**
 * The chain loop shared by the CLI and the TUI, against the simulator: prod (MFA) → a role in
 * the test account that trusts only prod. The code is asked once, every step is cached, a
 * second run costs no request, and `refresh` assumes only the last role again.
 */
import assert from "node:assert/strict";
import { assumeChain } from "../../src/aws/assume_chain.ts";
import { openSource } from "../../src/aws/session.ts";
import { InterruptedError } from "../../src/core/errors.ts";
import type { SavedRole } from "../../src/core/model.ts";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { type Simulator, startSimulator } from "../../src/sim/server.ts";
import type { World } from "../../src/sim/world.ts";
import { writeDemoFiles } from "../cli/_fixture.ts";

const HOP = `arn:aws:iam::${DEMO.roles.test.accountId}:role/FromProd`;

function world(): World {
  const w = demoWorld();
  w.accounts.find((a) => a.id === DEMO.roles.test.accountId)!.roles.push({
    name: "FromProd",
    path: "/",
    trustedAccounts: [DEMO.roles.prod.accountId],
    maxSessionDuration: 3600,
  });
  return w;
}

const PROD: SavedRole = {
  label: "prod",
  roleArn: DEMO.roles.prod.roleArn,
  externalId: DEMO.roles.prod.externalId,
  mfaSerial: DEMO.mfaSerial,
  region: DEMO.roles.prod.region,
  origin: "xrole",
};
const HOP_ROLE: SavedRole = { label: "hop", roleArn: HOP, via: "prod", origin: "xrole" };

async function withSource(
  fn: (
    sim: Simulator,
    open: () => ReturnType<typeof openSource>,
    cacheDir: string,
  ) => Promise<void>,
) {
  const sim = await startSimulator({ world: world() });
  const dir = await Deno.makeTempDir({ prefix: "xrole-chain-" });
  try {
    const env = await writeDemoFiles(dir, sim.url);
    await fn(sim, () => openSource({ env, profile: "demo" }), `${dir}/cache`);
  } finally {
    await sim.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a chain through an MFA role asks the code once, and a second run reuses both cached steps", async () => {
  await withSource(async (sim, open, cacheDir) => {
    const asked: string[] = [];
    const askMfaCode = (role: SavedRole) => {
      asked.push(role.label);
      return Promise.resolve(DEMO.mfaCode);
    };
    const first = await assumeChain(await open(), [PROD, HOP_ROLE], { cacheDir, askMfaCode });
    assert.equal(first.cached, false);
    assert.equal(first.session.accountId, DEMO.roles.test.accountId);
    assert.match(first.session.assumedRoleArn, /assumed-role\/FromProd\//);
    assert.deepEqual(asked, ["prod"]);
    assert.equal(sim.stats.requests["AssumeRole"], 2);

    const again = await assumeChain(await open(), [PROD, HOP_ROLE], { cacheDir, askMfaCode });
    assert.equal(again.cached, true);
    assert.equal(again.session.credentials.accessKeyId, first.session.credentials.accessKeyId);
    assert.deepEqual(asked, ["prod"], "no second code");
    assert.equal(sim.stats.requests["AssumeRole"], 2, "no request at all");
  });
});

Deno.test("refresh assumes the last role again while the earlier ones stay cached", async () => {
  await withSource(async (sim, open, cacheDir) => {
    const askMfaCode = () => Promise.resolve(DEMO.mfaCode);
    const first = await assumeChain(await open(), [PROD, HOP_ROLE], { cacheDir, askMfaCode });
    let asked = 0;
    const renewed = await assumeChain(await open(), [PROD, HOP_ROLE], {
      cacheDir,
      refresh: true,
      askMfaCode: () => {
        asked++;
        return Promise.resolve(DEMO.mfaCode);
      },
    });
    assert.equal(renewed.cached, false);
    assert.notEqual(renewed.session.credentials.accessKeyId, first.session.credentials.accessKeyId);
    assert.equal(asked, 0, "prod came from the cache: no MFA code");
    assert.equal(sim.stats.requests["AssumeRole"], 3);
    // The renewed session replaced the refused one in the cache.
    const next = await assumeChain(await open(), [PROD, HOP_ROLE], { cacheDir, askMfaCode });
    assert.equal(next.session.credentials.accessKeyId, renewed.session.credentials.accessKeyId);
  });
});

Deno.test("without a cache directory every run assumes every role and asks the code", async () => {
  await withSource(async (sim, open) => {
    let asked = 0;
    const askMfaCode = () => {
      asked++;
      return Promise.resolve(DEMO.mfaCode);
    };
    await assumeChain(await open(), [PROD, HOP_ROLE], { askMfaCode });
    const second = await assumeChain(await open(), [PROD, HOP_ROLE], { askMfaCode });
    assert.equal(second.cached, false);
    assert.equal(asked, 2);
    assert.equal(sim.stats.requests["AssumeRole"], 4);
  });
});

Deno.test("an aborted signal stops the chain before the next AssumeRole", async () => {
  await withSource(async (sim, open, cacheDir) => {
    const controller = new AbortController();
    await assert.rejects(
      assumeChain(await open(), [PROD, HOP_ROLE], {
        cacheDir,
        signal: controller.signal,
        askMfaCode: () => {
          controller.abort();
          return Promise.resolve(DEMO.mfaCode);
        },
      }),
      InterruptedError,
    );
    assert.equal(sim.stats.requests["AssumeRole"] ?? 0, 0);
  });
});
