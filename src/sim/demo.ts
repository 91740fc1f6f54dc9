/**
 * The demo: the simulator with the demo world, plus a temporary directory holding an AWS config,
 * credentials and xrole's roles.ini for it, and the Env overrides that point xrole at all of it.
 * Never touches the user's ~/.aws or xrole's own config.
 */
import type { Env } from "../core/env.ts";
import { DEMO, demoWorld } from "./demo_world.ts";
import { type Simulator, startSimulator } from "./server.ts";

/** A running demo. */
export interface Demo {
  sim: Simulator;
  /** The temporary directory (aws/, xrole/, cache/). */
  dir: string;
  /** Env overrides: AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_ENDPOINT_URL,
   * XROLE_CONFIG_DIR, XROLE_CACHE_DIR, AWS_PROFILE. */
  env: Env;
  /** Stop the simulator and delete the directory (safe to call twice). */
  close(): Promise<void>;
}

/** Options of startDemo. */
export interface DemoOptions {
  /** Per-request latency so the live table is visible (default 40 ms). */
  latencyMs?: number;
  /** Parent directory for the temporary directory (default: the system's). */
  parentDir?: string;
}

/** The AWS config file the demo writes for a simulator URL (exported for tests). */
export function demoAwsConfig(): string {
  const test = DEMO.roles.test;
  return [
    "# xrole demo: a temporary AWS config for the simulated organisation.",
    "# The endpoint comes from AWS_ENDPOINT_URL; this file is deleted when the demo ends.",
    `[profile ${DEMO.profile}]`,
    `region = ${DEMO.region}`,
    "",
    "# An AWS-config role profile: xrole lists it next to its own saved roles.",
    `[profile ${DEMO.profile}-test]`,
    `role_arn = ${test.roleArn}`,
    `source_profile = ${DEMO.profile}`,
    `external_id = ${test.externalId}`,
    `region = ${test.region}`,
    "",
  ].join("\n");
}

/** The AWS credentials file the demo writes. */
export function demoAwsCredentials(): string {
  return [
    `[${DEMO.profile}]`,
    `aws_access_key_id = ${DEMO.accessKeyId}`,
    `aws_secret_access_key = ${DEMO.secretAccessKey}`,
    "",
  ].join("\n");
}

/** xrole's roles.ini the demo writes (dev and prod; test comes from the AWS config). */
export function demoRolesFile(): string {
  const { dev, prod } = DEMO.roles;
  return [
    "# xrole roles for the demo organisation (written by `deno task demo`).",
    `[role ${dev.label}]`,
    `role_arn = ${dev.roleArn}`,
    `external_id = ${dev.externalId}`,
    "session_name = xrole-demo",
    "duration_seconds = 3600",
    `region = ${dev.region}`,
    `color = ${dev.color}`,
    `source_profile = ${DEMO.profile}`,
    "",
    `[role ${prod.label}]`,
    `role_arn = ${prod.roleArn}`,
    `external_id = ${prod.externalId}`,
    `mfa_serial = ${DEMO.mfaSerial}`,
    `region = ${prod.region}`,
    `color = ${prod.color}`,
    `source_profile = ${DEMO.profile}`,
    "",
  ].join("\n");
}

/** Start the simulator with the demo world and write the demo's files into a temp directory. */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const sim = await startSimulator({ world: demoWorld(), latencyMs: options.latencyMs ?? 40 });
  let dir: string;
  try {
    dir = await Deno.makeTempDir({
      prefix: "xrole-demo-",
      ...(options.parentDir ? { dir: options.parentDir } : {}),
    });
  } catch (err) {
    await sim.close();
    throw err;
  }
  const closed = { done: false };
  const close = async () => {
    if (closed.done) return;
    closed.done = true;
    await sim.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  try {
    await Deno.mkdir(`${dir}/aws`, { mode: 0o700 });
    await Deno.mkdir(`${dir}/xrole`, { mode: 0o700 });
    await Deno.mkdir(`${dir}/cache`, { mode: 0o700 });
    const write = (path: string, text: string) => Deno.writeTextFile(path, text, { mode: 0o600 });
    await write(`${dir}/aws/config`, demoAwsConfig());
    await write(`${dir}/aws/credentials`, demoAwsCredentials());
    await write(`${dir}/xrole/roles.ini`, demoRolesFile());
  } catch (err) {
    await close();
    throw err;
  }
  const env: Env = {
    AWS_CONFIG_FILE: `${dir}/aws/config`,
    AWS_SHARED_CREDENTIALS_FILE: `${dir}/aws/credentials`,
    AWS_ENDPOINT_URL: sim.url,
    XROLE_CONFIG_DIR: `${dir}/xrole`,
    XROLE_CACHE_DIR: `${dir}/cache`,
    AWS_PROFILE: DEMO.profile,
  };
  return { sim, dir, env, close };
}
