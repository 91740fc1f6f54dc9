/**
 * Web identity sources (CI runners on EKS or GitHub OIDC) resolved by `sourceCredentials` through
 * the SDK's own providers (fromIni → fromTokenFile → STS AssumeRoleWithWebIdentity) against the
 * simulator: a profile with `web_identity_token_file`, and the environment form of the default
 * chain (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE).
 */
import assert from "node:assert/strict";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { sourceCredentials } from "../../src/aws/source.ts";
import { AwsError, UsageError } from "../../src/core/errors.ts";
import { DEMO } from "../../src/sim/demo_world.ts";
import { stsClient, withSimulator } from "../_helpers/sim.ts";
import { CI, ciToken, webIdentityWorld } from "../_helpers/web_identity.ts";

async function ciFiles(token: string, roleArn: string = CI.roleArn) {
  const dir = await Deno.makeTempDir({ prefix: "xrole-webid-" });
  const tokenFile = `${dir}/token`;
  await Deno.writeTextFile(tokenFile, token);
  const configPath = `${dir}/config`;
  const credentialsPath = `${dir}/credentials`;
  await Deno.writeTextFile(
    configPath,
    `[profile ci]\nrole_arn = ${roleArn}\nweb_identity_token_file = ${tokenFile}\n` +
      "role_session_name = ci\nregion = eu-west-1\n",
  );
  await Deno.writeTextFile(credentialsPath, "");
  return { dir, tokenFile, configPath, credentialsPath };
}

Deno.test("a web identity profile gets the role's credentials from AssumeRoleWithWebIdentity", async () => {
  await withSimulator({ world: webIdentityWorld() }, async (sim) => {
    const files = await ciFiles(ciToken());
    try {
      const provider = sourceCredentials({
        profile: "ci",
        env: {},
        configPath: files.configPath,
        credentialsPath: files.credentialsPath,
        endpoint: sim.url,
        region: "eu-west-1",
      });
      const creds = await provider();
      assert.match(creds.accessKeyId, /^ASIA/);
      assert.ok(creds.sessionToken);
      assert.ok(creds.expiration && creds.expiration.getTime() > Date.now());
      assert.equal(sim.stats.requests.AssumeRoleWithWebIdentity, 1);
      const id = await stsClient(sim, {
        accessKeyId: creds.accessKeyId,
        secretAccessKey: creds.secretAccessKey,
        sessionToken: creds.sessionToken!,
      }).send(new GetCallerIdentityCommand({}));
      assert.equal(id.Arn, `arn:aws:sts::${DEMO.sourceAccountId}:assumed-role/${CI.roleName}/ci`);
      // Memoised like every source: no second exchange of the token.
      await provider();
      assert.equal(sim.stats.requests.AssumeRoleWithWebIdentity, 1);
    } finally {
      await Deno.remove(files.dir, { recursive: true });
    }
  });
});

Deno.test("a refused web identity token is an AWS error that never quotes the token", async () => {
  await withSimulator({ world: webIdentityWorld() }, async (sim) => {
    const expired = ciToken({ exp: Math.floor(Date.now() / 1000) - 60 });
    const untrusted = ciToken({ sub: "repo:evil/infra:ref:refs/heads/main" });
    for (const [token, code] of [[expired, "ExpiredTokenException"], [untrusted, "AccessDenied"]]) {
      const files = await ciFiles(token!);
      try {
        const err = await sourceCredentials({
          profile: "ci",
          env: {},
          configPath: files.configPath,
          credentialsPath: files.credentialsPath,
          endpoint: sim.url,
        })().catch((e) => e);
        assert.ok(err instanceof AwsError, String(err));
        assert.equal(err.code, code);
        assert.ok(!err.message.includes(token!), "the token is not in the message");
      } finally {
        await Deno.remove(files.dir, { recursive: true });
      }
    }
  });
});

Deno.test("a missing web_identity_token_file is a usage error naming the profile", async () => {
  await withSimulator({ world: webIdentityWorld() }, async (sim) => {
    const files = await ciFiles(ciToken());
    await Deno.remove(files.tokenFile);
    try {
      const err = await sourceCredentials({
        profile: "ci",
        env: {},
        configPath: files.configPath,
        credentialsPath: files.credentialsPath,
        endpoint: sim.url,
      })().catch((e) => e);
      assert.ok(err instanceof UsageError, String(err));
      assert.equal(
        err.message,
        `Profile "ci": web_identity_token_file ${files.tokenFile} does not exist`,
      );
      assert.equal(sim.stats.requests.AssumeRoleWithWebIdentity ?? 0, 0);
    } finally {
      await Deno.remove(files.dir, { recursive: true });
    }
  });
});

/** Set process environment variables for `fn` (the SDK's chain reads the process's), restore. */
async function withProcessEnv(vars: Record<string, string>, fn: () => Promise<void>) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, Deno.env.get(k)]));
  for (const [k, v] of Object.entries(vars)) Deno.env.set(k, v);
  try {
    await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) Deno.env.delete(k);
      else Deno.env.set(k, v);
    }
  }
}

Deno.test("the default chain's environment form (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE) gets the role's credentials", async () => {
  await withSimulator({ world: webIdentityWorld() }, async (sim) => {
    const files = await ciFiles(ciToken());
    const env = {
      AWS_ROLE_ARN: CI.roleArn,
      AWS_WEB_IDENTITY_TOKEN_FILE: files.tokenFile,
      AWS_ROLE_SESSION_NAME: "gha",
      // Keep the chain's other providers off this machine's own AWS files.
      AWS_CONFIG_FILE: files.configPath,
      AWS_SHARED_CREDENTIALS_FILE: files.credentialsPath,
      AWS_EC2_METADATA_DISABLED: "true",
    };
    try {
      // The SDK's chain reads the process environment, so it must hold these too; xrole's own
      // Env gets the same (as main.ts would build it).
      await withProcessEnv(env, async () => {
        const creds = await sourceCredentials({
          env,
          configPath: files.configPath,
          credentialsPath: files.credentialsPath,
          endpoint: sim.url,
          region: "eu-west-1",
        })();
        assert.match(creds.accessKeyId, /^ASIA/);
        const id = await stsClient(sim, {
          accessKeyId: creds.accessKeyId,
          secretAccessKey: creds.secretAccessKey,
          sessionToken: creds.sessionToken!,
        }).send(new GetCallerIdentityCommand({}));
        assert.equal(
          id.Arn,
          `arn:aws:sts::${DEMO.sourceAccountId}:assumed-role/${CI.roleName}/gha`,
        );
      });
    } finally {
      await Deno.remove(files.dir, { recursive: true });
    }
  });
});
