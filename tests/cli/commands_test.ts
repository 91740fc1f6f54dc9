import assert from "node:assert/strict";
import { DEMO, withDemo } from "./_fixture.ts";

Deno.test("assume --format env prints export lines that a shell can eval", async () => {
  await withDemo(async ({ run }) => {
    const r = await run(["assume", "--role", "dev", "--format", "env"]);
    assert.equal(r.code, 0, r.stderr);
    const vars = Object.fromEntries(
      r.stdout.trimEnd().split("\n").map((l) => {
        const m = /^export ([A-Z_]+)=(.*)$/.exec(l);
        assert.ok(m, l);
        return [m[1], m[2]];
      }),
    );
    assert.match(vars.AWS_ACCESS_KEY_ID ?? "", /^ASIA/);
    assert.ok(vars.AWS_SECRET_ACCESS_KEY);
    assert.ok(vars.AWS_SESSION_TOKEN);
    assert.equal(vars.AWS_REGION, DEMO.roles.dev.region);
    assert.ok(!Number.isNaN(Date.parse(vars.AWS_CREDENTIAL_EXPIRATION ?? "")));
  });
});

Deno.test("assume --format json, dotenv and credential-process print the assumed credentials", async () => {
  await withDemo(async ({ run }) => {
    const json = JSON.parse((await run(["assume", "--role", "dev", "--format", "json"])).stdout);
    assert.match(json.Credentials.AccessKeyId, /^ASIA/);
    assert.match(json.AssumedRoleUser.Arn, /assumed-role\/DeveloperAccess\//);
    const dotenv = (await run(["assume", "--role", "dev", "--format", "dotenv"])).stdout;
    assert.match(dotenv, /^AWS_ACCESS_KEY_ID=ASIA/m);
    assert.match(dotenv, /^AWS_SESSION_TOKEN=/m);
    const cp = await run(["credential-process", "--role", "dev"]);
    assert.equal(cp.code, 0, cp.stderr);
    const out = JSON.parse(cp.stdout);
    assert.equal(out.Version, 1);
    assert.match(out.AccessKeyId, /^ASIA/);
    assert.ok(out.SessionToken && out.SecretAccessKey && out.Expiration);
  });
});

Deno.test("assume refuses --no-assume: there would be no role credentials", async () => {
  await withDemo(async ({ run }) => {
    const r = await run(["assume", "--no-assume"]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
  });
});

Deno.test("exec passes the role's credentials to the command and its exit code back", async () => {
  await withDemo(async ({ run, dir }) => {
    const outFile = `${dir}/exec-out.txt`;
    const r = await run([
      "exec",
      "--role",
      "dev",
      "--",
      "sh",
      "-c",
      `printf '%s\\n' "$AWS_ACCESS_KEY_ID" "$AWS_REGION" "$AWS_DEFAULT_REGION" "\${AWS_PROFILE-unset}" "$AWS_CREDENTIAL_EXPIRATION" "\${#AWS_SESSION_TOKEN}" > ${outFile}; exit 7`,
    ]);
    assert.equal(r.code, 7, r.stderr);
    assert.equal(r.stdout, "");
    const [key, region, defaultRegion, profile, expiration, tokenLength] =
      (await Deno.readTextFile(outFile)).split("\n");
    assert.match(key ?? "", /^ASIA/);
    assert.equal(region, DEMO.roles.dev.region);
    assert.equal(defaultRegion, DEMO.roles.dev.region);
    assert.equal(profile, "unset", "AWS_PROFILE removed so the child uses the credentials");
    assert.ok(!Number.isNaN(Date.parse(expiration ?? "")));
    assert.ok(Number(tokenLength) > 20);
  });
});

Deno.test("exec of a command that does not exist exits 2 naming it", async () => {
  await withDemo(async ({ run }) => {
    const r = await run(["exec", "--role", "dev", "--", "xrole-no-such-command-here"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Cannot run "xrole-no-such-command-here": command not found/);
  });
});

Deno.test("whoami shows the source identity, and the assumed role with --role", async () => {
  await withDemo(async ({ run }) => {
    const source = JSON.parse((await run(["whoami"])).stdout);
    assert.equal(source.account, DEMO.sourceAccountId);
    assert.equal(source.arn, `arn:aws:iam::${DEMO.sourceAccountId}:user/${DEMO.userName}`);
    const role = await run(["whoami", "--role", "prod", "--mfa-code", DEMO.mfaCode]);
    assert.equal(role.code, 0, role.stderr);
    const id = JSON.parse(role.stdout);
    assert.equal(id.account, DEMO.roles.prod.accountId);
    assert.match(id.arn, /^arn:aws:sts::444444444444:assumed-role\/ProdReadOnly\//);
    const table = await run(["whoami", "--format", "table"]);
    assert.match(table.stdout, new RegExp(`^Account\\s+${DEMO.sourceAccountId}$`, "m"));
  });
});

Deno.test("a role needing MFA asks for the code on a terminal and uses it", async () => {
  await withDemo(async ({ env }) => {
    const { main } = await import("../../src/main.ts");
    const { fakeIo } = await import("./_fixture.ts");
    const out = { stdout: "", stderr: "" };
    const io = fakeIo(env, out, { stdinIsTerminal: true });
    // Through the in-process seam: runBuckets with an injected prompt.
    const { bucketsInput, runBuckets } = await import("../../src/cli/buckets.ts");
    const asked: string[] = [];
    const deps = {
      io,
      globals: { verbose: false, color: false },
      signal: new AbortController().signal,
      main,
      askMfaCode: (label: string) => {
        asked.push(label);
        return Promise.resolve(DEMO.mfaCode);
      },
    };
    const code = await runBuckets(await bucketsInput({ role: "prod" }, deps), deps);
    assert.equal(code, 0, out.stderr);
    assert.deepEqual(asked, ["prod"]);
    assert.ok(JSON.parse(out.stdout).length > 0);
  });
});

Deno.test("roles add, list, show and remove manage roles.ini, External IDs masked in tables", async () => {
  await withDemo(async ({ run, env }) => {
    const arn = "arn:aws:iam::555555555555:role/team/Auditor";
    const add = await run([
      "roles",
      "add",
      "audit",
      "--role-arn",
      arn,
      "--external-id",
      "secret-external-id-42",
      "--role-color",
      "blue",
      "--region",
      "eu-west-2",
    ]);
    assert.equal(add.code, 0, add.stderr);
    const file = await Deno.readTextFile(`${env.XROLE_CONFIG_DIR}/roles.ini`);
    assert.match(file, /^# roles for the CLI tests/, "comments kept");
    assert.match(file, /\[role audit\]\nrole_arn = arn:aws:iam::555555555555:role\/team\/Auditor/);
    const mode = (await Deno.stat(`${env.XROLE_CONFIG_DIR}/roles.ini`)).mode ?? 0;
    assert.equal(mode & 0o777, 0o600);

    const table = await run(["roles", "list", "--format", "table"]);
    assert.match(table.stdout, /^audit\s+555555555555\s+team\/Auditor\s+se…42\s/m);
    assert.doesNotMatch(table.stdout, /secret-external-id-42|xrole-demo-dev/);
    assert.match(table.stdout, /^cfg-dev\s.*aws config$/m);

    const listed = await run(["roles", "list", "--format", "json"]);
    const audit = JSON.parse(listed.stdout).find((r: { label: string }) => r.label === "audit");
    assert.equal(audit.externalId, "se…42", "masked in JSON too");
    assert.equal(audit.accountId, "555555555555");
    assert.doesNotMatch(listed.stdout, /secret-external-id-42/);

    const revealed = await run(["roles", "list", "--format", "json", "--reveal"]);
    const full = JSON.parse(revealed.stdout).find((r: { label: string }) => r.label === "audit");
    assert.equal(full.externalId, "secret-external-id-42", "--reveal shows it in full");

    const show = await run(["roles", "show", "audit", "--format", "table"]);
    assert.match(show.stdout, /^externalId\s+se…42$/m);

    const remove = await run(["roles", "remove", "audit"]);
    assert.equal(remove.code, 0, remove.stderr);
    const after = await Deno.readTextFile(`${env.XROLE_CONFIG_DIR}/roles.ini`);
    assert.doesNotMatch(after, /audit/);
    assert.match(after, /\[role dev\]/);

    const again = await run(["roles", "remove", "audit"]);
    assert.equal(again.code, 2);
    const config = await run(["roles", "remove", "cfg-dev"]);
    assert.equal(config.code, 2);
    assert.match(config.stderr, /AWS config: xrole never edits that file/);
  });
});

Deno.test("roles add refuses invalid values with exit 2 and leaves roles.ini unchanged", async () => {
  await withDemo(async ({ run, env }) => {
    const before = await Deno.readTextFile(`${env.XROLE_CONFIG_DIR}/roles.ini`);
    for (
      const args of [
        ["roles", "add", "x", "--role-arn", "arn:aws:iam::1:role/x"],
        ["roles", "add", "x", "--role-arn", DEMO.roles.dev.roleArn, "--role-color", "purple"],
        ["roles", "add", "x", "--role-arn", DEMO.roles.dev.roleArn, "--duration", "5"],
        ["roles", "add", "x"],
      ]
    ) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(" "));
    }
    assert.equal(await Deno.readTextFile(`${env.XROLE_CONFIG_DIR}/roles.ini`), before);
  });
});

Deno.test("profiles lists each profile with its kind and region", async () => {
  await withDemo(async ({ run }) => {
    const r = await run(["profiles", "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const byName = new Map(
      (JSON.parse(r.stdout) as { name: string; kind: string; region: string | null }[])
        .map((p) => [p.name, p]),
    );
    assert.equal(byName.get("demo")?.kind, "static");
    assert.equal(byName.get("demo")?.region, DEMO.region);
    assert.equal(byName.get("cfg-dev")?.kind, "role");
    const table = await run(["profiles", "--format", "table"]);
    assert.match(table.stdout, /^NAME\s+KIND\s+REGION/);
    assert.match(table.stdout, /^cfg-dev\s+role\s+eu-west-1\s+demo$/m);
  });
});

Deno.test("console prints the Switch Role URL of a role without an External ID, with no request", async () => {
  await withDemo(async ({ run, sim }) => {
    sim.stats.reset();
    // A saved role with an External ID gets a sign-in URL instead (tests/cli/console_signin_test.ts).
    const r = await run([
      "console",
      "--role-arn",
      DEMO.roles.prod.roleArn,
      "--display-name",
      "prod",
      "--role-color",
      "red",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const url = new URL(r.stdout.trim());
    assert.equal(url.host, "signin.aws.amazon.com");
    assert.equal(url.pathname, "/switchrole");
    assert.equal(url.searchParams.get("account"), DEMO.roles.prod.accountId);
    assert.equal(url.searchParams.get("roleName"), "ops/ProdReadOnly");
    assert.equal(url.searchParams.get("displayName"), "prod");
    assert.equal(url.searchParams.get("color"), "F2B0A9");
    assert.equal(sim.stats.total, 0);
  });
});

Deno.test("demo with a command runs it against its own simulator and temporary files", async () => {
  const { runMain } = await import("./_fixture.ts");
  const r = await runMain(["demo", "buckets", "--role", "prod", "--mfa-code", DEMO.mfaCode], {
    HOME: "/nonexistent-home-for-test",
  });
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { name: string }[];
  assert.ok(rows.some((x) => x.name === DEMO.buckets.denied));
  const dir = /temporary files in "([^"]+)"/.exec(r.stderr)?.[1];
  assert.ok(dir);
  await assert.rejects(() => Deno.stat(dir), Deno.errors.NotFound, "the demo cleaned up");
});

Deno.test("demo without a command and without a terminal lists the dev role's buckets", async () => {
  const { runMain } = await import("./_fixture.ts");
  const r = await runMain(["demo"], { HOME: "/nonexistent-home-for-test" });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /running "xrole buckets --role dev/);
  assert.match(r.stdout, /^NAME\s+REGION\s+CREATED$/m);
  assert.match(r.stdout, /acme-dev-app-assets\s+us-east-1/);
});

Deno.test("a second command reuses the cached role session: no AssumeRole and no MFA code needed", async () => {
  await withDemo(async ({ run, sim }) => {
    const first = await run(["whoami", "--role", "prod", "--mfa-code", DEMO.mfaCode]);
    assert.equal(first.code, 0, first.stderr);
    sim.stats.reset();
    const second = await run(["whoami", "--role", "prod"]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(JSON.parse(second.stdout).arn, JSON.parse(first.stdout).arn);
    assert.equal(sim.stats.requests.AssumeRole ?? 0, 0);
    const fresh = await run(["whoami", "--role", "prod", "--no-cache"]);
    assert.equal(fresh.code, 2, "--no-cache assumes again, so the MFA code is needed");
    assert.match(fresh.stderr, /needs an MFA code: pass --mfa-code/);
  });
});
