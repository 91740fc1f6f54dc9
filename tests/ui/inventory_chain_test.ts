/**
 * "★ All saved roles" (ui/browser/services.ts) assumes a role with `via` through its chain, as
 * the one-role flow does, against the simulator; a broken chain is that role's failure event.
 */
import assert from "node:assert/strict";
import type { InventoryEvent } from "../../src/aws/inventory.ts";
import type { SavedRole } from "../../src/core/model.ts";
import { demoWorld } from "../../src/sim/demo_world.ts";
import { browserServices } from "../../src/ui/browser/services.ts";
import { DEMO, withDemo } from "../cli/_fixture.ts";

const HOP_B = `arn:aws:iam::${DEMO.roles.prod.accountId}:role/ChainB`;

function world() {
  const w = demoWorld();
  w.accounts.find((a) => a.id === DEMO.roles.prod.accountId)!.roles.push({
    name: "ChainB",
    path: "/",
    trustedAccounts: [DEMO.roles.dev.accountId],
    maxSessionDuration: 43200,
  });
  return w;
}

function saved(label: string, roleArn: string, extra: Partial<SavedRole> = {}): SavedRole {
  return { label, roleArn, origin: "xrole", ...extra };
}

Deno.test("All saved roles assumes a chained role through its chain; a broken chain fails only that role", async () => {
  await withDemo(async ({ env, sim }) => {
    const dev = saved("dev", DEMO.roles.dev.roleArn, { externalId: DEMO.roles.dev.externalId });
    const hopB = saved("hop-b", HOP_B, { via: "dev" });
    const ghost = saved("ghost", HOP_B, { via: "nowhere" });
    const handle = {
      profileName: DEMO.profile,
      region: DEMO.region,
      whoami: () => Promise.reject(new Error("not needed")),
    };
    const listing = await browserServices().inventory(handle, [hopB, ghost], {
      env,
      known: [dev, hopB, ghost],
      askMfaCode: () => Promise.reject(new Error("no MFA here")),
    });
    const events: InventoryEvent[] = [];
    await listing.run(new AbortController().signal, (e) => events.push(e));
    const names = events.flatMap((e) =>
      e.type === "role-update" && e.role === "hop-b" && e.update.type === "listed"
        ? e.update.buckets.map((b) => b.name)
        : []
    ).sort();
    const prod = sim.world.accounts.find((a) => a.id === DEMO.roles.prod.accountId)!;
    assert.deepEqual(names, prod.buckets.map((b) => b.name).sort());
    const failed = events.filter((e) => e.type === "role-failed");
    assert.deepEqual(failed.map((e) => e.type === "role-failed" && [e.role, e.code]), [
      ["ghost", "UsageError"],
    ]);
    assert.equal(listing.sessionOf?.("hop-b")?.accountId, DEMO.roles.prod.accountId);
  }, { world: world() });
});
