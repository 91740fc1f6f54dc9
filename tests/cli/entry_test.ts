import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { runMain, withDemo } from "./_fixture.ts";

const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
const DENO = Deno.execPath();

async function runEntry(
  args: string[],
  options: { perms?: string[]; env?: Record<string, string>; clearEnv?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(DENO, {
    args: ["run", "--no-prompt", ...(options.perms ?? []), MAIN, ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", ...(options.env ?? {}) },
    clearEnv: options.clearEnv ?? false,
  }).output();
  const dec = new TextDecoder();
  const stderr = withoutDenoWarnings(dec.decode(out.stderr));
  return { code: out.code, stdout: dec.decode(out.stdout), stderr };
}

/** Deno's own warning about deno.json (no "exports" field) is not xrole's output. */
function withoutDenoWarnings(stderr: string): string {
  return stderr.split("\n")
    .filter((l) => !/exports" field should be specified|at file:\/\/\/.*deno\.json/.test(l))
    .join("\n");
}

Deno.test("--help lists the commands, the exit codes and examples on stdout", async () => {
  const r = await runMain(["--help"], {});
  assert.equal(r.code, 0);
  for (
    const word of ["buckets", "assume", "exec", "whoami", "roles", "profiles", "console", "demo"]
  ) {
    assert.match(r.stdout, new RegExp(`^  ${word}\\b`, "m"), word);
  }
  assert.match(r.stdout, /Exit codes:[\s\S]*130/);
  assert.match(r.stdout, /Examples:/);
  assert.equal(r.stderr, "");
});

Deno.test("every command has --help and --version", async () => {
  for (
    const cmd of [
      ["buckets"],
      ["assume"],
      ["exec"],
      ["whoami"],
      ["roles", "list"],
      ["profiles"],
      ["console"],
      ["demo"],
      ["credential-process"],
    ]
  ) {
    const help = await runMain([...cmd, "--help"], {});
    assert.equal(help.code, 0, cmd.join(" "));
    assert.match(help.stdout, /^Usage: xrole /, cmd.join(" "));
    const version = await runMain([...cmd, "--version"], {});
    assert.equal(version.stdout, (await runMain(["--version"], {})).stdout);
  }
  assert.match((await runMain(["buckets", "--help"], {})).stdout, /--region-filter <region>/);
});

Deno.test("--version prints the deno.json version", async () => {
  const { default: denoJson } = await import("../../deno.json", { with: { type: "json" } });
  const r = await runMain(["--version"], {});
  assert.equal(r.stdout, `xrole ${denoJson.version}\n`);
});

Deno.test("--help, --version and argument errors load no AWS SDK (they run without --allow-env)", async () => {
  // Importing the AWS SDK reads the environment: without --allow-env it would fail.
  const help = await runEntry(["buckets", "--help"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /Usage: xrole buckets/);
  const version = await runEntry(["--version"]);
  assert.equal(version.code, 0, version.stderr);
  const bad = await runEntry(["buckets", "--role-arn", "not-an-arn"], {
    perms: ["--allow-read"],
  });
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /^xrole: Invalid role ARN "not-an-arn"/);
  assert.doesNotMatch(bad.stderr, /NotCapable|env access/);
  // And a command that does need the SDK really does fail without env access: the check bites.
  const needsSdk = await runEntry(["whoami", "--no-assume"], { perms: ["--allow-read"] });
  assert.notEqual(needsSdk.code, 0);
});

Deno.test("the real entry point with stdin not a terminal never prompts: exit 2 naming the flag", async () => {
  await withDemo(async ({ env }) => {
    const stringEnv = Object.fromEntries(
      Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const r = await runEntry(["buckets", "--role", "prod"], {
      perms: ["--allow-read", "--allow-env", "--allow-net=127.0.0.1", "--allow-sys"],
      env: stringEnv,
    });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^xrole: Role "prod" needs an MFA code: pass --mfa-code$/m);
    const none = await runEntry([], { perms: ["--allow-env"] });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^Usage: xrole/m);
    assert.match(none.stderr, /no terminal to run interactively/);
  });
});

Deno.test("a command group without its subcommand shows its help on stderr and exits 2", async () => {
  const r = await runMain(["roles"], {});
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^Usage: xrole roles/m);
  assert.match(r.stderr, /^ {2}list\b/m);
});

Deno.test({
  name: "stdout closed by its reader (xrole … | head -1): exit 141 and nothing on stderr",
  // POSIX sh holds the child until the test has closed the pipe's reading end.
  ignore: Deno.build.os === "windows",
  fn: async () => {
    for (const args of [["--help"], ["completions", "fish"]]) {
      // `read` waits for the test's go-ahead, then xrole replaces the shell (same pid, same pipes).
      const child = new Deno.Command("sh", {
        args: ["-c", 'read _ && exec "$@"', "sh", DENO, "run", "--no-prompt", MAIN, ...args],
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
      }).spawn();
      // Close the only reading end before xrole writes a byte: every write to stdout is refused
      // (EPIPE), however small the output and however fast the machine: deterministic.
      await child.stdout.cancel();
      const go = child.stdin.getWriter();
      await go.write(new TextEncoder().encode("go\n"));
      await go.close();
      const [status, stderr] = await Promise.all([
        child.status,
        new Response(child.stderr).text().then(withoutDenoWarnings),
      ]);
      const label = args.join(" ");
      assert.equal(stderr, "", label);
      assert.equal(status.code, 141, `${label}: ${stderr}`);
    }
  },
});
