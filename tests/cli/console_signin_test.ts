/**
 * `xrole console` for roles the console cannot Switch Role to: the role is assumed and a
 * federated sign-in URL printed, which the simulated federation endpoint accepts (302 to the
 * destination, signed in as the role). The token never reaches stderr.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { browserCommand, openInBrowser } from "../../src/cli/console.ts";
import { DEMO, withDemo } from "./_fixture.ts";

const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

/** Follows the login URL once; returns where the console would open and as whom. */
async function login(url: string): Promise<{ status: number; location: string; as: string }> {
  const res = await fetch(url, { redirect: "manual" });
  await res.body?.cancel();
  return {
    status: res.status,
    location: res.headers.get("location") ?? "",
    as: res.headers.get("x-sim-signed-in-as") ?? "",
  };
}

Deno.test("a role with an External ID gets a sign-in URL that opens its S3 console", async () => {
  await withDemo(async ({ run, sim }) => {
    const r = await run(["console", "--role", "dev", "--session-name", "from-console"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    const url = r.stdout.trim();
    assert.ok(url.startsWith(`${sim.url}/federation?Action=login&`), url);
    const l = await login(url);
    assert.equal(l.status, 302);
    assert.equal(l.location, "https://console.aws.amazon.com/s3/home?region=eu-west-1");
    assert.equal(
      l.as,
      `arn:aws:sts::${DEMO.roles.dev.accountId}:assumed-role/${DEMO.roles.dev.roleName}/from-console`,
    );
  });
});

Deno.test("--destination picks the console page the sign-in opens", async () => {
  await withDemo(async ({ run }) => {
    const destination = "https://console.aws.amazon.com/cloudwatch/home?region=us-east-1";
    const r = await run(["console", "--role", "test", "--destination", destination]);
    assert.equal(r.code, 0, r.stderr);
    const l = await login(r.stdout.trim());
    assert.equal(l.location, destination);
    assert.match(l.as, /:assumed-role\/TesterAccess\//);
  });
});

Deno.test("a role ARN signs in with --signin and its External ID; without the ID it is denied", async () => {
  await withDemo(async ({ run }) => {
    const base = ["console", "--role-arn", DEMO.roles.dev.roleArn, "--signin"];
    const denied = await run(base);
    assert.equal(denied.code, 3, denied.stderr);
    assert.equal(denied.stdout, "");
    assert.match(denied.stderr, /^xrole: AssumeRole failed: AccessDenied/);
    const ok = await run([...base, "--external-id", DEMO.roles.dev.externalId]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((await login(ok.stdout.trim())).status, 302);
  });
});

Deno.test("a role that needs MFA signs in with the code, and says which flag is missing without", async () => {
  await withDemo(async ({ run }) => {
    const missing = await run(["console", "--role", "prod", "--no-cache"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--mfa-code/);
    const r = await run(["console", "--role", "prod", "--mfa-code", DEMO.mfaCode, "--no-cache"]);
    assert.equal(r.code, 0, r.stderr);
    const l = await login(r.stdout.trim());
    assert.equal(l.location, "https://console.aws.amazon.com/s3/home?region=eu-central-1");
    assert.match(l.as, /:assumed-role\/ProdReadOnly\//);
  });
});

Deno.test("--verbose logs the sign-in request but never the token or the credentials", async () => {
  await withDemo(async ({ run }) => {
    const r = await run(["console", "--role", "dev", "--verbose", "--no-cache"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /GetSigninToken POST .*\/federation/);
    const token = new URL(r.stdout.trim()).searchParams.get("SigninToken") ?? "";
    assert.ok(token.length > 50);
    assert.ok(!r.stderr.includes(token), "the sign-in token must not be logged");
    assert.ok(!r.stderr.includes(DEMO.secretAccessKey));
    assert.doesNotMatch(r.stderr, /sessionToken|SigninToken=/);
  });
});

Deno.test("a bad destination or --no-assume is a usage error before any request", async () => {
  await withDemo(async ({ run, sim }) => {
    const bad = await run(["console", "--role", "dev", "--destination", "http://evil.example"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Invalid destination "http:\/\/evil\.example"/);
    const none = await run(["console", "--no-assume"]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--no-assume/);
    assert.equal(sim.stats.total, 0);
  });
});

Deno.test("a role without an External ID still gets the Switch Role URL with no request", async () => {
  await withDemo(async ({ run, sim, env }) => {
    await Deno.writeTextFile(
      `${env.XROLE_CONFIG_DIR}/roles.ini`,
      `\n[role plain]\nrole_arn = ${DEMO.roles.test.roleArn}\n`,
      { append: true },
    );
    const r = await run(["console", "--role", "plain"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^https:\/\/signin\.aws\.amazon\.com\/switchrole\?account=333333333333&/,
    );
    assert.equal(sim.stats.total, 0);
  });
});

Deno.test("each OS opens URLs with its own opener, with the URL as one argument", async () => {
  const url = "https://x.example/f?a=1&b=2";
  assert.deepEqual(browserCommand("linux", url), ["xdg-open", [url]]);
  assert.deepEqual(browserCommand("darwin", url), ["open", [url]]);
  assert.deepEqual(browserCommand("windows", url), [
    "rundll32",
    ["url.dll,FileProtocolHandler", url],
  ]);
  const calls: string[][] = [];
  const opened = await openInBrowser(url, {
    os: "linux",
    run: (cmd, args) => {
      calls.push([cmd, ...args]);
      return Promise.resolve(false);
    },
  });
  assert.equal(opened, false);
  assert.deepEqual(calls, [["xdg-open", url]]);
});

Deno.test("--open hands the sign-in URL to the browser opener, and prints it when none works", async () => {
  await withDemo(async ({ env, dir }) => {
    const bin = `${dir}/bin`;
    await Deno.mkdir(bin);
    const opener = `${bin}/xdg-open`;
    const childEnv = Object.fromEntries(
      Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const runChild = async (exitCode: number) => {
      await Deno.writeTextFile(
        opener,
        `#!/bin/sh\nprintf '%s' "$1" > "${dir}/opened"\nexit ${exitCode}\n`,
      );
      await Deno.chmod(opener, 0o755);
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--no-prompt",
          "--allow-read",
          "--allow-write",
          "--allow-env",
          "--allow-net=127.0.0.1",
          "--allow-run",
          "--allow-sys",
          MAIN,
          "console",
          "--role",
          "dev",
          "--open",
        ],
        env: {
          ...childEnv,
          PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
          DENO_NO_UPDATE_CHECK: "1",
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      return {
        code: out.code,
        stdout: new TextDecoder().decode(out.stdout),
        stderr: new TextDecoder().decode(out.stderr),
        opened: await Deno.readTextFile(`${dir}/opened`),
      };
    };
    const ok = await runChild(0);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, "");
    assert.match(ok.stderr, /Opened the console in your browser/);
    assert.equal((await login(ok.opened)).status, 302);

    const failed = await runChild(3);
    assert.equal(failed.code, 0, failed.stderr);
    assert.match(failed.stderr, /No browser could be opened/);
    assert.equal(failed.stdout.trim(), failed.opened);
  });
});
