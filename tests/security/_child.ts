/**
 * Running xrole as users do: a child `deno run` with EXACTLY the permissions of `deno task start`
 * (deno.json), HOME pointed at a temporary directory holding .aws and .config/xrole.
 */
import { DEMO } from "../../src/sim/demo_world.ts";
import { ROOT, taskPermissions } from "../_helpers/tasks.ts";
import { ROLES_INI } from "../cli/_fixture.ts";

export { ROOT };

let denoDirCache: string | undefined;
/** The real DENO_DIR, so children with another HOME still find the npm cache. */
export async function denoDir(): Promise<string> {
  if (denoDirCache) return denoDirCache;
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" })
    .output();
  denoDirCache = (JSON.parse(new TextDecoder().decode(out.stdout)) as { denoDir: string }).denoDir;
  return denoDirCache;
}

/** A HOME with the demo AWS files and roles.ini where a user has them. */
export async function makeHome(): Promise<string> {
  const home = await Deno.makeTempDir({ prefix: "xrole-sec-home-" });
  await Deno.mkdir(`${home}/.aws`);
  await Deno.mkdir(`${home}/.config/xrole`, { recursive: true });
  await Deno.writeTextFile(
    `${home}/.aws/config`,
    `[profile ${DEMO.profile}]\nregion = ${DEMO.region}\n\n` +
      `[profile cfg-dev]\nrole_arn = ${DEMO.roles.dev.roleArn}\nsource_profile = ${DEMO.profile}\n` +
      `external_id = ${DEMO.roles.dev.externalId}\nregion = eu-west-1\n`,
  );
  await Deno.writeTextFile(
    `${home}/.aws/credentials`,
    `[${DEMO.profile}]\naws_access_key_id = ${DEMO.accessKeyId}\n` +
      `aws_secret_access_key = ${DEMO.secretAccessKey}\n`,
  );
  await Deno.writeTextFile(`${home}/.config/xrole/roles.ini`, ROLES_INI);
  return home;
}

/** The environment of a child: nothing from this process but PATH and DENO_DIR. */
export async function childEnv(
  home: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  return {
    PATH: "/usr/bin:/bin",
    HOME: home,
    DENO_DIR: await denoDir(),
    NO_COLOR: "1",
    AWS_PROFILE: DEMO.profile,
    ...extra,
  };
}

/** The command line that runs xrole with the start task's permissions (for tmux). */
export function startCommand(home: string): string[] {
  return [Deno.execPath(), "run", ...taskPermissions("start", home), "src/main.ts"];
}

export interface ChildRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `deno run <start task's permissions> src/main.ts ...args` with only `childEnv` set. */
export async function xrole(
  home: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<ChildRun> {
  const [cmd, ...rest] = startCommand(home);
  const out = await new Deno.Command(cmd!, {
    args: [...rest, ...args],
    cwd: ROOT,
    clearEnv: true,
    env: await childEnv(home, env),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

/** The simulator as its own process (src/sim/serve.ts), so a test can kill it mid-request. */
export async function startSimProcess(latencyMs: number): Promise<{ url: string; kill(): void }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--allow-net=127.0.0.1",
      "src/sim/serve.ts",
      "--port",
      "0",
      "--latency",
      String(latencyMs),
      "--quiet",
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the simulator exited before printing its URL");
    text += value;
  }
  reader.releaseLock();
  let killed = false;
  return {
    url: text.trim().split("\n")[0]!,
    kill() {
      if (killed) return;
      killed = true;
      child.kill("SIGKILL");
      child.stdout.cancel().catch(() => {});
    },
  };
}
