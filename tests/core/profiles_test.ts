import assert from "node:assert/strict";
import {
  classifyProfiles,
  defaultProfileName,
  ENV_PROFILE_NAME,
  type ParsedAwsFiles,
  sourceChain,
} from "../../src/core/profiles.ts";
import { UsageError } from "../../src/core/errors.ts";
import type { SourceProfile } from "../../src/core/model.ts";

const ROLE_ARN = "arn:aws:iam::222222222222:role/ReadOnly";

/** The loader's output for a config + credentials pair with every kind of profile. */
const FILES: ParsedAwsFiles = {
  configFile: {
    default: { region: "eu-west-1" },
    dev: { region: "eu-central-1", output: "json" },
    prod: {
      role_arn: ROLE_ARN,
      source_profile: "dev",
      external_id: "xrole-prod",
      mfa_serial: "arn:aws:iam::111111111111:mfa/dev",
      role_session_name: "me",
      duration_seconds: "7200",
      region: "us-west-2",
    },
    "ec2-role": { role_arn: ROLE_ARN, credential_source: "Ec2InstanceMetadata" },
    orphan: { role_arn: ROLE_ARN },
    sso: { sso_session: "corp", sso_account_id: "111111111111", sso_role_name: "Dev" },
    "legacy-sso": { sso_start_url: "https://corp.awsapps.com/start", sso_region: "us-east-1" },
    proc: { credential_process: "/usr/bin/get-creds" },
    oidc: { role_arn: ROLE_ARN, web_identity_token_file: "/var/token" },
    "region-only": { region: "ap-south-1" },
    "bad-role": { role_arn: "arn:aws:iam::1:role/X", source_profile: "dev" },
    "sso-session.corp": { sso_start_url: "https://corp.awsapps.com/start" },
    "services.local": { "s3.endpoint_url": "http://127.0.0.1:4566" },
  },
  credentialsFile: {
    default: { aws_access_key_id: "AKIADEFAULT", aws_secret_access_key: "s" },
    dev: { aws_access_key_id: "AKIADEV", aws_secret_access_key: "s", region: "xx-ignored-1" },
    "creds-only": { aws_access_key_id: "AKIAONLY", aws_secret_access_key: "s" },
    "profile.misnamed": { aws_access_key_id: "AKIA", aws_secret_access_key: "s" },
  },
};

Deno.test("every profile kind is recognised across both files", () => {
  const { profiles } = classifyProfiles(FILES, {});
  const kinds = Object.fromEntries(profiles.map((p) => [p.name, p.kind]));
  assert.deepEqual(kinds, {
    "bad-role": "role",
    "creds-only": "static",
    default: "static",
    dev: "static",
    "ec2-role": "role",
    "legacy-sso": "sso",
    oidc: "web-identity",
    orphan: "role",
    proc: "process",
    prod: "role",
    "region-only": "unknown",
    sso: "sso",
  });
  assert.deepEqual(profiles.map((p) => p.name), Object.keys(kinds).sort());
});

Deno.test("a profile in both files is merged with the config file's region", () => {
  const { profiles } = classifyProfiles(FILES, {});
  const dev = profiles.find((p) => p.name === "dev");
  assert.deepEqual(dev, {
    name: "dev",
    kind: "static",
    region: "eu-central-1",
    files: ["config", "credentials"],
  });
  assert.deepEqual(profiles.find((p) => p.name === "creds-only")?.files, ["credentials"]);
  const prod = profiles.find((p) => p.name === "prod");
  assert.equal(prod?.roleArn, ROLE_ARN);
  assert.equal(prod?.sourceProfile, "dev");
  assert.equal(prod?.externalId, "xrole-prod");
  assert.equal(prod?.mfaSerial, "arn:aws:iam::111111111111:mfa/dev");
});

Deno.test("sso-session and services sections are not profiles", () => {
  const names = classifyProfiles(FILES, {}).profiles.map((p) => p.name);
  assert.ok(!names.some((n) => n.includes(".")), names.join(","));
});

Deno.test("role profiles become saved roles of the AWS config, invalid ones a warning", () => {
  const { roleProfiles, warnings } = classifyProfiles(FILES, {});
  assert.deepEqual(roleProfiles.map((r) => r.label), ["ec2-role", "orphan", "prod"]);
  assert.deepEqual(roleProfiles[2], {
    label: "prod",
    roleArn: ROLE_ARN,
    externalId: "xrole-prod",
    mfaSerial: "arn:aws:iam::111111111111:mfa/dev",
    sessionName: "me",
    durationSeconds: 7200,
    region: "us-west-2",
    sourceProfile: "dev",
    origin: "aws-config",
  });
  assert.deepEqual(warnings, [
    'The credentials file has a section [profile misnamed]: the credentials file names profiles without "profile " ([misnamed]), so it is ignored',
    'Profile "bad-role" in the AWS config is not usable as a role: Invalid role ARN "arn:aws:iam::1:role/X": account id must be 12 digits',
  ]);
});

