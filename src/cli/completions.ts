/**
 * Shell completions: `xrole completions bash|zsh|fish` prints a script whose commands, flags and
 * flag values are generated from the commander program (so they never drift), and which asks
 * `xrole __complete profiles|roles` (hidden, loads no SDK) for the names of AWS profiles and
 * saved roles at completion time.
 *
 * The three scripts share one tiny data format: shell `case` tables keyed by "command path|word"
 * (`_xrole_next`, `_xrole_valued`, `_xrole_words`) and a walker over the words typed so far.
 */
import { ExitCode } from "../core/errors.ts";
import type { CliDeps } from "./deps.ts";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = typeof SHELLS[number];

/** What can be typed for a flag's value or a positional argument. */
export type ValueKind =
  | { kind: "none" }
  | { kind: "words"; words: string[] }
  | { kind: "profiles" }
  | { kind: "roles" };

export interface FlagSpec {
  /** "--profile", "-V", … */
  names: string[];
  description: string;
  takesValue: boolean;
  values: ValueKind;
}

export interface CommandSpec {
  /** Space-separated path from the root: "" (root), "buckets", "roles add". */
  path: string;
  name: string;
  aliases: string[];
  description: string;
  flags: FlagSpec[];
  subcommands: CommandSpec[];
  /** The first positional argument. */
  positional: ValueKind;
}

/** The parts of a commander Option the completions read. */
export interface OptionLike {
  long?: string | undefined;
  short?: string | undefined;
  required: boolean;
  optional: boolean;
  argChoices?: string[] | undefined;
  description: string;
  hidden: boolean;
}

/** The parts of a commander Command the completions read. */
export interface CommandLike {
  name(): string;
  aliases(): string[];
  description(): string;
  readonly commands: readonly CommandLike[];
  readonly options: readonly OptionLike[];
  readonly registeredArguments: readonly { name(): string; argChoices?: string[] | undefined }[];
}

const PROFILE_FLAGS = new Set(["--profile", "--source-profile"]);
const ROLE_FLAGS = new Set(["--role", "--via"]);

function isHidden(cmd: CommandLike): boolean {
  return (cmd as unknown as { _hidden?: boolean })._hidden === true;
}

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").trim();
}

function flagSpec(option: OptionLike): FlagSpec {
  const names = [option.short, option.long].filter((n): n is string => Boolean(n));
  const takesValue = option.required || option.optional;
  let values: ValueKind = { kind: "none" };
  if (option.argChoices && option.argChoices.length > 0) {
    values = { kind: "words", words: [...option.argChoices] };
  } else if (option.long && PROFILE_FLAGS.has(option.long)) values = { kind: "profiles" };
  else if (option.long && ROLE_FLAGS.has(option.long)) values = { kind: "roles" };
  return { names, description: firstLine(option.description), takesValue, values };
}

/** The completion data of a commander program (hidden commands and options left out). */
export function completionSpec(program: CommandLike): CommandSpec {
  const build = (cmd: CommandLike, path: string): CommandSpec => {
    const subcommands = cmd.commands.filter((c) => !isHidden(c)).map((c) =>
      build(c, path ? `${path} ${c.name()}` : c.name())
    );
    const arg = cmd.registeredArguments[0];
    let positional: ValueKind = { kind: "none" };
    if (arg?.argChoices && arg.argChoices.length > 0) {
      positional = { kind: "words", words: [...arg.argChoices] };
    } else if (arg?.name() === "label") positional = { kind: "roles" };
    const flags = cmd.options.filter((o) => !o.hidden).map(flagSpec);
    // Commander adds -h/--help itself (not in `options`).
    if (!flags.some((f) => f.names.includes("--help"))) {
      flags.push({
        names: ["-h", "--help"],
        description: "display help for command",
        takesValue: false,
        values: { kind: "none" },
      });
    }
    return {
      path,
      name: cmd.name(),
      aliases: cmd.aliases(),
      description: firstLine(cmd.description()),
      flags,
      subcommands,
      positional,
    };
  };
  const root = build(program, "");
  if (!root.subcommands.some((c) => c.name === "help")) {
    root.subcommands.push({
      path: "help",
      name: "help",
      aliases: [],
      description: "show help for a command",
      flags: [],
      subcommands: [],
      positional: { kind: "words", words: root.subcommands.map((c) => c.name) },
    });
  }
  return root;
}

function allCommands(spec: CommandSpec): CommandSpec[] {
  return [spec, ...spec.subcommands.flatMap(allCommands)];
}

