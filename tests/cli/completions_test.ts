/**
 * Shell completions, loaded in the real shells (bash, zsh, fish from Debian) with an `xrole`
 * wrapper on PATH that runs src/main.ts with the start task's permissions against a temporary
 * HOME: commands, flags, flag values, and the profile and role names `xrole __complete` reads.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import denoJson from "../../deno.json" with { type: "json" };
import { completionScript, completionSpec, type Shell } from "../../src/cli/completions.ts";
import { buildProgram } from "../../src/cli/program.ts";
import { fakeIo } from "./_fixture.ts";

const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

async function has(cmd: string): Promise<boolean> {
  try {
    const out = await new Deno.Command(cmd, { args: ["--version"], stdout: "null", stderr: "null" })
      .output();
    return out.success;
  } catch {
    return false;
  }
}

/** The start task's permission flags with $HOME as `home`. */
function startPermissions(home: string): string[] {
  const words = denoJson.tasks.start.split(/\s+/);
  return words.slice(2).filter((w) => w.startsWith("--")).map((f) => f.replaceAll("$HOME", home));
}

interface Setup {
  home: string;
  bin: string;
  scripts: Record<Shell, string>;
  env: Record<string, string>;
}

/** A temporary HOME with AWS files and roles, an `xrole` wrapper, and the three scripts. */
async function setup(): Promise<Setup> {
  const home = await Deno.makeTempDir({ prefix: "xrole-completions-" });
  await Deno.mkdir(`${home}/.aws`);
  await Deno.mkdir(`${home}/.config/xrole`, { recursive: true });
  await Deno.writeTextFile(
    `${home}/.aws/config`,
    "[profile demo]\nregion = eu-west-1\n\n[profile prod-admin]\nregion = us-east-1\n" +
      "credential_process = /bin/false\n",
  );
  await Deno.writeTextFile(
    `${home}/.aws/credentials`,
    "[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n",
  );
  await Deno.writeTextFile(
    `${home}/.config/xrole/roles.ini`,
    "[role prod]\nrole_arn = arn:aws:iam::444444444444:role/ProdReadOnly\n\n" +
      "[role prod-eu]\nrole_arn = arn:aws:iam::444444444444:role/EU\n\n" +
      "[role dev]\nrole_arn = arn:aws:iam::222222222222:role/Dev\n",
  );
  const bin = `${home}/bin`;
  await Deno.mkdir(bin);
  const perms = startPermissions(home).map((p) => `'${p}'`).join(" ");
  await Deno.writeTextFile(
    `${bin}/xrole`,
    `#!/bin/sh\nexec '${Deno.execPath()}' run ${perms} '${MAIN}' "$@"\n`,
  );
  await Deno.chmod(`${bin}/xrole`, 0o755);
  const env = {
    HOME: home,
    PATH: `${bin}:/usr/bin:/bin`,
    DENO_NO_UPDATE_CHECK: "1",
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
    TERM: "dumb",
  };
  const scripts = {} as Record<Shell, string>;
  for (const shell of ["bash", "zsh", "fish"] as const) {
    const out = await new Deno.Command(`${bin}/xrole`, {
      args: ["completions", shell],
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    scripts[shell] = `${home}/xrole.${shell}`;
    await Deno.writeFile(scripts[shell], out.stdout);
  }
  return { home, bin, scripts, env };
}

async function shellOutput(cmd: string, args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(cmd, {
    args,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== "");
}

/** Words of a command line; a trailing space means an empty word is being completed. */
function wordsOf(line: string): string[] {
  return line.split(" ");
}

function shq(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The candidates each shell offers for `line` (the cursor at its end). */
async function candidates(s: Setup, shell: Shell, line: string): Promise<string[]> {
  const words = wordsOf(line);
  if (shell === "bash") {
    const script = `source ${shq(s.scripts.bash)}
COMP_WORDS=(${words.map(shq).join(" ")}); COMP_CWORD=${words.length - 1}
COMP_LINE=${shq(line)}; COMP_POINT=\${#COMP_LINE}
_xrole; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return (await shellOutput("bash", ["--norc", "--noprofile", "-c", script], s.env)).sort();
  }
  if (shell === "zsh") {
    // compadd stubbed as a recorder that matches the typed prefix like zsh does.
    const script = `compdef() { : }
compadd() {
  local x; local -a c; c=("\${@[\${@[(i)--]}+1,-1]}")
  for x in "\${c[@]}"; do [[ "$x" == "$__pfx"* ]] && print -r -- "$x"; done
}
source ${shq(s.scripts.zsh)}
words=(${words.map(shq).join(" ")}); CURRENT=${words.length}; __pfx=\${words[CURRENT]}
_xrole`;
    return (await shellOutput("zsh", ["-f", "-c", script], s.env)).sort();
  }
  const script = `source ${shq(s.scripts.fish)}; complete -C${shq(line)}`;
  const lines = await shellOutput("fish", ["--no-config", "-c", script], s.env);
  return lines.map((l) => l.split("\t")[0] ?? "").sort();
}

const CASES: { line: string; expect: string[]; exact?: boolean }[] = [
  { line: "xrole bu", expect: ["buckets"], exact: true },
  { line: "xrole ro", expect: ["roles"], exact: true },
  { line: "xrole co", expect: ["completions", "console"], exact: true },
  { line: "xrole roles ", expect: ["add", "list", "remove", "show"], exact: true },
  { line: "xrole buckets --for", expect: ["--format"], exact: true },
  { line: "xrole buckets --format ", expect: ["csv", "json", "table", "tsv"], exact: true },
  { line: "xrole --verbose buckets --sort ", expect: ["created", "name", "region"], exact: true },
  { line: "xrole buckets --profile ", expect: ["default", "demo", "prod-admin"], exact: true },
  { line: "xrole assume --role prod", expect: ["prod", "prod-eu"], exact: true },
  { line: "xrole roles show ", expect: ["dev", "prod", "prod-eu"], exact: true },
  { line: "xrole roles add x --via d", expect: ["dev"], exact: true },
  { line: "xrole completions ", expect: ["bash", "fish", "zsh"], exact: true },
  { line: "xrole console --", expect: ["--signin", "--destination", "--open", "--role"] },
];

for (const shell of ["bash", "zsh", "fish"] as const) {
  Deno.test({
    name: `${shell} completes xrole's commands, flags, values, profiles and saved roles`,
    ignore: !(await has(shell)),
    fn: async () => {
      const s = await setup();
      try {
        for (const c of CASES) {
          const got = await candidates(s, shell, c.line);
          if (c.exact) assert.deepEqual(got, [...c.expect].sort(), `${shell}: "${c.line}"`);
          else {
            for (const e of c.expect) assert.ok(got.includes(e), `${shell}: "${c.line}" → ${e}`);
          }
        }
        // The hidden helper is never offered; nothing is offered after "--" of exec.
        assert.ok(!(await candidates(s, shell, "xrole ")).includes("__complete"));
        assert.deepEqual(await candidates(s, shell, "xrole exec --role dev -- aws "), []);
      } finally {
        await Deno.remove(s.home, { recursive: true });
      }
    },
  });
}

function program() {
  const out = { stdout: "", stderr: "" };
  return buildProgram({
    io: fakeIo({}, out),
    version: "0.0.0",
    signal: new AbortController().signal,
    main: () => Promise.resolve(0),
  }, () => {});
}

Deno.test("every visible command and every flag of the program is in the completion data", () => {
  const prog = program();
  const spec = completionSpec(prog);
  const names = spec.subcommands.map((c) => c.name);
  for (const cmd of prog.commands) {
    if (cmd.name() === "__complete") assert.ok(!names.includes("__complete"));
    else assert.ok(names.includes(cmd.name()), cmd.name());
  }
  for (const cmd of prog.commands.filter((c) => c.name() !== "__complete")) {
    const flags = spec.subcommands.find((c) =>
      c.name === cmd.name()
    )?.flags.flatMap((f) => f.names) ?? [];
    for (const option of cmd.options) {
      if (option.long) assert.ok(flags.includes(option.long), `${cmd.name()} ${option.long}`);
    }
  }
  const bash = completionScript("bash", spec);
  assert.match(bash, /'buckets\|--regions'\) _xrole_w=\$'location\\nlist' ;;/);
});

Deno.test("__complete roles prints saved role names without loading the AWS SDK", async () => {
  const home = await Deno.makeTempDir({ prefix: "xrole-complete-" });
  try {
    await Deno.mkdir(`${home}/.config/xrole`, { recursive: true });
    await Deno.writeTextFile(
      `${home}/.config/xrole/roles.ini`,
      "[role alpha]\nrole_arn = arn:aws:iam::222222222222:role/A\n\n" +
        "[role beta]\nrole_arn = arn:aws:iam::222222222222:role/B\n",
    );
    // Only HOME may be read from the environment: importing the SDK would fail on its env reads.
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--allow-env=HOME",
        `--allow-read=${home}`,
        MAIN,
        "__complete",
        "roles",
      ],
      env: {
        HOME: home,
        DENO_NO_UPDATE_CHECK: "1",
        DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0);
    assert.equal(new TextDecoder().decode(out.stdout), "alpha\nbeta\n");
    assert.equal(new TextDecoder().decode(out.stderr), "");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("__complete stays quiet when the roles file is broken", async () => {
  const home = await Deno.makeTempDir({ prefix: "xrole-complete-" });
  try {
    await Deno.mkdir(`${home}/xrole`, { recursive: true });
    await Deno.writeTextFile(`${home}/xrole/roles.ini`, "[role broken\nrole_arn = nope\n");
    const { runMain } = await import("./_fixture.ts");
    const r = await runMain(["__complete", "roles"], {
      HOME: home,
      XROLE_CONFIG_DIR: `${home}/xrole`,
    });
    assert.deepEqual(r, { code: 0, stdout: "", stderr: "" });
    const help = await runMain(["--help"], { HOME: home });
    assert.doesNotMatch(help.stdout, /__complete/);
    assert.match(help.stdout, /completions/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
