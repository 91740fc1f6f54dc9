import assert from "node:assert/strict";
import { join } from "node:path";
import { droppedSectionWarnings, loadAwsProfiles } from "../../src/config/aws_files.ts";
import { UsageError } from "../../src/core/errors.ts";

async function tempHome(files: Record<string, string>): Promise<string> {
  const home = await Deno.makeTempDir({ prefix: "xrole-aws-" });
  await Deno.mkdir(join(home, ".aws"));
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(join(home, ".aws", name), text);
  }
  return home;
}

const CONFIG = `[default]
region = eu-west-1

[profile dev]
region = eu-central-1

[profile prod]
role_arn = arn:aws:iam::222222222222:role/ReadOnly
source_profile = dev
external_id = xrole-prod

[profile sso]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Dev

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[services local]
s3 =
  endpoint_url = http://127.0.0.1:9000

[profile with spaces]
region = us-east-1

[orphan]
region = us-east-1
`;

const CREDENTIALS = `[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = secret

[dev]
aws_access_key_id = AKIADEV
aws_secret_access_key = secret
`;

Deno.test("profiles load from ~/.aws with kinds, regions and role profiles", async () => {
  const home = await tempHome({ config: CONFIG, credentials: CREDENTIALS });
  try {
    const out = await loadAwsProfiles({ HOME: home });
    assert.deepEqual(out.paths, {
      config: join(home, ".aws", "config"),
      credentials: join(home, ".aws", "credentials"),
    });
    assert.deepEqual(
      out.profiles.map((p) => `${p.name}:${p.kind}:${p.region ?? "-"}`),
      ["default:static:eu-west-1", "dev:static:eu-central-1", "prod:role:-", "sso:sso:-"],
    );
    assert.deepEqual(out.roleProfiles.map((r) => [r.label, r.externalId, r.origin]), [
      ["prod", "xrole-prod", "aws-config"],
    ]);
    const config = out.paths.config;
    assert.deepEqual(out.warnings, [
      `Section [profile with spaces] in "${config}" line 25 is ignored by AWS tools: names may only contain letters, digits and -_@+.%:/ (no spaces)`,
      `Section [orphan] in "${config}" line 28 is ignored by AWS tools: in the config file, profiles are named [profile orphan]`,
    ]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE replace the default files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "xrole-aws-" });
  try {
    await Deno.writeTextFile(join(dir, "cfg"), "[profile only]\ncredential_process = /bin/true\n");
    await Deno.writeTextFile(
      join(dir, "creds"),
      "[k]\naws_access_key_id=A\naws_secret_access_key=B\n",
    );
    const out = await loadAwsProfiles({
      HOME: "/nonexistent-home",
      AWS_CONFIG_FILE: join(dir, "cfg"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "creds"),
    });
    assert.deepEqual(out.profiles.map((p) => `${p.name}:${p.kind}`), ["k:static", "only:process"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("missing files mean no profiles, and environment credentials still show", async () => {
  const home = await Deno.makeTempDir({ prefix: "xrole-aws-" });
  try {
    const out = await loadAwsProfiles({ HOME: home, AWS_ACCESS_KEY_ID: "AKIAENV" });
    assert.deepEqual(out.profiles.map((p) => p.name), ["(environment)"]);
    assert.deepEqual(out.warnings, []);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("a directory where the config file should be is a one-line usage error", async () => {
  const home = await tempHome({});
  await Deno.mkdir(join(home, ".aws", "config"));
  try {
    await assert.rejects(loadAwsProfiles({ HOME: home }), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(
        e.message,
        `Cannot read AWS config file "${join(home, ".aws", "config")}": it is a directory`,
      );
      return true;
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test({
  name: "an unreadable credentials file is a one-line usage error",
  ignore: Deno.uid() === 0, // root reads any file whatever its mode
  fn: async () => {
    const home = await tempHome({ credentials: CREDENTIALS });
    const path = join(home, ".aws", "credentials");
    await Deno.chmod(path, 0o000);
    try {
      await assert.rejects(loadAwsProfiles({ HOME: home }), {
        name: "UsageError",
        message: `Cannot read AWS credentials file "${path}": permission denied`,
      });
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test("a file Deno may not read is a one-line usage error naming it", async () => {
  const home = await tempHome({ config: CONFIG, credentials: CREDENTIALS });
  try {
    const config = join(home, ".aws", "config");
    const { stdout, code } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        `--allow-read=${config}`,
        "--allow-env",
        "--allow-sys",
        new URL("./_load_profiles_child.ts", import.meta.url).pathname,
        home,
      ],
      stdout: "piped",
      stderr: "null",
    }).output();
    assert.equal(code, 0);
    assert.equal(
      new TextDecoder().decode(stdout),
      `UsageError: Cannot read AWS credentials file "${
        join(home, ".aws", "credentials")
      }": not allowed by Deno's --allow-read/--allow-write permissions\n`,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("binary garbage, BOM and CRLF files load without crashing", async () => {
  const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
  const home = await tempHome({
    config: "\uFEFF[profile crlf]\r\nregion = eu-west-1\r\ncredential_process = x\r\n",
  });
  await Deno.writeFile(join(home, ".aws", "credentials"), garbage);
  try {
    const out = await loadAwsProfiles({ HOME: home });
    assert.ok(out.profiles.some((p) => p.name === "crlf" && p.kind === "process"));
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("a 10,000-profile config loads in well under a second", async () => {
  const config: string[] = [];
  const credentials: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const name = `p${i}`;
    if (i % 2 === 0) {
      config.push(`[profile ${name}]`, "region = eu-west-1", "");
      credentials.push(`[${name}]`, "aws_access_key_id = AKIA", "aws_secret_access_key = s", "");
    } else {
      config.push(
        `[profile ${name}]`,
        `role_arn = arn:aws:iam::${String(i).padStart(12, "0")}:role/R`,
        `source_profile = p${i - 1}`,
        "",
      );
    }
  }
  const home = await tempHome({ config: config.join("\n"), credentials: credentials.join("\n") });
  try {
    const start = performance.now();
    const out = await loadAwsProfiles({ HOME: home });
    const ms = performance.now() - start;
    assert.equal(out.profiles.length, 10_000);
    assert.equal(out.roleProfiles.length, 5_000);
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("sections the SDK drops are named with their line", () => {
  const text =
    '[default]\n[profile ok]\n[profile "quoted"]\n[sso-session s]\n[ profile x]\n[foo bar]\n';
  assert.deepEqual(droppedSectionWarnings(text, "cfg"), [
    'Section [ profile x] in "cfg" line 5 is ignored by AWS tools: names may only contain letters, digits and -_@+.%:/ (no spaces)',
    'Section [foo bar] in "cfg" line 6 is ignored by AWS tools: unknown section type "foo"',
  ]);
});
