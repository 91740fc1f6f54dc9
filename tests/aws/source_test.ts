import assert from "node:assert/strict";
import { ENVIRONMENT_PROFILE, memoize, sourceCredentials } from "../../src/aws/source.ts";
import { readAwsFiles } from "../../src/aws/source_settings.ts";
import { UsageError } from "../../src/core/errors.ts";
import { assumeRoleOk, miniServer } from "./_mini_server.ts";

async function awsFiles(config: string, credentials: string) {
  const dir = await Deno.makeTempDir({ prefix: "xrole-aws-" });
  const configPath = `${dir}/config`;
  const credentialsPath = `${dir}/credentials`;
  await Deno.writeTextFile(configPath, config);
  await Deno.writeTextFile(credentialsPath, credentials);
  return { dir, configPath, credentialsPath };
}

const FILES = {
  config: "[profile dev]\nregion = eu-west-1\n\n[profile empty]\nregion = us-west-2\n",
  credentials: "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = dev-secret\n",
};

Deno.test("a static profile's keys come from the given files, not ~/.aws", async () => {
  const files = await awsFiles(FILES.config, FILES.credentials);
  try {
    const provider = sourceCredentials({ profile: "dev", env: {}, ...files });
    const creds = await provider();
    assert.equal(creds.accessKeyId, "AKIADEV");
    assert.equal(creds.secretAccessKey, "dev-secret");
  } finally {
    await Deno.remove(files.dir, { recursive: true });
  }
});

Deno.test("static keys come from the files as already read, without reading them again", async () => {
  const files = await awsFiles(
    "[profile dev]\naws_access_key_id = AKIACONFIG\nregion = eu-west-1\n",
    "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = dev-secret\n" +
      "aws_session_token = dev-token\n",
  );
  const read = await readAwsFiles(files);
  // Gone from disk: only the files handed over can answer.
  await Deno.remove(files.dir, { recursive: true });
  const provider = sourceCredentials({ profile: "dev", env: {}, ...files, files: read });
  // The credentials file wins over the config file, as in the SDK.
  assert.deepEqual(await provider(), {
    accessKeyId: "AKIADEV",
    secretAccessKey: "dev-secret",
    sessionToken: "dev-token",
  });
});

Deno.test("an unknown profile is a usage error naming it", async () => {
  const files = await awsFiles(FILES.config, FILES.credentials);
  try {
    const provider = sourceCredentials({ profile: "nope", env: {}, ...files });
    const err = await provider().catch((e) => e);
    assert.ok(err instanceof UsageError);
    assert.equal(err.message, 'Unknown profile "nope"');
  } finally {
    await Deno.remove(files.dir, { recursive: true });
  }
});

Deno.test("a profile without credentials is a usage error saying so", async () => {
  const files = await awsFiles(FILES.config, FILES.credentials);
  try {
    const provider = sourceCredentials({ profile: "empty", env: {}, ...files });
    const err = await provider().catch((e) => e);
    assert.ok(err instanceof UsageError);
    assert.equal(err.message, 'Profile "empty" has no credentials');
  } finally {
    await Deno.remove(files.dir, { recursive: true });
  }
});

Deno.test("environment credentials come from the passed environment, not the process", async () => {
  const env = {
    AWS_ACCESS_KEY_ID: "AKIAFROMENV",
    AWS_SECRET_ACCESS_KEY: "env-secret",
    AWS_SESSION_TOKEN: "env-token",
    AWS_CREDENTIAL_EXPIRATION: "2099-05-06T07:08:09Z",
  };
  for (const profile of [undefined, ENVIRONMENT_PROFILE]) {
    const provider = sourceCredentials({
      ...(profile ? { profile } : {}),
      env,
      configPath: "/nonexistent/config",
      credentialsPath: "/nonexistent/credentials",
    });
    const creds = await provider();
    assert.equal(creds.accessKeyId, "AKIAFROMENV");
    assert.equal(creds.sessionToken, "env-token");
    assert.equal(creds.expiration?.toISOString(), "2099-05-06T07:08:09.000Z");
  }
});

Deno.test("environment credentials without a secret are refused clearly", async () => {
  const provider = sourceCredentials({
    profile: ENVIRONMENT_PROFILE,
    env: { AWS_ACCESS_KEY_ID: "AKIAONLY" },
    configPath: "/nonexistent/config",
    credentialsPath: "/nonexistent/credentials",
  });
  await assert.rejects(provider(), UsageError);
});

Deno.test("a role profile assumes its role through the SDK, at the configured endpoint, with its External ID", async () => {
  const server = await miniServer(() =>
    assumeRoleOk({ id: "ASIAROLE", secret: "role-secret", token: "role-token" })
  );
  const files = await awsFiles(
    "[profile prod]\nrole_arn = arn:aws:iam::333333333333:role/Admin\n" +
      "source_profile = dev\nexternal_id = prod-ext-1\nrole_session_name = me\n",
    FILES.credentials,
  );
  try {
    const provider = sourceCredentials({
      profile: "prod",
      env: {},
      ...files,
      endpoint: server.url,
      region: "eu-west-1",
    });
    const creds = await provider();
    assert.equal(creds.accessKeyId, "ASIAROLE");
    assert.equal(creds.sessionToken, "role-token");
    assert.equal(server.requests.length, 1);
    const form = new URLSearchParams(server.requests[0]!.body);
    assert.equal(form.get("Action"), "AssumeRole");
    assert.equal(form.get("RoleArn"), "arn:aws:iam::333333333333:role/Admin");
    assert.equal(form.get("ExternalId"), "prod-ext-1");
    assert.match(server.requests[0]!.headers.get("authorization") ?? "", /Credential=AKIADEV\//);
    // Memoised: a second call does not assume again.
    await provider();
    assert.equal(server.requests.length, 1);
  } finally {
    await server.close();
    await Deno.remove(files.dir, { recursive: true });
  }
});

Deno.test("credentials are reused until five minutes before they expire", async () => {
  let clock = 0;
  let calls = 0;
  const provider = memoize(() => {
    calls++;
    return Promise.resolve({
      accessKeyId: `K${calls}`,
      secretAccessKey: "s",
      expiration: new Date(60 * 60_000),
    });
  }, () => clock);
  assert.equal((await provider()).accessKeyId, "K1");
  clock = 54 * 60_000;
  assert.equal((await provider()).accessKeyId, "K1");
  clock = 56 * 60_000;
  assert.equal((await provider()).accessKeyId, "K2");
});

Deno.test("a failed resolution is not remembered", async () => {
  let calls = 0;
  const provider = memoize(() => {
    calls++;
    return calls === 1
      ? Promise.reject(new Error("first fails"))
      : Promise.resolve({ accessKeyId: "K", secretAccessKey: "s" });
  });
  await assert.rejects(provider(), /first fails/);
  assert.equal((await provider()).accessKeyId, "K");
});
