/**
 * The early GetCallerIdentity (src/aws/early_identity.ts): sent only in the plain case, to the
 * endpoint the SDK would use, and agreeing with the SDK's answer; anything else resolves to
 * undefined so that the SDK asks.
 */
import assert from "node:assert/strict";
import {
  earlyCallerIdentity,
  earlyCredentials,
  earlyStsEndpoint,
} from "../../src/aws/early_identity.ts";
import { openSource } from "../../src/aws/session.ts";
import { ENVIRONMENT_PROFILE, type SourceSettings } from "../../src/aws/source_settings.ts";
import { getCallerIdentity } from "../../src/aws/sts.ts";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { stsClient, withSimulator } from "../_helpers/sim.ts";
import { callerIdentityOk, miniServer } from "./_mini_server.ts";

function settings(region: string, extra: Partial<SourceSettings> = {}): SourceSettings {
  return {
    profile: "dev",
    region,
    endpoints: {},
    paths: { configPath: "/nonexistent/config", credentialsPath: "/nonexistent/credentials" },
    files: {
      configFile: { dev: { region } },
      credentialsFile: { dev: { aws_access_key_id: "AKIADEV", aws_secret_access_key: "s" } },
    },
    ...extra,
  };
}

Deno.test("the early call goes where the SDK would send GetCallerIdentity, or not at all", () => {
  const cases: [SourceSettings, Record<string, string>, string | undefined][] = [
    [settings("us-east-1"), {}, "https://sts.us-east-1.amazonaws.com"],
    [settings("eu-west-1"), {}, "https://sts.eu-west-1.amazonaws.com"],
    [settings("cn-north-1"), {}, "https://sts.cn-north-1.amazonaws.com.cn"],
    [settings("us-gov-west-1"), {}, "https://sts.us-gov-west-1.amazonaws.com"],
    // A configured endpoint wins (flag, AWS_ENDPOINT_URL*, the profile's endpoint_url).
    [settings("eu-west-1", { endpoints: { sts: "http://127.0.0.1:9" } }), {}, "http://127.0.0.1:9"],
    // Not the plain case: the SDK knows these endpoints, xrole does not guess them.
    [settings("us-iso-east-1"), {}, undefined],
    [settings("aws-global"), {}, undefined],
    [settings("us-east-1"), { AWS_USE_FIPS_ENDPOINT: "true" }, undefined],
    [settings("us-east-1"), { AWS_USE_DUALSTACK_ENDPOINT: "TRUE" }, undefined],
    [
      settings("us-east-1", {
        files: { configFile: { dev: { use_fips_endpoint: "true" } }, credentialsFile: {} },
      }),
      {},
      undefined,
    ],
  ];
  for (const [s, env, expected] of cases) {
    assert.equal(earlyStsEndpoint(s, env), expected, `${s.region} ${JSON.stringify(env)}`);
  }
});

Deno.test("only static keys are used early: a profile's or the environment's", () => {
  assert.deepEqual(earlyCredentials(settings("eu-west-1"), {}), {
    accessKeyId: "AKIADEV",
    secretAccessKey: "s",
  });
  const env = { AWS_ACCESS_KEY_ID: "AKIAENV", AWS_SECRET_ACCESS_KEY: "e", AWS_SESSION_TOKEN: "t" };
  assert.deepEqual(
    earlyCredentials(settings("eu-west-1", { profile: ENVIRONMENT_PROFILE }), env),
    { accessKeyId: "AKIAENV", secretAccessKey: "e", sessionToken: "t" },
  );
  const roleProfile = settings("eu-west-1", {
    files: {
      configFile: { dev: { role_arn: "arn:aws:iam::1:role/R", source_profile: "base" } },
      credentialsFile: { base: { aws_access_key_id: "AKIABASE", aws_secret_access_key: "b" } },
    },
  });
  assert.equal(earlyCredentials(roleProfile, {}), undefined);
  // The SDK's default chain (no profile): not the plain case.
  const { profile: _, ...defaultChain } = settings("eu-west-1");
  assert.equal(earlyCredentials(defaultChain, {}), undefined);
});

Deno.test("the early answer is the SDK's answer, and a refusal or a dead endpoint is undefined", async () => {
  await withSimulator({ world: demoWorld() }, async (sim) => {
    const demo = settings("eu-west-1", {
      endpoints: { sts: sim.url },
      files: {
        configFile: {},
        credentialsFile: {
          dev: { aws_access_key_id: DEMO.accessKeyId, aws_secret_access_key: DEMO.secretAccessKey },
        },
      },
    });
    const early = await earlyCallerIdentity(demo, {});
    assert.ok(early);
    assert.deepEqual(early, await getCallerIdentity(stsClient(sim)));
    assert.equal(sim.stats.requests.GetCallerIdentity, 2);

    const wrongSecret = settings("eu-west-1", {
      endpoints: { sts: sim.url },
      files: {
        configFile: {},
        credentialsFile: {
          dev: { aws_access_key_id: DEMO.accessKeyId, aws_secret_access_key: "not-it" },
        },
      },
    });
    assert.equal(await earlyCallerIdentity(wrongSecret, {}), undefined);
  });
  const closed = settings("eu-west-1", { endpoints: { sts: "http://127.0.0.1:9" } });
  assert.equal(await earlyCallerIdentity(closed, {}), undefined);
});

Deno.test("whoami uses the early answer, and asks through the SDK when there is none", async () => {
  const server = await miniServer(() => callerIdentityOk("arn:aws:iam::111111111111:user/sdk"));
  const dir = await Deno.makeTempDir({ prefix: "xrole-early-" });
  try {
    await Deno.writeTextFile(`${dir}/config`, "");
    await Deno.writeTextFile(
      `${dir}/credentials`,
      "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = dev-secret\n",
    );
    const env = {
      AWS_CONFIG_FILE: `${dir}/config`,
      AWS_SHARED_CREDENTIALS_FILE: `${dir}/credentials`,
    };
    const known = {
      account: "111111111111",
      arn: "arn:aws:iam::111111111111:user/alice",
      userId: "AIDA",
    };
    const answered = await openSource({
      env,
      profile: "dev",
      endpointUrl: server.url,
      earlyIdentity: Promise.resolve(known),
    });
    assert.deepEqual(await answered.whoami(), known);
    assert.equal(server.requests.length, 0);
    const unanswered = await openSource({
      env,
      profile: "dev",
      endpointUrl: server.url,
      earlyIdentity: Promise.resolve(undefined),
    });
    assert.equal((await unanswered.whoami()).arn, "arn:aws:iam::111111111111:user/sdk");
    assert.equal(server.requests.length, 1);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