Deno.test("environment credentials appear first, with the environment's region", () => {
  const { profiles } = classifyProfiles(FILES, {
    AWS_ACCESS_KEY_ID: "AKIAENV",
    AWS_DEFAULT_REGION: "sa-east-1",
  });
  assert.deepEqual(profiles[0], {
    name: ENV_PROFILE_NAME,
    kind: "env",
    region: "sa-east-1",
    files: [],
  });
  assert.equal(classifyProfiles(FILES, {}).profiles[0]?.name, "bad-role");
  assert.equal(
    classifyProfiles({ configFile: {}, credentialsFile: {} }, { AWS_ACCESS_KEY_ID: "" }).profiles
      .length,
    0,
  );
});

Deno.test("the preselected profile follows AWS_PROFILE, then AWS_DEFAULT_PROFILE", () => {
  assert.equal(defaultProfileName({}), "default");
  assert.equal(defaultProfileName({ AWS_DEFAULT_PROFILE: "b" }), "b");
  assert.equal(defaultProfileName({ AWS_PROFILE: "a", AWS_DEFAULT_PROFILE: "b" }), "a");
  assert.equal(defaultProfileName({ AWS_PROFILE: "" }), "default");
});

function p(
  name: string,
  sourceProfile?: string,
  kind: SourceProfile["kind"] = "role",
): SourceProfile {
  return { name, kind, files: ["config"], ...(sourceProfile ? { sourceProfile } : {}) };
}

Deno.test("source chains follow source_profile to the profile with credentials", () => {
  const { profiles } = classifyProfiles(FILES, {});
  assert.deepEqual(sourceChain(profiles, "prod").map((x) => x.name), ["prod", "dev"]);
  assert.deepEqual(sourceChain(profiles, "dev").map((x) => x.name), ["dev"]);
  const selfKeys = [p("self", "self")];
  assert.deepEqual(sourceChain(selfKeys, "self").map((x) => x.name), ["self"]);
  const map = new Map([["a", p("a", "b")], ["b", p("b", undefined, "static")]]);
  assert.deepEqual(sourceChain(map, "a").map((x) => x.name), ["a", "b"]);
});

Deno.test("source chains refuse cycles, missing sources, unknown and credential-less profiles", () => {
  const cases: [SourceProfile[], string, string][] = [
    [[p("a", "b"), p("b", "a")], "a", 'Profile "a" has a source_profile cycle: a -> b -> a'],
    [
      [p("a", "b"), p("b", "c"), p("c", "b")],
      "a",
      'Profile "a" has a source_profile cycle: a -> b -> c -> b',
    ],
    [[p("a", "ghost")], "a", 'Profile "a" has source_profile "ghost", which does not exist'],
    [[p("a")], "nope", 'Unknown profile "nope"'],
    [
      [p("a", "b"), p("b", undefined, "unknown")],
      "a",
      'Profile "b" has no credentials: expected keys, role_arn, SSO, credential_process or web identity',
    ],
  ];
  for (const [profiles, name, message] of cases) {
    assert.throws(() => sourceChain(profiles, name), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.message, message);
      return true;
    });
  }
  assert.equal(
    sourceChain([p("r", undefined, "unknown")], "r", { requireCredentials: false }).length,
    1,
  );
});

Deno.test("10,000 profiles classify and chain quickly", () => {
  const configFile: ParsedAwsFiles["configFile"] = {};
  const credentialsFile: ParsedAwsFiles["credentialsFile"] = {};
  for (let i = 0; i < 10_000; i++) {
    const name = `p${String(i).padStart(5, "0")}`;
    if (i % 2 === 0) {
      credentialsFile[name] = { aws_access_key_id: "AKIA", aws_secret_access_key: "s" };
      configFile[name] = { region: "eu-west-1" };
    } else {
      configFile[name] = {
        role_arn: `arn:aws:iam::${String(i).padStart(12, "0")}:role/R`,
        source_profile: `p${String(i - 1).padStart(5, "0")}`,
      };
    }
  }
  const start = performance.now();
  const { profiles, roleProfiles } = classifyProfiles({ configFile, credentialsFile }, {});
  const map = new Map(profiles.map((x) => [x.name, x]));
  for (const x of profiles) sourceChain(map, x.name);
  const ms = performance.now() - start;
  assert.equal(profiles.length, 10_000);
  assert.equal(roleProfiles.length, 5_000);
  assert.ok(ms < 500, `took ${ms} ms`);
});
