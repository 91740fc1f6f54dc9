/**
 * A test bed for running real AWS clients (Debian's awscli v2 and boto3) against the simulator:
 * a started simulator with the demo world, a temporary HOME, AWS config and credentials files, and
 * an AWS_DATA_PATH whose STS endpoint rule set points at the simulator (so role profiles, whose
 * AssumeRole ignores --endpoint-url on these client versions, reach it too).
 */
import { join } from "node:path";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { startSimulator } from "../../src/sim/server.ts";

// Debian's clients by default (the first `aws` on PATH may be another install); CI on other
// systems names its own with these variables.
export const AWS_CLI = Deno.env.get("XROLE_TEST_AWS_CLI") ?? "/usr/bin/aws";
export const PYTHON = Deno.env.get("XROLE_TEST_PYTHON") ?? "/usr/bin/python3";

/** Whether a program exists and runs (`--version`-style probe). */
export async function canRun(cmd: string, args: string[]): Promise<boolean> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output();
    return out.success;
  } catch {
    return false;
  }
}

/**
 * Test options for an interop test: ignored (with a visible name suffix) when the client is
 * missing, unless CI is set, where a missing client must fail the test.
 */
export function interopTest(
  name: string,
  available: boolean,
  what: string,
  fn: (t: Deno.TestContext) => Promise<void>,
): void {
  const ci = Boolean(Deno.env.get("CI"));
  Deno.test({
    name: available || ci ? name : `${name} (ignored: ${what} not installed)`,
    ignore: !available && !ci,
    fn: async (t) => {
      if (!available) throw new Error(`${what} is required in CI but is not installed`);
      await fn(t);
    },
  });
}

export const WRONG_SECRET = "wrongSecretKey00000000000000000000000000";

/** The STS endpoint rule set with one rule: "the endpoint is the simulator". */
export function stsRuleSet(url: string): string {
  const bool = (builtIn: string) => ({ builtIn, required: true, default: false, type: "Boolean" });
  return JSON.stringify({
    version: "1.0",
    parameters: {
      Region: { builtIn: "AWS::Region", required: false, type: "String" },
      UseDualStack: bool("AWS::UseDualStack"),
      UseFIPS: bool("AWS::UseFIPS"),
      Endpoint: { builtIn: "SDK::Endpoint", required: false, type: "String" },
      UseGlobalEndpoint: bool("AWS::STS::UseGlobalEndpoint"),
    },
    rules: [{ conditions: [], endpoint: { url, properties: {}, headers: {} }, type: "endpoint" }],
  });
}

export interface Bed {
  url: string;
  dir: string;
  /** The whole environment a client process gets (nothing inherited). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Start the simulator with the demo world and write the client files. */
export async function startBed(): Promise<Bed> {
  const sim = await startSimulator({ world: demoWorld(), quiet: true });
  const dir = await Deno.makeTempDir({ prefix: "xrole-interop-" });
  try {
    const home = join(dir, "home");
    await Deno.mkdir(home);
    const dataDir = join(dir, "data", "sts", "2011-06-15");
    await Deno.mkdir(dataDir, { recursive: true });
    await Deno.writeTextFile(join(dataDir, "endpoint-rule-set-1.json"), stsRuleSet(sim.url));
    const { test, prod } = DEMO.roles;
    const pathStyle = "s3 =\n  addressing_style = path\n";
    await Deno.writeTextFile(
      join(dir, "config"),
      [
        `[default]\nregion = ${DEMO.region}\n${pathStyle}`,
        `[profile demo]\nregion = ${DEMO.region}\noutput = json\n${pathStyle}`,
        `[profile wrong-secret]\nregion = ${DEMO.region}\n`,
        `[profile demo-test]\nrole_arn = ${test.roleArn}\nsource_profile = demo\n` +
        `external_id = ${test.externalId}\nregion = ${test.region}\n${pathStyle}`,
        `[profile demo-badext]\nrole_arn = ${test.roleArn}\nsource_profile = demo\n` +
        `external_id = not-the-external-id\nregion = ${test.region}\n`,
        `[profile demo-prod-nomfa]\nrole_arn = ${prod.roleArn}\nsource_profile = demo\n` +
        `external_id = ${prod.externalId}\nregion = ${prod.region}\n`,
      ].join("\n"),
    );
    await Deno.writeTextFile(
      join(dir, "credentials"),
      `[demo]\naws_access_key_id = ${DEMO.accessKeyId}\naws_secret_access_key = ${DEMO.secretAccessKey}\n\n` +
        `[wrong-secret]\naws_access_key_id = ${DEMO.accessKeyId}\naws_secret_access_key = ${WRONG_SECRET}\n`,
    );
    const env: Record<string, string> = {
      PATH: "/usr/bin:/bin",
      HOME: home,
      LANG: "C.UTF-8",
      AWS_CONFIG_FILE: join(dir, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
      AWS_DATA_PATH: join(dir, "data"),
      AWS_PAGER: "",
      AWS_EC2_METADATA_DISABLED: "true",
    };
    return {
      url: sim.url,
      dir,
      env,
      close: async () => {
        await sim.close();
        await Deno.remove(dir, { recursive: true });
      },
    };
  } catch (err) {
    await sim.close();
    await Deno.remove(dir, { recursive: true });
    throw err;
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a program with exactly `env` (nothing inherited). */
export async function run(
  cmd: string,
  args: string[],
  env: Record<string, string>,
): Promise<RunResult> {
  const out = await new Deno.Command(cmd, {
    args,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
