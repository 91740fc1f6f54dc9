/**
 * A credential_process source for tests: a shell script that prints the demo user's keys, and a
 * `[profile proc]` using it.
 */
import { DEMO } from "../../src/sim/demo_world.ts";

/**
 * Writes `dir/creds.sh` (prints the demo user's keys as credential_process JSON) and appends
 * `[profile proc]` (region eu-west-1, credential_process = that script) to `configFile`.
 */
export async function addCredentialProcessProfile(dir: string, configFile: string): Promise<void> {
  const script = `${dir}/creds.sh`;
  await Deno.writeTextFile(
    script,
    `#!/bin/sh\nprintf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}' ` +
      `'${DEMO.accessKeyId}' '${DEMO.secretAccessKey}'\n`,
  );
  await Deno.chmod(script, 0o755);
  await Deno.writeTextFile(
    configFile,
    `\n[profile proc]\nregion = eu-west-1\ncredential_process = ${script}\n`,
    { append: true },
  );
}
