import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { AWS_CLI as AWS } from "../interop/_bed.ts";
import { DEMO, withDemo } from "./_fixture.ts";

const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

async function hasAwsCli(): Promise<boolean> {
  try {
    return (await Deno.stat(AWS)).isFile;
  } catch {
    return false;
  }
}

Deno.test({
  name: "the real AWS CLI accepts credential-process output and acts as the assumed role",
  ignore: !(await hasAwsCli()),
  fn: async () => {
    await withDemo(async ({ sim, env, dir }) => {
      const perms = "--allow-read --allow-write --allow-env --allow-net=127.0.0.1 --allow-sys";
      await Deno.writeTextFile(
        env.AWS_CONFIG_FILE!,
        `\n[profile via-xrole]\nregion = eu-west-1\ncredential_process = ${Deno.execPath()} run --no-prompt ${perms} ${MAIN} credential-process --role dev\n`,
        { append: true },
      );
      const childEnv = Object.fromEntries(
        Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
      );
      const out = await new Deno.Command(AWS, {
        args: [
          "sts",
          "get-caller-identity",
          "--profile",
          "via-xrole",
          "--endpoint-url",
          sim.url,
          "--output",
          "json",
        ],
        env: { ...childEnv, HOME: dir, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, stderr);
      const id = JSON.parse(new TextDecoder().decode(out.stdout));
      assert.equal(id.Account, DEMO.roles.dev.accountId);
      assert.match(id.Arn, /^arn:aws:sts::222222222222:assumed-role\/DeveloperAccess\//);
    });
  },
});
