import assert from "node:assert/strict";
import {
  awsFilePaths,
  resolveEndpoint,
  sourceSettings,
  staticKeys,
} from "../../src/aws/source_settings.ts";
import { UsageError } from "../../src/core/errors.ts";

Deno.test("the AWS files default to ~/.aws unless AWS_CONFIG_FILE and friends say otherwise", () => {
  assert.deepEqual(awsFilePaths({ HOME: "/home/u" }), {
    configPath: "/home/u/.aws/config",
    credentialsPath: "/home/u/.aws/credentials",
  });
  assert.deepEqual(
    awsFilePaths({ HOME: "/home/u", AWS_CONFIG_FILE: "/c", AWS_SHARED_CREDENTIALS_FILE: "/k" }),
    { configPath: "/c", credentialsPath: "/k" },
  );
});

Deno.test("the endpoint flag beats the per-service variable, which beats the global one and the profile", () => {
  const env = {
    AWS_ENDPOINT_URL: "http://global:1",
    AWS_ENDPOINT_URL_STS: "http://sts-only:2",
    AWS_ENDPOINT_URL_S3: "http://s3-only:3",
  };
  assert.equal(resolveEndpoint(env, "sts", "http://flag:9", "http://profile:4"), "http://flag:9");
  assert.equal(resolveEndpoint(env, "sts", undefined, "http://profile:4"), "http://sts-only:2");
  assert.equal(resolveEndpoint(env, "s3", undefined, "http://profile:4"), "http://s3-only:3");
  assert.equal(
    resolveEndpoint({ AWS_ENDPOINT_URL: "http://global:1" }, "s3", undefined, "http://profile:4"),
    "http://global:1",
  );
  assert.equal(resolveEndpoint({}, "s3", undefined, "http://profile:4"), "http://profile:4");
  assert.equal(resolveEndpoint({}, "sts"), undefined);
});

Deno.test("keys are static only when the SDK would use them: both keys and no role_arn", () => {
  const keys = { aws_access_key_id: "AKIA1", aws_secret_access_key: "s" };
  assert.deepEqual(staticKeys(keys), { accessKeyId: "AKIA1", secretAccessKey: "s" });
  assert.equal(staticKeys({ aws_access_key_id: "AKIA1" }), undefined);
  assert.equal(staticKeys({ aws_secret_access_key: "s" }), undefined);
  // A role in the profile itself comes first in the SDK's order: the role is assumed.
  assert.equal(
    staticKeys({ ...keys, role_arn: "arn:aws:iam::1:role/R", source_profile: "dev" }),
    undefined,
  );
});

Deno.test("settings name the profile, region and endpoints without loading an SDK client", async () => {
  const dir = await Deno.makeTempDir({ prefix: "xrole-settings-" });
  try {
    await Deno.writeTextFile(`${dir}/config`, "[profile dev]\nregion = ap-south-1\n");
    await Deno.writeTextFile(
      `${dir}/credentials`,
      "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s\n",
    );
    const env = {
      AWS_CONFIG_FILE: `${dir}/config`,
      AWS_SHARED_CREDENTIALS_FILE: `${dir}/credentials`,
    };
    const dev = await sourceSettings({ env, profile: "dev" });
    assert.deepEqual([dev.profile, dev.region, dev.endpoints], ["dev", "ap-south-1", {}]);
    // No profile named: "default" when the files have one; the flag's endpoint for both services.
    const plain = await sourceSettings({ env, endpointUrl: "http://127.0.0.1:1" });
    assert.deepEqual([plain.profile, plain.region, plain.endpoints], [
      "default",
      "us-east-1",
      { sts: "http://127.0.0.1:1", s3: "http://127.0.0.1:1" },
    ]);
    // Environment credentials: no profile, no files read.
    const fromEnv = await sourceSettings({ env: { ...env, AWS_ACCESS_KEY_ID: "AKIAENV" } });
    assert.equal(fromEnv.files, undefined);
    await assert.rejects(
      sourceSettings({ env, profile: "nope" }),
      (e) => e instanceof UsageError && e.message === 'Unknown profile "nope"',
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
