/**
 * Test fixture for the CLI: a simulator with the demo world, temporary AWS files and roles.ini,
 * an Env pointing at them (never the real HOME), and `run(args)` calling main in-process with a
 * fake Io that records stdout and stderr.
 */
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { type Simulator, type SimulatorOptions, startSimulator } from "../../src/sim/server.ts";
import type { Env } from "../../src/core/env.ts";
import type { Io } from "../../src/core/io.ts";
import { main } from "../../src/main.ts";

export interface Recorded {
  code: number;
  stdout: string;
  stderr: string;
}

export interface IoOptions {
  stdinIsTerminal?: boolean;
  stdoutIsTerminal?: boolean;
  columns?: number | null;
}

/** A fake Io over `env` that appends to `out`. */
export function fakeIo(env: Env, out: { stdout: string; stderr: string }, o: IoOptions = {}): Io {
  return {
    env,
    stdout: (t) => {
      out.stdout += t;
    },
    stderr: (t) => {
      out.stderr += t;
    },
    stdinIsTerminal: o.stdinIsTerminal ?? false,
    stdoutIsTerminal: o.stdoutIsTerminal ?? false,
    columns: () => o.columns ?? null,
    now: () => new Date(),
  };
}

/** Runs main in-process. */
export async function runMain(
  args: string[],
  env: Env,
  o: IoOptions & { signal?: AbortSignal } = {},
): Promise<Recorded> {
  const out = { stdout: "", stderr: "" };
  const code = await main(args, fakeIo(env, out, o), o.signal ? { signal: o.signal } : {});
  return { code, ...out };
}

export const ROLES_INI = `# roles for the CLI tests
[role dev]
role_arn = ${DEMO.roles.dev.roleArn}
external_id = ${DEMO.roles.dev.externalId}
region = ${DEMO.roles.dev.region}
color = green

[role test]
role_arn = ${DEMO.roles.test.roleArn}
external_id = ${DEMO.roles.test.externalId}
region = ${DEMO.roles.test.region}

[role prod]
role_arn = ${DEMO.roles.prod.roleArn}
external_id = ${DEMO.roles.prod.externalId}
mfa_serial = ${DEMO.mfaSerial}
region = ${DEMO.roles.prod.region}
color = red

[role wrong-id]
role_arn = ${DEMO.roles.dev.roleArn}
external_id = not-the-right-id
`;

export interface Demo {
  sim: Simulator;
  dir: string;
  env: Env;
  run(args: string[], o?: IoOptions & { signal?: AbortSignal; env?: Env }): Promise<Recorded>;
}

/** Writes the demo AWS files and roles.ini into `dir`; returns the Env that uses them. */
export async function writeDemoFiles(dir: string, endpoint: string): Promise<Env> {
  await Deno.mkdir(`${dir}/aws`, { recursive: true });
  await Deno.mkdir(`${dir}/xrole`, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/aws/config`,
    `[profile ${DEMO.profile}]\nregion = ${DEMO.region}\n\n` +
      `[profile broken]\nregion = eu-west-1\n\n` +
      `[profile cfg-dev]\nrole_arn = ${DEMO.roles.dev.roleArn}\nsource_profile = ${DEMO.profile}\n` +
      `external_id = ${DEMO.roles.dev.externalId}\nregion = eu-west-1\n`,
  );
  await Deno.writeTextFile(
    `${dir}/aws/credentials`,
    `[${DEMO.profile}]\naws_access_key_id = ${DEMO.accessKeyId}\n` +
      `aws_secret_access_key = ${DEMO.secretAccessKey}\n\n` +
      `[bad-secret]\naws_access_key_id = ${DEMO.accessKeyId}\n` +
      `aws_secret_access_key = wrongSecretKey000000000000000000000000000\n`,
  );
  await Deno.writeTextFile(`${dir}/xrole/roles.ini`, ROLES_INI);
  return {
    HOME: dir,
    AWS_CONFIG_FILE: `${dir}/aws/config`,
    AWS_SHARED_CREDENTIALS_FILE: `${dir}/aws/credentials`,
    AWS_ENDPOINT_URL: endpoint,
    AWS_PROFILE: DEMO.profile,
    XROLE_CONFIG_DIR: `${dir}/xrole`,
    XROLE_CACHE_DIR: `${dir}/cache`,
  };
}

/** Runs `fn` with a fresh simulator and demo files; always cleans up. */
export async function withDemo(
  fn: (demo: Demo) => Promise<void>,
  options: Partial<SimulatorOptions> = {},
): Promise<void> {
  const sim = await startSimulator({ world: demoWorld(), ...options });
  const dir = await Deno.makeTempDir({ prefix: "xrole-cli-test-" });
  try {
    const env = await writeDemoFiles(dir, sim.url);
    await fn({
      sim,
      dir,
      env,
      run: (args, o = {}) => runMain(args, o.env ?? env, o),
    });
  } finally {
    await sim.close();
    await Deno.remove(dir, { recursive: true });
  }
}

export { DEMO };
