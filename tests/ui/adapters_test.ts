import assert from "node:assert/strict";
import { realServices } from "../../src/ui/adapters.ts";

Deno.test("roles added in the interactive flow land in roles.ini under XROLE_CONFIG_DIR and can be deleted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "xrole-ui-" });
  try {
    const env = { HOME: dir, XROLE_CONFIG_DIR: `${dir}/cfg` };
    const s = realServices();
    const role = {
      label: "audit",
      roleArn: "arn:aws:iam::555555555555:role/Audit",
      externalId: "ext-123",
      origin: "xrole" as const,
    };
    await s.saveRole(env, role, false);
    const text = await Deno.readTextFile(`${dir}/cfg/roles.ini`);
    assert.match(text, /\[role audit\]/);
    assert.deepEqual((await s.loadRoles(env)).map((r) => r.label), ["audit"]);
    await assert.rejects(s.saveRole(env, role, false), /already exists/);
    await s.saveRole(env, { ...role, region: "eu-west-1" }, true);
    assert.equal((await s.loadRoles(env))[0]?.region, "eu-west-1");
    await s.deleteRole(env, "audit");
    assert.deepEqual(await s.loadRoles(env), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
