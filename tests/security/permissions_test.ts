/**
 * Least privilege: xrole run by `deno run` with EXACTLY the permissions of `deno task start`
 * (deno.json) goes through every command against the simulator, with HOME pointed at a temporary
 * directory that holds .aws and .config/xrole, so the $HOME-based paths of the task apply. And the
 * sandbox is real: a file outside those directories is refused with one clear line.
 */
import assert from "node:assert/strict";
import { startSimulator } from "../../src/sim/server.ts";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { ROOT, taskPermissions } from "../_helpers/tasks.ts";
import { ROLES_INI } from "../cli/_fixture.ts";

let denoDirCache: string | undefined;
async function denoDir(): Promise<string> {
  if (denoDirCache) return denoDirCache;
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" })
    .output();
  denoDirCache = (JSON.parse(new TextDecoder().decode(out.stdout)) as { denoDir: string }).denoDir;
  return denoDirCache;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A HOME with the demo AWS files and roles.ini where a user has them. */
async function makeHome(): Promise<string> {
  const home = await Deno.makeTempDir({ prefix: "xrole-perm-home-" });
  await Deno.mkdir(`${home}/.aws`);
  await Deno.mkdir(`${home}/.config/xrole`, { recursive: true });
  await Deno.writeTextFile(
    `${home}/.aws/config`,
    `[profile ${DEMO.profile}]\nregion = ${DEMO.region}\n\n` +
      `[profile cfg-dev]\nrole_arn = ${DEMO.roles.dev.roleArn}\nsource_profile = ${DEMO.profile}\n` +
      `external_id = ${DEMO.roles.dev.externalId}\nregion = eu-west-1\n`,
  );
  await Deno.writeTextFile(
    `${home}/.aws/credentials`,
    `[${DEMO.profile}]\naws_access_key_id = ${DEMO.accessKeyId}\n` +
      `aws_secret_access_key = ${DEMO.secretAccessKey}\n`,
  );
  await Deno.writeTextFile(`${home}/.config/xrole/roles.ini`, ROLES_INI);
  return home;
}

/** `deno run <start task's permissions> src/main.ts ...args` with only `env` set. */
async function xrole(
  home: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Run> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...taskPermissions("start", home), "src/main.ts", ...args],
    cwd: ROOT,
    clearEnv: true,
    env: {
      PATH: "/usr/bin:/bin",
      HOME: home,
      DENO_DIR: await denoDir(),
      NO_COLOR: "1",
      AWS_PROFILE: DEMO.profile,
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

const ROLE_FOR_ADD = "arn:aws:iam::222222222222:role/Added";

/** Every command, each expected to succeed (exit 0) with the start task's permissions. */
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
          assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
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
