/**
 * Secrets never leak: every command and the interactive flow run against the simulator with
 * known secret values (the demo secret key, the issued secret keys and session tokens, the MFA
 * codes, the External IDs), and none of them appears in anything xrole wrote — stdout, stderr,
 * --verbose logs, the terminal (every byte of it, in tmux), the roles file — except where the
 * user asked: `assume`/`credential-process` stdout, the cache files, and External IDs in
 * `roles … --format json` and in roles.ini (where the user saved them).
 */
import assert from "node:assert/strict";
import { redactSecrets } from "../../src/core/errors.ts";
import { demoWorld } from "../../src/sim/demo_world.ts";
import { startSimulator } from "../../src/sim/server.ts";
import { DEMO, type Recorded, withDemo } from "../cli/_fixture.ts";
import { makeHome } from "./_child.ts";
import { startTui } from "./_tmux.ts";

const TOKEN_PREFIX = "IQoJb3JpZ2luX2VjE";
const WRONG_MFA = "654321";
const EXTERNAL_IDS = Object.values(DEMO.roles).map((r) => r.externalId);

/** Credentials that must never be shown: secret keys, tokens, MFA codes. */
const ALWAYS_SECRET = [DEMO.secretAccessKey, TOKEN_PREFIX, DEMO.mfaCode, WRONG_MFA];

function assertNone(text: string, secrets: readonly string[], where: string): void {
  for (const s of secrets) {
    assert.ok(!text.includes(s), `${JSON.stringify(s.slice(0, 12))}… appears in ${where}`);
  }
}

const COMMANDS: string[][] = [
  ["buckets", "--role", "dev"],
  ["buckets", "--role", "prod", "--mfa-code", DEMO.mfaCode, "--format", "table"],
  ["buckets", "--role", "prod", "--mfa-code", DEMO.mfaCode, "--format", "csv", "--no-cache"],
  ["buckets", "--role", "test", "--format", "tsv"],
  ["buckets", "--role", "cfg-dev"],
  ["buckets", "--no-assume"],
  ["buckets", "--role-arn", DEMO.roles.dev.roleArn, "--external-id", DEMO.roles.dev.externalId],
  ["whoami"],
  ["whoami", "--role", "prod", "--mfa-code", DEMO.mfaCode, "--format", "json"],
  ["exec", "--role", "prod", "--mfa-code", DEMO.mfaCode, "--", "true"],
  ["exec", "--role", "dev", "--", "false"],
  ["roles", "list", "--format", "table"],
  ["roles", "show", "prod", "--format", "table"],
  ["roles", "add", "extra", "--role-arn", DEMO.roles.test.roleArn, "--external-id", "xrole-x9"],
  ["roles", "remove", "extra"],
  ["profiles"],
  ["profiles", "--format", "table"],
  ["console", "--role", "prod"],
  ["console", "--role", "dev"],
  ["cache", "clear"],
  // Failures print errors: still nothing secret in them.
  ["buckets", "--role", "wrong-id"],
  ["buckets", "--profile", "bad-secret", "--role", "dev"],
  ["buckets", "--role", "prod", "--mfa-code", WRONG_MFA],
  ["buckets", "--role", "prod", "--mfa-code", "12345x"],
  ["assume", "--role", "prod", "--mfa-code", WRONG_MFA],
  ["buckets", "--role-arn", DEMO.roles.dev.roleArn, "--external-id", "bad id!"],
  ["buckets", "--role", "dev", "--endpoint-url", "http://AKIA:secret@127.0.0.1:1"],
];

/** Commands whose stdout holds credentials because the user asked for them. */
const ASKED: string[][] = [
  ["assume", "--role", "dev"],
  ["assume", "--role", "prod", "--mfa-code", DEMO.mfaCode, "--format", "json"],
  ["assume", "--role", "test", "--format", "dotenv"],
  ["credential-process", "--role", "dev"],
];

async function cacheSecrets(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const entry = JSON.parse(await Deno.readTextFile(`${dir}/${e.name}`));
    found.push(entry.session.credentials.secretAccessKey, entry.session.credentials.sessionToken);
  }
  return found;
}

