/**
 * Least privilege: xrole run by `deno run` with EXACTLY the permissions of `deno task start`
 * (deno.json) goes through every command against the simulator, with HOME pointed at a temporary
 * directory that holds .aws and .config/xrole, so the $HOME-based paths of the task apply. And the
 * sandbox is real: a file outside those directories is refused with one clear line.
 */
import assert from "node:assert/strict";
import { startSimulator } from "../../src/sim/server.ts";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { addCredentialProcessProfile } from "../_helpers/credential_process.ts";
import { taskPermissions } from "../_helpers/tasks.ts";
import { makeHome, xrole } from "./_child.ts";

const ROLE_FOR_ADD = "arn:aws:iam::222222222222:role/Added";

/** Every command, each expected to succeed with the start task's permissions. */
const COMMANDS: string[][] = [
  ["--version"],
  ["--help"],
  ["profiles"],
  ["profiles", "--format", "table"],
  ["roles", "list"],
  ["roles", "show", "prod"],
  ["roles", "add", "added", "--role-arn", ROLE_FOR_ADD, "--external-id", "added-ext-id"],
  ["roles", "remove", "added"],
  ["whoami"],
  ["whoami", "--role", "dev"],
  ["buckets", "--role", "dev"],
  ["buckets", "--role", "prod", "--mfa-code", DEMO.mfaCode, "--format", "csv"],
  ["buckets", "--role", "cfg-dev", "--format", "table", "--no-cache"],
  ["buckets", "--no-assume", "--format", "tsv"],
  ["assume", "--role", "dev"],
  ["assume", "--role", "dev", "--format", "json"],
  ["assume", "--role", "dev", "--format", "dotenv"],
  ["credential-process", "--role", "dev"],
  ["exec", "--role", "dev", "--", "true"],
  ["console", "--role", "prod"],
  ["buckets", "--all-roles", "--mfa-code", DEMO.mfaCode, "--format", "json"],
  ["ls", `s3://${DEMO.buckets.withObjects}/`, "--role", "dev"],
  ["completions", "bash"],
  ["__complete", "roles"],
  ["cache", "clear"],
];

Deno.test({
  name: "every command works with exactly the start task's permissions and HOME-based files",
  sanitizeResources: false,
  async fn(t) {
    const sim = await startSimulator({ world: demoWorld() });
    const home = await makeHome();
    try {
      for (const args of COMMANDS) {
        await t.step(`xrole ${args.join(" ")}`, async () => {
          const r = await xrole(home, args, { AWS_ENDPOINT_URL: sim.url });
          // The demo roles.ini has a role with a wrong External ID: --all-roles is partial (4).
          const expected = args.includes("--all-roles") ? 4 : 0;
          assert.equal(r.code, expected, `exit ${r.code}: ${r.stderr}`);
          assert.doesNotMatch(r.stderr, /NotCapable|Requires \w+ access|PermissionDenied/);
        });
      }
      // What the commands wrote is in xrole's own directories, private.
      const cache = `${home}/.cache/xrole`;
      assert.equal((await Deno.stat(cache)).mode! & 0o777, 0o700);
      assert.equal((await Deno.stat(`${home}/.config/xrole/roles.ini`)).mode! & 0o777, 0o600);
      // `cache clear` ran last: nothing cached is left.
      assert.deepEqual([...Deno.readDirSync(cache)], []);
    } finally {
      await sim.close();
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "with the start task's permissions, files outside ~/.aws and xrole's directories are refused in one line",
  sanitizeResources: false,
  async fn() {
    const sim = await startSimulator({ world: demoWorld() });
    const home = await makeHome();
    const outside = await Deno.makeTempDir({ prefix: "xrole-perm-outside-" });
    try {
      await Deno.copyFile(`${home}/.aws/config`, `${outside}/config`);
      const config = await xrole(home, ["profiles"], { AWS_CONFIG_FILE: `${outside}/config` });
      assert.equal(config.code, 2);
      assert.equal(config.stdout, "");
      assert.match(config.stderr, /^xrole: Cannot read AWS config file ".*\/config": .+\n$/);

      const roles = await xrole(home, ["roles", "list"], { XROLE_CONFIG_DIR: outside });
      assert.notEqual(roles.code, 0);
      assert.equal(roles.stdout, "");
      assert.match(roles.stderr, /^xrole: [^\n]+\n$/, "one line");

      // A write outside: the cache elsewhere is not written, and the command still succeeds.
      const cached = await xrole(home, ["buckets", "--role", "dev"], {
        AWS_ENDPOINT_URL: sim.url,
        XROLE_CACHE_DIR: outside,
      });
      assert.equal(cached.code, 0, cached.stderr);
      assert.deepEqual([...Deno.readDirSync(outside)].map((e) => e.name), ["config"]);
    } finally {
      await sim.close();
      await Deno.remove(home, { recursive: true });
      await Deno.remove(outside, { recursive: true });
    }
  },
});

Deno.test("deno task install gives the installed command exactly the start task's permissions", () => {
  const own = new Set(["--global", "--force", "--name", "--config"]);
  const install = taskPermissions("install", "/home/u").filter((f) => !own.has(f));
  assert.deepEqual(install, taskPermissions("start", "/home/u"));
  assert.ok(
    install.includes("--allow-read=/home/u/.aws,/home/u/.config/xrole,/home/u/.cache/xrole"),
  );
});

Deno.test("the compiled binary differs from the start task only in file access, which it cannot name", () => {
  const fs = (f: string) => /^--allow-(read|write)(=|$)/.test(f);
  const compile = taskPermissions("compile", "/home/u");
  const start = taskPermissions("start", "/home/u");
  assert.deepEqual(compile.filter((f) => !fs(f)), start.filter((f) => !fs(f)));
  assert.deepEqual(compile.filter(fs), ["--allow-read", "--allow-write"]);
});

Deno.test({
  name: "a credential_process profile works as a source with exactly the start task's permissions",
  sanitizeResources: false,
  async fn() {
    const sim = await startSimulator({ world: demoWorld() });
    const home = await makeHome();
    try {
      await addCredentialProcessProfile(home, `${home}/.aws/config`);
      const env = { AWS_ENDPOINT_URL: sim.url };
      const me = await xrole(home, ["whoami", "--profile", "proc", "--format", "json"], env);
      assert.equal(me.code, 0, me.stderr);
      assert.match(me.stdout, new RegExp(`arn:aws:iam::${DEMO.sourceAccountId}:user/dev`));
      const role = await xrole(home, ["buckets", "--profile", "proc", "--role", "dev"], env);
      assert.equal(role.code, 0, role.stderr);
      assert.ok(!(me.stdout + me.stderr + role.stderr).includes(DEMO.secretAccessKey));
    } finally {
      await sim.close();
      await Deno.remove(home, { recursive: true });
    }
  },
});
