/**
 * A real terminal for the interactive flow: tmux runs xrole (no command) with the start task's
 * permissions and a temporary HOME, records every byte the pane receives, and lets tests type.
 */
import { childEnv, ROOT, startCommand } from "./_child.ts";

async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

const shq = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** xrole (no command: interactive) in a tmux pane, every byte it writes recorded. */
export async function startTui(home: string, env: Record<string, string>) {
  const socket = `xrole-sec-${crypto.randomUUID().slice(0, 8)}`;
  const work = await Deno.makeTempDir({ prefix: "xrole-sec-tui-" });
  const exitFile = `${work}/exit`;
  const sttyFile = `${work}/stty`;
  const rawFile = `${work}/raw`;
  const tmux = (...args: string[]) => run("tmux", ["-L", socket, ...args]);
  const vars = Object.entries({ ...await childEnv(home, env), TERM: "xterm-256color" })
    .map(([k, v]) => `${k}=${shq(v)}`).join(" ");
  const script = `env -i ${vars} ${startCommand(home).map(shq).join(" ")}; ` +
    `echo $? > ${exitFile}.tmp; stty -a > ${sttyFile}; mv ${exitFile}.tmp ${exitFile}; sleep 60`;
  await tmux("new-session", "-d", "-x", "110", "-y", "32", "-s", "t", "-c", ROOT, script);
  await tmux("pipe-pane", "-o", "-t", "t", `cat >> ${rawFile}`);
  const screen = () => tmux("capture-pane", "-p", "-t", "t");
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const screens: string[] = [];
  return {
    screen,
    screens,
    async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
      const t0 = Date.now();
      let last = "";
      while (Date.now() - t0 < timeoutMs) {
        last = await screen();
        if (pattern.test(last)) {
          screens.push(last);
          return last;
        }
        await pause(100);
      }
      throw new Error(`timed out waiting for ${pattern}; screen:\n${last}`);
    },
    async keys(...keys: string[]) {
      for (const k of keys) {
        await tmux("send-keys", "-t", "t", k);
        await pause(80);
      }
    },
    async type(text: string) {
      await tmux("send-keys", "-t", "t", "-l", text);
      await pause(80);
    },
    async exitCode(timeoutMs = 30_000): Promise<number> {
      const t0 = Date.now();
      while (Date.now() - t0 < timeoutMs) {
        try {
          return Number((await Deno.readTextFile(exitFile)).trim());
        } catch {
          await pause(100);
        }
      }
      throw new Error(`xrole did not exit; screen:\n${await screen()}`);
    },
    /** Everything the pane received (xrole's output, both screens), and the scrollback. */
    async everything(): Promise<string> {
      const history = await tmux("capture-pane", "-p", "-t", "t", "-S", "-", "-E", "-");
      let raw = "";
      try {
        raw = await Deno.readTextFile(rawFile);
      } catch {
        // nothing recorded
      }
      return [raw, history, ...screens].join("\n");
    },
    stty: () => Deno.readTextFile(sttyFile),
    cursorVisible: async () => (await tmux("display", "-p", "-t", "t", "#{cursor_flag}")).trim(),
    async close() {
      await tmux("kill-server").catch(() => {});
      await Deno.remove(work, { recursive: true }).catch(() => {});
    },
  };
}