/** A word in single quotes for sh/zsh/fish (the spec holds only plain flag and command names). */
function sq(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function fishQuote(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

interface Row {
  key: string;
  words: string[];
  /** fish only: "word\tdescription". */
  described: string[];
  dynamic: "" | "profiles" | "roles";
}

/** The rows of `_xrole_words`: what to offer at "path|" (positional), "path|-" (flags), "path|--flag". */
function wordRows(spec: CommandSpec): Row[] {
  const rows: Row[] = [];
  for (const cmd of allCommands(spec)) {
    const subs = cmd.subcommands;
    if (subs.length > 0) {
      rows.push({
        key: `${cmd.path}|`,
        words: subs.map((s) => s.name),
        described: subs.map((s) => `${s.name}\t${s.description}`),
        dynamic: "",
      });
    } else if (cmd.positional.kind !== "none") {
      const p = cmd.positional;
      rows.push({
        key: `${cmd.path}|`,
        words: p.kind === "words" ? p.words : [],
        described: p.kind === "words" ? p.words : [],
        dynamic: p.kind === "profiles" || p.kind === "roles" ? p.kind : "",
      });
    }
    const long = cmd.flags.flatMap((f) => f.names.filter((n) => n.startsWith("--")));
    rows.push({
      key: `${cmd.path}|-`,
      words: long,
      described: cmd.flags.flatMap((f) =>
        f.names.filter((n) => n.startsWith("--")).map((n) => `${n}\t${f.description}`)
      ),
      dynamic: "",
    });
    for (const flag of cmd.flags) {
      if (!flag.takesValue || flag.values.kind === "none") continue;
      const v = flag.values;
      for (const name of flag.names) {
        rows.push({
          key: `${cmd.path}|${name}`,
          words: v.kind === "words" ? v.words : [],
          described: v.kind === "words" ? v.words : [],
          dynamic: v.kind === "profiles" || v.kind === "roles" ? v.kind : "",
        });
      }
    }
  }
  return rows;
}

/** "path|word" → the subcommand path it enters (aliases too). */
function nextRows(spec: CommandSpec): [string, string][] {
  return allCommands(spec).flatMap((cmd) =>
    cmd.subcommands.flatMap((sub) =>
      [sub.name, ...sub.aliases].map((w) => [`${cmd.path}|${w}`, sub.path] as [string, string])
    )
  );
}

/** "path|--flag" keys of flags that take a separate value. */
function valuedKeys(spec: CommandSpec): string[] {
  return allCommands(spec).flatMap((cmd) =>
    cmd.flags.filter((f) => f.takesValue).flatMap((f) => f.names.map((n) => `${cmd.path}|${n}`))
  );
}

/** The data functions, valid in bash and zsh. */
function posixData(spec: CommandSpec): string {
  const lines: string[] = [];
  lines.push("_xrole_next() {", '  case "$1|$2" in');
  for (const [key, path] of nextRows(spec)) lines.push(`    ${sq(key)}) _xrole_p=${sq(path)} ;;`);
  lines.push("    *) return 1 ;;", "  esac", "}", "");
  lines.push("_xrole_valued() {", '  case "$1|$2" in');
  const valued = valuedKeys(spec);
  for (let i = 0; i < valued.length; i += 4) {
    const chunk = valued.slice(i, i + 4).map(sq).join(" | ");
    lines.push(`    ${chunk}) return 0 ;;`);
  }
  lines.push("  esac", "  return 1", "}", "");
  lines.push("_xrole_words() {", "  _xrole_w=''", "  _xrole_d=''", '  case "$1|$2" in');
  for (const row of wordRows(spec)) {
    const parts: string[] = [];
    if (row.words.length) parts.push(`_xrole_w=$'${row.words.join("\\n")}'`);
    if (row.dynamic) parts.push(`_xrole_d=${row.dynamic}`);
    if (parts.length) lines.push(`    ${sq(row.key)}) ${parts.join("; ")} ;;`);
  }
  lines.push("  esac", "}");
  return lines.join("\n");
}

/** Walks the typed words: sets cpath (command path) and key ("", "-" or the flag awaiting a value). */
function posixWalker(words: string, first: number, current: string): string {
  return `  local cpath='' key='' w i skip=0 _xrole_p _xrole_w _xrole_d
  for ((i = ${first}; i < ${current}; i++)); do
    w="\${${words}[i]}"
    if ((skip)); then skip=0; continue; fi
    case "$w" in
      --) return 0 ;;
      -*) _xrole_valued "$cpath" "$w" && skip=1 ;;
      *) _xrole_next "$cpath" "$w" && cpath="$_xrole_p" ;;
    esac
  done
  if ((skip)); then key="\${${words}[${current}-1]}"
  elif [[ "$cur" == -* ]]; then key=-
  fi
  _xrole_words "$cpath" "$key"`;
}

function bashScript(spec: CommandSpec): string {
  return `# bash completion for xrole (generated by "xrole completions bash")
# Load it with:  source <(xrole completions bash)   (e.g. in ~/.bashrc)
${posixData(spec)}

_xrole() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  COMPREPLY=()
${posixWalker("COMP_WORDS", 1, "COMP_CWORD")}
  local IFS=$'\\n' name
  COMPREPLY=($(compgen -W "$_xrole_w" -- "$cur"))
  if [[ -n "$_xrole_d" ]]; then
    for name in $(compgen -W "$(command xrole __complete "$_xrole_d" 2>/dev/null)" -- "$cur"); do
      COMPREPLY+=("$(printf '%q' "$name")")
    done
  fi
  return 0
}
complete -F _xrole xrole
`;
}

function zshScript(spec: CommandSpec): string {
  return `#compdef xrole
# zsh completion for xrole (generated by "xrole completions zsh")
# Load it with:  source <(xrole completions zsh)   (after compinit, e.g. in ~/.zshrc)
# or save it as _xrole in a directory of your fpath.
${posixData(spec)}

_xrole() {
  local cur="\${words[CURRENT]}"
${posixWalker("words", 2, "CURRENT")}
  local -a cands
  cands=("\${(@f)_xrole_w}")
  if [[ -n "$_xrole_d" ]]; then
    cands+=("\${(@f)$(command xrole __complete "$_xrole_d" 2>/dev/null)}")
  fi
  cands=("\${(@)cands:#}")
  (( \${#cands} )) && compadd -- "\${cands[@]}"
  return 0
}

if [[ "\${funcstack[1]}" == _xrole ]]; then
  _xrole "$@"
else
  compdef _xrole xrole
fi
`;
}

function fishScript(spec: CommandSpec): string {
  const lines: string[] = [
    '# fish completion for xrole (generated by "xrole completions fish")',
    "# Load it with:  xrole completions fish | source",
    "# or save it as ~/.config/fish/completions/xrole.fish",
    "function __xrole_next",
    '    switch "$argv[1]|$argv[2]"',
  ];
  for (const [key, path] of nextRows(spec)) {
    lines.push(`        case ${fishQuote(key)}`, `            echo ${fishQuote(path)}`);
  }
  lines.push("        case '*'", "            return 1", "    end", "end", "");
  lines.push("function __xrole_valued", '    switch "$argv[1]|$argv[2]"');
  const valued = valuedKeys(spec);
  for (let i = 0; i < valued.length; i += 4) {
    lines.push(
      `        case ${valued.slice(i, i + 4).map(fishQuote).join(" ")}`,
      "            return 0",
    );
  }
  lines.push("    end", "    return 1", "end", "");
  lines.push("function __xrole_words", '    switch "$argv[1]|$argv[2]"');
  for (const row of wordRows(spec)) {
    if (!row.described.length && !row.dynamic) continue;
    lines.push(`        case ${fishQuote(row.key)}`);
    if (row.described.length) {
      lines.push(`            printf '%s\\n' ${row.described.map(fishQuote).join(" ")}`);
    }
    if (row.dynamic) lines.push(`            command xrole __complete ${row.dynamic} 2>/dev/null`);
  }
  lines.push("    end", "end", "");
  lines.push(
    "function __xrole_complete",
    "    set -l tokens (commandline -opc)",
    "    set -l cur (commandline -ct)",
    "    set -l cpath ''",
    "    set -l skip 0",
    "    for w in $tokens[2..-1]",
    "        if test $skip = 1",
    "            set skip 0",
    "            continue",
    "        end",
    "        switch $w",
    "            case --",
    "                return 0",
    "            case '-*'",
    '                __xrole_valued "$cpath" $w; and set skip 1',
    "            case '*'",
    '                set -l n (__xrole_next "$cpath" $w); and set cpath $n',
    "        end",
    "    end",
    "    set -l key ''",
    "    if test $skip = 1",
    "        set key $tokens[-1]",
    "    else if string match -q -- '-*' $cur",
    "        set key -",
    "    end",
    '    __xrole_words "$cpath" $key',
    "end",
    "",
    "complete -c xrole -e",
    "complete -c xrole -f -a '(__xrole_complete)'",
    "",
  );
  return lines.join("\n");
}

/** The completion script for `shell`. */
export function completionScript(shell: Shell, spec: CommandSpec): string {
  if (shell === "bash") return bashScript(spec);
  if (shell === "zsh") return zshScript(spec);
  return fishScript(spec);
}

/** `xrole completions SHELL`: the script on stdout. */
export function completionsCommand(shell: Shell, program: CommandLike, deps: CliDeps): number {
  deps.io.stdout(completionScript(shell, completionSpec(program)));
  return ExitCode.ok;
}

/**
 * `xrole __complete profiles|roles`: the names, one a line. Quiet and exit 0 whatever happens
 * (a broken file must not spill errors into the shell while the user presses Tab).
 */
export async function completeNamesCommand(what: string, deps: CliDeps): Promise<number> {
  try {
    let names: string[] = [];
    if (what === "profiles") {
      const { loadAwsProfiles } = await import("../config/aws_files.ts");
      names = (await loadAwsProfiles(deps.io.env)).profiles.map((p) => p.name);
    } else if (what === "roles") {
      const { loadRoleList } = await import("./role_list.ts");
      names = (await loadRoleList(deps.io.env)).map((r) => r.label);
    }
    const shown = names.filter((n) => !n.startsWith("(") && !/[\r\n]/.test(n));
    if (shown.length) deps.io.stdout(shown.join("\n") + "\n");
  } catch {
    // nothing to offer
  }
  return ExitCode.ok;
}
