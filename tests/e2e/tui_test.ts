/**
 * The interactive flow in a real terminal: tmux runs the demo (simulator + temp AWS files) and
 * we type into it like a person, asserting on what the screen shows at each step.
 */
import assert from "node:assert/strict";

import { ROOT, taskPermissions } from "../_helpers/tasks.ts";

// Exactly what `deno task demo` runs, with the demo task's own permissions.
const PERMS = taskPermissions("demo").map((f) => `'${f}'`).join(" ");

async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/** A tmux server of our own running the demo in one 100x30 pane. */
async function startDemo(latencyMs: number) {
  const socket = `xrole-test-${crypto.randomUUID().slice(0, 8)}`;
  const dir = await Deno.makeTempDir({ prefix: "xrole-tui-" });
  const exitFile = `${dir}/exit`;
  const sttyFile = `${dir}/stty`;
  const tmux = (...args: string[]) => run("tmux", ["-L", socket, ...args]);
  const script = `NO_COLOR=1 deno run ${PERMS} src/main.ts demo --latency ${latencyMs} 2>&1; ` +
    `echo $? > ${exitFile}.tmp; stty -a > ${sttyFile}; mv ${exitFile}.tmp ${exitFile}; sleep 60`;
  await tmux("new-session", "-d", "-x", "100", "-y", "30", "-s", "t", "-c", ROOT, script);
  const screen = () => tmux("capture-pane", "-p", "-t", "t");
  /** The pane with its scrollback (what scrolled off the top too), wrapped lines joined. */
  const history = () => tmux("capture-pane", "-p", "-J", "-S", "-1000", "-t", "t");
  return {
    screen,
    history,
    /** Poll the screen until `pattern` shows; returns the screen. */
    async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
      const t0 = Date.now();
      let last = "";
      while (Date.now() - t0 < timeoutMs) {
        last = await screen();
        if (pattern.test(last)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${pattern}; screen:\n${last}`);
    },
    /** Keys by tmux name ("Enter", "Escape", "C-c"). */
    async keys(...keys: string[]) {
      for (const k of keys) {
        await tmux("send-keys", "-t", "t", k);
        await new Promise((r) => setTimeout(r, 60));
      }
    },
    /** Literal text. */
    async type(text: string) {
      await tmux("send-keys", "-t", "t", "-l", text);
      await new Promise((r) => setTimeout(r, 60));
    },
    async exitCode(timeoutMs = 20_000): Promise<number> {
      const t0 = Date.now();
      while (Date.now() - t0 < timeoutMs) {
        try {
          return Number((await Deno.readTextFile(exitFile)).trim());
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw new Error(`xrole did not exit; screen:\n${await screen()}`);
    },
    stty: () => Deno.readTextFile(sttyFile),
    cursorVisible: async () => (await tmux("display", "-p", "-t", "t", "#{cursor_flag}")).trim(),
    async close() {
      await tmux("kill-server").catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

type Demo = Awaited<ReturnType<typeof startDemo>>;

/** A test in a demo terminal of its own (latency in ms per simulated request), closed after. */
function demoTest(name: string, latencyMs: number, fn: (t: Demo) => Promise<void>): void {
  Deno.test({
    name,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const t = await startDemo(latencyMs);
      try {
        await fn(t);
      } finally {
        await t.close();
      }
    },
  });
}

/** At the role picker: find prod by typing, choose it, give its MFA code. */
async function chooseProdWithMfa(t: Demo): Promise<void> {
  await t.type("prod");
  await t.waitFor(/❯ ● prod\s+444444444444\s+ProdReadOnly/);
  await t.keys("Enter");
  await t.waitFor(/MFA code for prod/);
  await t.type("123456");
  await t.keys("Enter");
}

demoTest(
  "a person picks the demo profile and prod (with MFA), filters, sorts, opens details, switches to dev and quits",
  0,
  async (t) => {
    await t.waitFor(/Source profile[\s\S]*❯ demo\s+static keys\s+eu-west-1/);
    await t.keys("Enter");
    await t.waitFor(/you are arn:aws:iam::111111111111:user\/dev[\s\S]*Target role/);
    await chooseProdWithMfa(t);

    let s = await t.waitFor(/regions 16\/16/);
    assert.match(s, /account 444444444444\s+role prod\s+59m left\s+16 buckets/);
    assert.match(s, /acme-prod-tokyo-edge\s+ap-northeast-1/);
    assert.match(s, /acme-prod-security-audit\s+eu-central-1\s+\*/, "HeadBucket region marked");
    assert.doesNotMatch(s, /123456/, "the MFA code is never shown");

    await t.type("/tok");
    s = await t.waitFor(/filter: \/tok/);
    await t.keys("Enter");
    s = await t.waitFor(/1\/1/);
    assert.match(s, /› acme-prod-tokyo-edge/);
    assert.doesNotMatch(s, /acme-prod-web-assets/);
    await t.type("/");
    await t.keys("Escape");
    s = await t.waitFor(/filter: none[\s\S]*acme-prod-web-assets/);

    await t.type("s");
    s = await t.waitFor(/sort: name ↓/);
    assert.match(s, /NAME.*\n.*acme-prod-web-assets/, "last name first");
    assert.match(s, /› acme-prod-tokyo-edge/, "the selection stays on its bucket");
    await t.type("s");
    s = await t.waitFor(/sort: region ↑/);
    assert.match(s, /› acme-prod-tokyo-edge\s+ap-northeast-1/);

    await t.type("i");
    s = await t.waitFor(/─── details/);
    assert.match(s, /name\s+acme-prod-tokyo-edge/);
    assert.match(s, /ARN\s+arn:aws:s3:::acme-prod-tokyo-edge/);
    assert.match(
      s,
      /s3\.console\.aws\.amazon\.com\/s3\/buckets\/acme-prod-tokyo-edge\?region=ap-northeast-1/,
    );
    await t.type("i");
    await t.waitFor(/filter: none/);

    await t.type("b");
    await t.waitFor(/Target role[\s\S]*❯ ★ All saved roles/);
    await t.keys("Down");
    await t.waitFor(/Target role[\s\S]*❯ ● dev/);
    await t.keys("Enter");
    s = await t.waitFor(/role dev[\s\S]*regions (\d+)\/\1/);
    assert.match(s, /account 222222222222/);
    await t.type("q");
    assert.equal(await t.exitCode(), 0);
    s = await t.waitFor(/xrole buckets --profile demo --role dev/);
    assert.doesNotMatch(s, /xrole buckets --profile demo --role prod/);
    assert.equal(await t.cursorVisible(), "1");
  },
);

demoTest(
  "Ctrl-C while regions are still loading exits 130 and leaves the terminal usable",
  1500,
  async (t) => {
    await t.waitFor(/Source profile/);
    await t.keys("Enter");
    await t.waitFor(/Target role[\s\S]*❯ ★ All saved roles/, 30_000);
    await t.keys("Down");
    await t.waitFor(/Target role[\s\S]*❯ ● dev/);
    await t.keys("Enter");
    const s = await t.waitFor(/role dev[\s\S]*regions 0\/\d+/, 30_000);
    assert.match(s, /…/, "lookups are pending");
    await t.keys("C-c");
    assert.equal(await t.exitCode(), 130);
    assert.equal(await t.cursorVisible(), "1", "cursor visible again");
    const stty = await t.stty();
    assert.match(stty, /(^|\s)icanon(\s|$)/, "line editing back on");
    assert.match(stty, /(^|\s)echo(\s|$)/, "echo back on");
    assert.doesNotMatch(await t.screen(), /xrole buckets --profile/);
  },
);

demoTest(
  "All saved roles asks the MFA code once, shows every account with an account filter, and a bucket opens into its folders",
  0,
  async (t) => {
    await t.waitFor(/Source profile[\s\S]*❯ demo\s+static keys/);
    await t.keys("Enter");
    await t.waitFor(/Target role[\s\S]*❯ ★ All saved roles \(2\)/);
    await t.keys("Enter");
    await t.waitFor(/MFA code for arn:aws:iam::111111111111:mfa\/dev \(roles prod\)/);
    await t.type("123456");
    await t.keys("Enter");

    let s = await t.waitFor(/All saved roles\s+2 accounts\s+(\d+) buckets\s+regions (\d+)\/\2/);
    assert.match(s, /ACCOUNT\s+ROLE\s+NAME\s+REGION/);
    assert.match(s, /222222222222 dev\s+acme-dev-/);
    assert.doesNotMatch(s, /MFA code for[\s\S]*MFA code for/, "asked once");
    assert.doesNotMatch(s, /123456/);
    assert.match(s, /a account/, "the account key in the footer");

    await t.type("a");
    s = await t.waitFor(/account: 222222222222/);
    assert.doesNotMatch(s, /444444444444 prod/);
    await t.type("a");
    s = await t.waitFor(/account: 444444444444/);
    assert.match(s, /444444444444 prod\s+acme-prod-/);
    assert.doesNotMatch(s, /222222222222 dev/);
    await t.type("a");
    await t.waitFor(/account: all/);

    await t.type("/artifacts");
    await t.keys("Enter");
    s = await t.waitFor(/› 222222222222 dev\s+acme-dev-artifacts/);
    await t.keys("Enter");
    s = await t.waitFor(/s3:\/\/acme-dev-artifacts\/\s+region eu-west-1[\s\S]*README\.md/);
    assert.match(s, /› releases\/\s+folder/);
    assert.match(s, /snapshots\/\s+folder/);
    assert.match(s, /README\.md\s+1\.2 KiB/);
    await t.keys("Enter");
    s = await t.waitFor(/s3:\/\/acme-dev-artifacts\/releases\/ [\s\S]*2025\//);
    assert.match(s, /› 2024\/\s+folder/);
    await t.keys("Down", "Enter");
    s = await t.waitFor(/s3:\/\/acme-dev-artifacts\/releases\/2025\/ [\s\S]*01\//);
    await t.keys("Enter");
    s = await t.waitFor(/releases\/2025\/01\/ [\s\S]*xrole-2\.0\.0\.tar\.gz\s+9\.0 MiB/);
    await t.keys("BSpace");
    s = await t.waitFor(/s3:\/\/acme-dev-artifacts\/releases\/2025\/ [\s\S]*› 01\//);
    await t.keys("BSpace");
    s = await t.waitFor(/s3:\/\/acme-dev-artifacts\/releases\/ [\s\S]*› 2025\//);
    await t.keys("BSpace", "Escape");
    s = await t.waitFor(/All saved roles[\s\S]*› 222222222222 dev\s+acme-dev-artifacts/);

    await t.type("q");
    assert.equal(await t.exitCode(), 0);
    await t.waitFor(/xrole buckets --profile demo --all-roles/);
  },
);

demoTest(
  "o in prod's table keeps the console sign-in link for after the table; back on prod later, its cached session needs no second MFA code",
  0,
  async (t) => {
    await t.waitFor(/Source profile[\s\S]*❯ demo\s+static keys/);
    await t.keys("Enter");
    // The answered prompt shows just the profile's name.
    await t.waitFor(/Source profile demo\n/);
    let s = await t.waitFor(/Target role[\s\S]*demo-test\s+333333333333/);
    // Labels padded: account ids start in the same column.
    const cols = [...s.matchAll(/^[❯ ] [● ] \S+\s+(?=\d{12})/gm)].map((m) => m[0].length);
    assert.ok(cols.length >= 3, s);
    assert.equal(new Set(cols).size, 1, s);
    await chooseProdWithMfa(t);
    await t.waitFor(/role prod[\s\S]*regions 16\/16/);
    assert.match(await t.screen(), /o console/);

    await t.type("o");
    s = await t.waitFor(/no browser here: the console link for prod is printed when you leave/);
    assert.doesNotMatch(s, /SigninToken/, "the link is not drawn on the table (stderr)");

    await t.type("b");
    await t.waitFor(/Console sign-in link for prod[\s\S]*Target role/);
    assert.match(
      await t.history(),
      /Console sign-in link for prod[^\n]*\nhttp:\/\/127\.0\.0\.1:\d+\/federation\?Action=login&Issuer=xrole&Destination=[^&\s]+&SigninToken=\S+\n/,
    );
    await t.type("DeveloperAccess");
    await t.waitFor(/❯ ● dev /);
    await t.keys("Enter");
    await t.waitFor(/role dev[\s\S]*regions (\d+)\/\1/);
    await t.type("b");
    await t.waitFor(/Target role/);
    await t.type("prod");
    await t.waitFor(/❯ ● prod /);
    await t.keys("Enter");
    s = await t.waitFor(/role prod[\s\S]*regions 16\/16|MFA code for prod/);
    assert.doesNotMatch(s, /MFA code for prod/, "no second MFA code");
    await t.type("q");
    assert.equal(await t.exitCode(), 0);
    const all = await t.history();
    assert.equal(all.match(/MFA code for prod/g)?.length, 1, all);
    assert.match(
      all,
      /assumed arn:aws:sts::444444444444:assumed-role\/ProdReadOnly\/\S+\s+account 444444444444\s+\d+m left \(cached\)/,
    );
    assert.match(all, /xrole buckets --profile demo --role prod\n/);
    assert.doesNotMatch(all, /123456/);
  },
);