Deno.test("no command prints a secret key, session token, MFA code or External ID unless asked, even with --verbose", async () => {
  await withDemo(async ({ run, env, dir }) => {
    const outputs: { what: string; r: Recorded }[] = [];
    // Issued credentials: what `assume` printed (on purpose) and what the cache holds.
    const issued: string[] = [];
    for (const args of ASKED) {
      const r = await run(args);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.includes(TOKEN_PREFIX), "assume does print the token it was asked for");
      issued.push(...(r.stdout.match(/IQoJb3JpZ2luX2VjE[A-Za-z0-9/+=]+/g) ?? []));
      issued.push(
        ...(r.stdout.match(/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g) ?? []),
      );
      outputs.push({ what: `${args.join(" ")} (stderr)`, r: { ...r, stdout: "" } });
    }
    for (const args of COMMANDS) {
      for (const verbose of [[], ["--verbose"]]) {
        outputs.push({
          what: [...args, ...verbose].join(" "),
          r: await run([...args, ...verbose]),
        });
        try {
          issued.push(...await cacheSecrets(env.XROLE_CACHE_DIR!));
        } catch {
          // no cache yet
        }
      }
    }
    const secrets = [...new Set([...ALWAYS_SECRET, ...issued])];
    assert.ok(secrets.length > 8, "issued credentials were collected");
    for (const { what, r } of outputs) {
      assertNone(r.stdout + r.stderr, secrets, what);
      assertNone(r.stderr, EXTERNAL_IDS, `${what} (stderr)`);
      assertNone(r.stdout, EXTERNAL_IDS, `${what} (stdout)`);
      // `console` prints a sign-in URL on purpose: its SigninToken is the point of the command.
      const shown = what.startsWith("console ") ? r.stderr : r.stdout + r.stderr;
      assert.equal(redactSecrets(shown), shown, `secret-shaped text in ${what}`);
    }
    // Files xrole wrote outside its cache: roles.ini (External IDs are saved there on purpose).
    for await (const e of Deno.readDir(env.XROLE_CONFIG_DIR!)) {
      assert.equal(e.name, "roles.ini", "no lock or temp file left");
      assertNone(await Deno.readTextFile(`${env.XROLE_CONFIG_DIR}/${e.name}`), secrets, e.name);
    }
    // External IDs in full only where asked: roles list --reveal.
    const json = await run(["roles", "list", "--format", "json"]);
    assertNone(json.stdout, [...secrets, ...EXTERNAL_IDS], "roles list --format json");
    const revealed = await run(["roles", "list", "--format", "json", "--reveal"]);
    assertNone(revealed.stdout, secrets, "roles list --reveal");
    assert.ok(revealed.stdout.includes(DEMO.roles.prod.externalId));
    assert.ok(dir);
  });
});

// The interactive flow in a real terminal (tmux), with the start task's permissions.
Deno.test({
  name:
    "the interactive flow (wrong then right MFA code, two roles) never shows a secret on the terminal",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const sim = await startSimulator({ world: demoWorld() });
    const home = await makeHome();
    const rolesBefore = await Deno.readTextFile(`${home}/.config/xrole/roles.ini`);
    const t = await startTui(home, { AWS_ENDPOINT_URL: sim.url });
    try {
      await t.waitFor(/Source profile[\s\S]*❯ demo/);
      await t.keys("Enter");
      await t.waitFor(/Target role/);
      await t.type("prod");
      await t.waitFor(/❯ ● prod/);
      await t.keys("Enter");
      await t.waitFor(/MFA code for prod/);
      await t.type(WRONG_MFA);
      await t.keys("Enter");
      await t.waitFor(/MultiFactorAuthentication failed[\s\S]*Target role/);
      await t.type("prod");
      await t.waitFor(/❯ ● prod/);
      await t.keys("Enter");
      await t.waitFor(/MFA code for prod/);
      await t.type(DEMO.mfaCode);
      await t.keys("Enter");
      await t.waitFor(/regions 16\/16/);
      await t.type("b");
      await t.waitFor(/\? Target role/);
      for (let i = 0; i < 12 && !/❯ ● dev/.test(await t.screen()); i++) await t.keys("Down");
      await t.waitFor(/Target role[\s\S]*❯ ● dev/);
      await t.keys("Enter");
      await t.waitFor(/role dev[\s\S]*regions (\d+)\/\1/);
      await t.type("q");
      assert.equal(await t.exitCode(), 0);
      await t.waitFor(/xrole buckets --profile demo --role dev/);

      const all = await t.everything();
      assert.match(all, /acme-prod-tokyo-edge/, "the recording holds the table");
      assertNone(all, [...ALWAYS_SECRET, ...EXTERNAL_IDS], "the terminal");
      assert.equal(redactSecrets(all), all, "secret-shaped text on the terminal");
      assert.match(all, /external id xr…od/, "External IDs are shown masked");
      assert.equal(await Deno.readTextFile(`${home}/.config/xrole/roles.ini`), rolesBefore);
    } finally {
      await t.close();
      await sim.close();
      await Deno.remove(home, { recursive: true });
    }
  },
});
