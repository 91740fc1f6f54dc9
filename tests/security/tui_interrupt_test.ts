/**
 * Ctrl-C at every stage of the interactive flow (profile prompt, role prompt, MFA prompt, during
 * AssumeRole, during the table) exits 130 with the terminal restored (line editing, echo, cursor),
 * and the endpoint going away mid-listing shows clear errors, quits cleanly and restores it too.
 * Real terminal (tmux), the start task's permissions, the simulator in this process.
 */
import assert from "node:assert/strict";
import { demoWorld } from "../../src/sim/demo_world.ts";
import { type Simulator, startSimulator } from "../../src/sim/server.ts";
import { makeHome, startSimProcess } from "./_child.ts";
import { startTui } from "./_tmux.ts";

type Tui = Awaited<ReturnType<typeof startTui>>;

async function assertRestored(t: Tui): Promise<void> {
  const stty = await t.stty();
  assert.match(stty, /(^|\s)icanon(\s|$)/, "line editing back on");
  assert.match(stty, /(^|\s)echo(\s|$)/, "echo back on");
  assert.equal(await t.cursorVisible(), "1", "cursor visible");
}

/** From the start, past the profile prompt (its first choice) to the role prompt. */
async function toRolePrompt(t: Tui): Promise<void> {
  await t.waitFor(/Source profile/);
  await t.keys("Enter");
  await t.waitFor(/Target role/);
}

/** From the start to the role prompt with the test role found by typing (not yet chosen). */
async function toTestRole(t: Tui): Promise<void> {
  await toRolePrompt(t);
  await t.type("test");
  await t.waitFor(/❯ {3}test/);
}

const STAGES: { stage: string; reach: (t: Tui, sim: Simulator) => Promise<void> }[] = [
  {
    stage: "the profile prompt",
    reach: async (t) => {
      await t.waitFor(/Source profile/);
    },
  },
  {
    stage: "the role prompt",
    reach: async (t) => {
      await toRolePrompt(t);
    },
  },
  {
    stage: "the MFA prompt",
    reach: async (t) => {
      await toRolePrompt(t);
      await t.type("prod");
      await t.waitFor(/❯ ● prod/);
      await t.keys("Enter");
      await t.waitFor(/MFA code for prod/);
    },
  },
  {
    stage: "AssumeRole",
    reach: async (t, sim) => {
      await toTestRole(t);
      sim.knobs.latencyMs = 3_000;
      await t.keys("Enter");
      await t.waitFor(/Assuming test/);
    },
  },
  {
    stage: "the table while regions load",
    reach: async (t, sim) => {
      await toTestRole(t);
      sim.knobs.latencyMs = 1_500;
      await t.keys("Enter");
      await t.waitFor(/role test[\s\S]*regions 0\/\d+/);
    },
  },
];

for (const { stage, reach } of STAGES) {
  Deno.test({
    name: `Ctrl-C at ${stage} exits 130 and leaves the terminal usable`,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const sim = await startSimulator({ world: demoWorld() });
      const home = await makeHome();
      const t = await startTui(home, { AWS_ENDPOINT_URL: sim.url });
      try {
        await reach(t, sim);
        await t.keys("C-c");
        assert.equal(await t.exitCode(), 130, await t.screen());
        await assertRestored(t);
        assert.match(await t.screen(), /Interrupted/);
      } finally {
        await t.close();
        sim.knobs.latencyMs = 0;
        await sim.close();
        await Deno.remove(home, { recursive: true });
      }
    },
  });
}

Deno.test({
  name: "the endpoint going away mid-listing shows a clear error per row, q quits and restores",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const sim = await startSimProcess(700);
    const home = await makeHome();
    const t = await startTui(home, { AWS_ENDPOINT_URL: sim.url });
    try {
      await toTestRole(t);
      await t.keys("Enter");
      await t.waitFor(/role test[\s\S]*regions 0\/\d+/);
      sim.kill();
      const s = await t.waitFor(/regions (\d+)\/\1/);
      assert.doesNotMatch(s, /^\s+at |Uncaught|TypeError/m, "no crash output");
      assert.match(s, /acme-test-fixtures\s+NetworkError\s/, "the row says why");
      await t.type("q");
      assert.equal(await t.exitCode(), 0, await t.screen());
      await assertRestored(t);
    } finally {
      await t.close();
      sim.kill();
      await Deno.remove(home, { recursive: true });
    }
  },
});
