/**
 * End to end: `xrole buckets --profile ci --role dev` where the source profile is a web identity
 * profile (role_arn + web_identity_token_file, as on a CI runner), against the simulator.
 */
import assert from "node:assert/strict";
import { DEMO, withDemo } from "./_fixture.ts";
import { CI, ciToken, webIdentityWorld } from "../_helpers/web_identity.ts";
import { startSimulator } from "../../src/sim/server.ts";
import { makeHome, xrole } from "../security/_child.ts";

async function addCiProfile(dir: string, token: string): Promise<string> {
  const tokenFile = `${dir}/aws/ci-token`;
  await Deno.writeTextFile(tokenFile, token);
  const config = await Deno.readTextFile(`${dir}/aws/config`);
  await Deno.writeTextFile(
    `${dir}/aws/config`,
    `${config}\n[profile ci]\nrole_arn = ${CI.roleArn}\nweb_identity_token_file = ${tokenFile}\n` +
      "role_session_name = ci\nregion = eu-west-1\n",
  );
  return tokenFile;
}

Deno.test("buckets --profile ci (web identity) --role dev lists the dev account's buckets", async () => {
  await withDemo(async ({ sim, dir, run }) => {
    await addCiProfile(dir, ciToken());
    const r = await run(["buckets", "--profile", "ci", "--role", "dev", "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as { name: string; region: string | null }[];
    const dev = sim.world.accounts.find((a) => a.id === DEMO.roles.dev.accountId)!;
    assert.deepEqual(rows.map((x) => x.name), dev.buckets.map((b) => b.name).sort());
    assert.equal(sim.stats.requests.AssumeRoleWithWebIdentity, 1);
    assert.equal(sim.stats.requests.AssumeRole, 1);
  }, { world: webIdentityWorld() });
});

Deno.test("buckets --profile ci with an expired token fails with one line that never shows the token", async () => {
  await withDemo(async ({ dir, run }) => {
    const token = ciToken({ exp: Math.floor(Date.now() / 1000) - 60 });
    await addCiProfile(dir, token);
    const r = await run(["buckets", "--profile", "ci", "--role", "dev", "--format", "json"]);
    assert.notEqual(r.code, 0);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /ExpiredTokenException|expired/i);
    assert.ok(!r.stderr.includes(token), "the token is not printed");
    assert.ok(!r.stderr.includes(token.split(".")[1]!), "nor its payload");
  }, { world: webIdentityWorld() });
});

Deno.test({
  name:
    "with the start task's permissions a token file in ~/.aws works and one outside is refused in one clear line",
  sanitizeResources: false,
  async fn() {
    const sim = await startSimulator({ world: webIdentityWorld() });
    const home = await makeHome();
    const outside = await Deno.makeTempDir({ prefix: "xrole-webid-outside-" });
    try {
      const token = ciToken();
      const profile = (file: string) =>
        `\n[profile ci]\nrole_arn = ${CI.roleArn}\nweb_identity_token_file = ${file}\n` +
        "role_session_name = ci\n";
      const config = await Deno.readTextFile(`${home}/.aws/config`);
      const env = { AWS_ENDPOINT_URL: sim.url };
      // --no-cache: the second run must resolve the source again, not reuse the first session.
      const args = [
        "buckets",
        "--profile",
        "ci",
        "--role",
        "dev",
        "--format",
        "json",
        "--no-cache",
      ];

      await Deno.writeTextFile(`${home}/.aws/ci-token`, token);
      await Deno.writeTextFile(`${home}/.aws/config`, config + profile(`${home}/.aws/ci-token`));
      const inside = await xrole(home, args, env);
      assert.equal(inside.code, 0, inside.stderr);
      assert.ok((JSON.parse(inside.stdout) as unknown[]).length > 0);

      await Deno.writeTextFile(`${outside}/token`, token);
      await Deno.writeTextFile(`${home}/.aws/config`, config + profile(`${outside}/token`));
      const refused = await xrole(home, args, env);
      assert.equal(refused.code, 2, refused.stderr);
      assert.equal(refused.stdout, "");
      assert.equal(
        refused.stderr,
        `xrole: Profile "ci": web_identity_token_file ${outside}/token is outside xrole's read ` +
          `permission: allow it with --allow-read=${outside}/token\n`,
      );
      assert.ok(!(inside.stderr + refused.stderr).includes(token));
    } finally {
      await sim.close();
      await Deno.remove(home, { recursive: true });
      await Deno.remove(outside, { recursive: true });
    }
  },
});
