/**
 * The interactive flow survives credentials that expire mid-session: with the real services
 * against the simulator (its clock moved past the session's expiry while the table opens), a role
 * without MFA is assumed again silently, and a role with MFA asks for a new code after "b".
 * Prompts and the table are scripted; everything else is real.
 */
import assert from "node:assert/strict";
import type { Env } from "../../src/core/env.ts";
import type { Io } from "../../src/core/io.ts";
import type { RowUpdate } from "../../src/core/model.ts";
import { demoWorld } from "../../src/sim/demo_world.ts";
import { type Simulator, startSimulator } from "../../src/sim/server.ts";
import { realServices } from "../../src/ui/adapters.ts";
import { type AppServices, runFlow } from "../../src/ui/app.ts";
import type { Choice, Prompts } from "../../src/ui/prompts.ts";
import type { TableExit } from "../../src/ui/table/prompt.ts";
import { DEMO, writeDemoFiles } from "../cli/_fixture.ts";

type Answer = { pick: string } | { secret: string };

interface Table {
  updates: RowUpdate[];
  /** The new expiry the table heard of after a silent renewal. */
  renewedUntil?: Date;
  failure?: string;
}

async function withFlow(
  fn: (sim: Simulator, env: Env, io: Io, err: () => string) => Promise<void>,
): Promise<void> {
  const sim = await startSimulator({ world: demoWorld() });
  const dir = await Deno.makeTempDir({ prefix: "xrole-tui-faults-" });
  try {
    const env = { ...await writeDemoFiles(dir, sim.url), NO_COLOR: "1" };
    let stderr = "";
    const io: Io = {
      env,
      stdout: () => {},
      stderr: (t) => {
        stderr += t;
      },
      stdinIsTerminal: true,
      stdoutIsTerminal: true,
      columns: () => 100,
      now: () => new Date(),
    };
    await fn(sim, env, io, () => stderr);
  } finally {
    await sim.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Services: real AWS and files, scripted prompts, a table that collects what its source emits. */
function services(
  script: Answer[],
  exits: TableExit[],
  beforeTable: (n: number) => void,
) {
  const asked: string[] = [];
  const tables: Table[] = [];
  const next = (kind: string, message: string) => {
    asked.push(`${kind}: ${message}`);
    const a = script.shift();
    if (!a) throw new Error(`unexpected prompt "${message}"`);
    return a;
  };
  const prompts: Prompts = {
    chooseOne<T>(message: string, choices: readonly Choice<T>[]) {
      const a = next("choose", message);
      if (!("pick" in a)) throw new Error(`expected a pick for "${message}"`);
      const found = choices.find((c) => c.name.includes(a.pick));
      if (!found) throw new Error(`no "${a.pick}" in ${choices.map((c) => c.name).join(" | ")}`);
      return Promise.resolve(found.value);
    },
    ask: (message) => Promise.reject(new Error(`unexpected question "${message}"`)),
    askSecret(message) {
      const a = next("secret", message);
      if (!("secret" in a)) throw new Error(`expected a secret for "${message}"`);
      return Promise.resolve(a.secret);
    },
    confirm: (message) => Promise.reject(new Error(`unexpected confirm "${message}"`)),
  };
  const all: AppServices = {
    ...realServices(),
    prompts,
    async runTable(opts) {
      beforeTable(tables.length);
      const table: Table = { updates: [] };
      tables.push(table);
      try {
        await opts.source(new AbortController().signal, (u) => {
          if (u.type === "renewed") table.renewedUntil = u.expiresAt;
          else if (u.type !== "role-update" && u.type !== "role-failed") table.updates.push(u);
        });
      } catch (err) {
        table.failure = err instanceof Error ? err.message : String(err);
      }
      const exit = exits.shift();
      if (!exit) throw new Error("unexpected table");
      return exit;
    },
    onInterrupt: () => () => {},
    spinnerMs: 0,
  };
  return { services: all, asked, tables };
}

/** Moves the simulator's clock two hours ahead: every session issued before is expired. */
function expireEverything(sim: Simulator): void {
  const skew = 2 * 3600_000;
  sim.knobs.now = () => new Date(Date.now() + skew);
}

const resolved = (t: Table) =>
  t.updates.filter((u) => u.type === "region").map((u) => (u as { name: string }).name);

Deno.test("credentials expiring while the table opens: a role without MFA is assumed again silently", async () => {
  await withFlow(async (sim, _env, io) => {
    const s = services(
      [{ pick: "demo" }, { pick: "● dev " }],
      ["quit"],
      () => expireEverything(sim),
    );
    assert.equal(await runFlow(io, {}, s.services), 0);
    const [table] = s.tables;
    assert.equal(table?.failure, undefined);
    assert.equal(sim.stats.requests.AssumeRole, 2, "assumed again once");
    assert.ok(table?.renewedUntil, "the header hears of the renewed session's expiry");
    assert.ok(table!.updates.some((u) => u.type === "done"));
    const listed = table!.updates.find((u) => u.type === "listed");
    assert.ok(listed && listed.type === "listed");
    // Every bucket ends with its region, none with ExpiredToken left over.
    assert.deepEqual(new Set(resolved(table!)), new Set(listed.buckets.map((b) => b.name)));
  });
});

Deno.test("credentials expiring while the table opens: an MFA role says so, and b asks for a new code", async () => {
  await withFlow(async (sim, _env, io, stderr) => {
    const s = services(
      [{ pick: "demo" }, { pick: "● prod " }, { secret: DEMO.mfaCode }, { secret: DEMO.mfaCode }],
      ["back", "quit"],
      (n) => {
        if (n === 0) expireEverything(sim);
      },
    );
    assert.equal(await runFlow(io, {}, s.services), 0);
    const [first, second] = s.tables;
    assert.equal(
      first?.failure,
      'The credentials of "prod" expired: press b to assume it again with a new MFA code',
    );
    assert.equal(second?.failure, undefined);
    assert.ok(resolved(second!).length > 0);
    // Straight from the table to the MFA prompt of the same role (no role list in between).
    assert.deepEqual(s.asked.slice(2), [
      `secret: MFA code for prod (${DEMO.mfaSerial})`,
      `secret: MFA code for prod (${DEMO.mfaSerial})`,
    ]);
    assert.equal(sim.stats.requests.AssumeRole, 2);
    assert.ok(!stderr().includes(DEMO.mfaCode));
  });
});
