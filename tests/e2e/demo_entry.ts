/**
 * Stand-in for `xrole demo` in the terminal tests: starts the simulator with the demo world,
 * writes temporary AWS files and a roles.ini (dev, prod with MFA), and runs the interactive flow
 * against them. Usage: deno run … tests/e2e/demo_entry.ts [latencyMs]
 */
import process from "node:process";
import type { Io } from "../../src/core/io.ts";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { startSimulator } from "../../src/sim/server.ts";
import { runInteractive } from "../../src/ui/app.ts";
import { formatError } from "../../src/core/errors.ts";
import { awsFilesFor } from "../_helpers/sim.ts";

const latencyMs = Number(Deno.args[0] ?? "0");
const sim = await startSimulator({ world: demoWorld(), latencyMs });
const dir = await Deno.makeTempDir({ prefix: "xrole-e2e-" });
let code = 1;
try {
  const files = await awsFilesFor(sim, dir);
  await Deno.mkdir(`${dir}/xrole`);
  const { dev, prod } = DEMO.roles;
  await Deno.writeTextFile(
    `${dir}/xrole/roles.ini`,
    `[role dev]\nrole_arn = ${dev.roleArn}\nexternal_id = ${dev.externalId}\ncolor = green\n` +
      `region = ${dev.region}\nsource_profile = demo\n\n` +
      `[role prod]\nrole_arn = ${prod.roleArn}\nexternal_id = ${prod.externalId}\n` +
      `mfa_serial = ${DEMO.mfaSerial}\ncolor = red\nregion = ${prod.region}\n`,
  );
  const env = {
    HOME: dir,
    AWS_CONFIG_FILE: files.configFile,
    AWS_SHARED_CREDENTIALS_FILE: files.credentialsFile,
    XROLE_CONFIG_DIR: `${dir}/xrole`,
    TERM: Deno.env.get("TERM"),
    NO_COLOR: Deno.env.get("NO_COLOR"),
  };
  const io: Io = {
    env,
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stdinIsTerminal: Deno.stdin.isTerminal(),
    stdoutIsTerminal: Deno.stdout.isTerminal(),
    columns: () => Deno.consoleSize().columns,
    now: () => new Date(),
  };
  code = await runInteractive(io, {});
} catch (err) {
  process.stderr.write(`xrole: ${formatError(err)}\n`);
  code = 2;
} finally {
  await sim.close();
  await Deno.remove(dir, { recursive: true });
}
Deno.exit(code);
