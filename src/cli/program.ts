/**
 * The command line: commander builds and parses it here (the only commander importer besides the
 * command modules' types). Every action lazily imports its command module with a static string,
 * so `--help`, `--version` and argument errors load neither the AWS SDK nor the prompt library.
 */
import { Argument, Command, CommanderError, Option } from "@commander-js/extra-typings";
import type { OptionValues } from "@commander-js/extra-typings";
import { UsageError } from "../core/errors.ts";
import { validateEndpointUrl } from "../core/validate.ts";
import type { Io } from "../core/io.ts";
import type { CliDeps, Globals } from "./deps.ts";

export interface ProgramContext {
  io: Io;
  version: string;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Runs xrole again in-process (the demo runs a command against its own environment). */
  main: (args: string[], io: Io) => Promise<number>;
}

export const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    runtime failure (network, AWS error other than below)
  2    usage or input error (bad flag, invalid ARN, unknown profile or role)
  3    access denied (AssumeRole refused, credentials invalid or expired)
  4    partial result (the list printed, some region lookups failed)
  130  interrupted (Ctrl-C)
  141  stdout closed by its reader (broken pipe, e.g. piped into head)`;

const EXAMPLES_HELP = `
Examples:
  xrole                                         interactive: pick a profile, a role, see buckets
  xrole buckets --profile dev --role prod       list the buckets of a saved role's account
  xrole buckets --role-arn arn:aws:iam::222222222222:role/ReadOnly --external-id abc123 --format json
  xrole buckets --all-roles                     every saved role's buckets in one table (MFA once)
  xrole ls s3://acme-logs/2025/ --role prod     a folder of a bucket: folders, then objects
  xrole assume --role dev --format env          print export lines (eval "$(xrole assume ...)")
  xrole exec --role dev -- aws s3 ls            run a command with the role's credentials
  xrole roles add dev --role-arn arn:aws:iam::222222222222:role/Dev --external-id xyz-123
  xrole console --role prod                     the console's Switch Role URL
  deno task demo                                try it against a local simulator
AWS config: credential_process = xrole credential-process --role dev`;

/** Parses `args` and runs the command; resolves to its exit code. Throws typed errors. */
export async function runProgram(args: string[], ctx: ProgramContext): Promise<number> {
  let code = 0;
  const program = buildProgram(ctx, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(args, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === "commander.helpDisplayed" || err.code === "commander.help" ||
        err.code === "commander.version"
      ) {
        // Help shown because a command group was given no subcommand ("xrole roles"): usage.
        return err.exitCode === 0 ? 0 : 2;
      }
      throw new UsageError(commanderMessage(err.message));
    }
    throw err;
  }
  return code;
}

/** "error: unknown option '--rol'\n(Did you mean --role?)" → `Unknown option "--rol" (did you mean --role?)`. */
export function commanderMessage(message: string): string {
  const line = message
    .replace(/^error:\s*/i, "")
    .replace(/'([^']*)'/g, '"$1"')
    .split("\n")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => s.replace(/^\((.*)\)$/, "($1)").replace(/^\(Did/, "(did"))
    .join(" ");
  const text = line.charAt(0).toUpperCase() + line.slice(1);
  return `${text} (see "xrole --help")`;
}

type SetCode = (code: number) => void;

/** Adds the global options to a command (they work before and after the command name). */
function withGlobals<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
  version: string,
) {
  return cmd
    .option("--no-color", "disable colours (also NO_COLOR)")
    .option("--verbose", "log AWS requests to stderr (secrets redacted) and show error details")
    .option(
      "--endpoint-url <url>",
      "send AWS requests to this endpoint (LocalStack, MinIO, the simulator)",
    )
    .version(`xrole ${version}`, "-V, --version", "print the version");
}

/** Source and role options shared by buckets, assume, exec, whoami, credential-process. */
function withTarget<A extends unknown[], O extends OptionValues, G extends OptionValues>(
  cmd: Command<A, O, G>,
) {
  return cmd
    .option("--profile <name>", "source profile (default: AWS_PROFILE, then default)")
    .option("--no-assume", "use the source credentials directly, assume no role")
    .option("--role <label>", "a saved role or an AWS config role profile")
    .option("--role-arn <arn>", "the role to assume, e.g. arn:aws:iam::222222222222:role/Name")
    .option("--external-id <id>", "External ID the role's trust policy requires")
    .option("--session-name <name>", "role session name (default: from your identity)")
    .option("--duration <seconds>", "session duration in seconds (900 to the role's maximum)")
    .option("--mfa-serial <arn>", "MFA device ARN (or a saved role's)")
    .option("--mfa-code <code>", "6-digit MFA code (asked for on a terminal when needed)")
    .option("--region <region>", "region for AWS calls (default: role's, profile's, us-east-1)")
    .option("--no-cache", "do not reuse or store cached role credentials");
}

/** The global options in effect for `cmd`: a flag given after the command wins over one before. */
export function globalsOf(cmd: Command<unknown[], OptionValues, OptionValues>, io: Io): Globals {
  const chain: Command<unknown[], OptionValues, OptionValues>[] = [];
  for (
    let c: Command<unknown[], OptionValues, OptionValues> | null = cmd;
    c;
    c = c.parent as typeof c
  ) {
    chain.push(c);
  }
  const pick = (key: string): unknown => {
    for (const c of chain) {
      if (c.getOptionValueSource(key) === "cli") return c.getOptionValue(key);
    }
    return undefined;
  };
  const endpointUrl = pick("endpointUrl");
  const noColorEnv = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "";
  const globals: Globals = {
    verbose: pick("verbose") === true,
    color: pick("color") !== false && !noColorEnv,
  };
  if (typeof endpointUrl === "string") globals.endpointUrl = validateEndpointUrl(endpointUrl);
  return globals;
}

export function buildProgram(ctx: ProgramContext, setCode: SetCode) {
  const { io } = ctx;
  const deps = (cmd: unknown): CliDeps => ({
    io,
    globals: globalsOf(cmd as Command<unknown[], OptionValues, OptionValues>, io),
    signal: ctx.signal,
    main: ctx.main,
  });

  const program = withGlobals(new Command("xrole"), ctx.version)
    .description(
      "Quick and safe AWS cross-account role access: assume a role (External ID, MFA) from a\n" +
        "profile in ~/.aws and list the target account's S3 buckets with their regions.\n" +
        "Without a command on a terminal, xrole runs interactively.",
    )
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: () => {},
      getOutHelpWidth: () => io.columns() ?? 100,
      getErrHelpWidth: () => io.columns() ?? 100,
      // Commander would read process.env (CLICOLOR_FORCE…): help has no colours, needs no env.
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .showSuggestionAfterError(true)
    .helpCommand("help [command]", "show help for a command")
    .addHelpText("after", EXIT_CODES_HELP + "\n" + EXAMPLES_HELP)
    .action(async (_opts, cmd) => {
      const [word] = cmd.args;
      if (word !== undefined) {
        const names = cmd.commands.map((c) => c.name());
        const near = names.find((n) => editDistance(n, word) <= 2);
        throw new UsageError(
          `Unknown command "${word}"${near ? ` (did you mean ${near}?)` : ""} (see "xrole --help")`,
        );
      }
      if (!io.stdinIsTerminal || !io.stdoutIsTerminal) {
        io.stderr(program.helpInformation());
        throw new UsageError(
          'No command given and no terminal to run interactively: pass a command, e.g. "xrole buckets --role LABEL"',
        );
      }
      const m = await import("./interactive.ts");
      setCode(await m.runInteractiveCommand({}, deps(cmd)));
    });

  // Every --role given to buckets, in order (commander keeps only the last one).
  const bucketRoles: string[] = [];
  withTarget(withGlobals(program.command("buckets"), ctx.version))
    .description("list the target account's buckets with their regions")
    .on("option:role", (label: string) => bucketRoles.push(label))
    .option(
      "--all-roles",
      "every saved role at once: one listing with account and role columns (MFA asked once)",
    )
    .option(
      "--region-filter <region>",
      "only buckets in this region (repeatable)",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option("--concurrency <n>", "region lookups in flight at once (default 32)")
    .addOption(
      new Option(
        "--regions <mode>",
        "location: GetBucketLocation for each bucket; list: trust ListBuckets' region",
      ).choices(["location", "list"] as const),
    )
    .addOption(
      new Option("--format <format>", "output format (default: table on a terminal, else json)")
        .choices(["table", "json", "csv", "tsv"] as const),
    )
    .addOption(
      new Option("--sort <key>", "sort rows by").choices(["name", "region", "created"] as const)
        .default("name" as const),
    )
    .option("--timeout <seconds>", "per-request timeout for region lookups")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (opts, cmd) => {
      const inventory = { ...opts, roles: bucketRoles };
      if (opts.allRoles || bucketRoles.length > 1) {
        const m = await import("./inventory.ts");
        setCode(await m.inventoryCommand(inventory, deps(cmd)));
        return;
      }
      const m = await import("./buckets.ts");
      setCode(await m.bucketsCommand(opts, deps(cmd)));
    });

  withTarget(withGlobals(program.command("ls"), ctx.version))
    .description("list a folder of a bucket in the target account: folders, then objects")
    .argument("<s3-url>", "s3://BUCKET/ or s3://BUCKET/PREFIX/")
    .addOption(
      new Option("--format <format>", "output format (default: table on a terminal, else json)")
        .choices(["table", "json"] as const),
    )
    .option("--recursive", "every key below the prefix, no folders")
    .option("--page-size <n>", "keys per ListObjectsV2 request (1 to 1000, default 1000)")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (url, opts, cmd) => {
      const m = await import("./ls.ts");
      setCode(await m.lsCommand(url, opts, deps(cmd)));
    });

  withTarget(withGlobals(program.command("assume"), ctx.version))
    .description("print the role's temporary credentials (the one command that prints secrets)")
    .addOption(
      new Option("--format <format>", "env: export lines; json: the STS shape; dotenv: KEY=value")
        .choices(["env", "json", "credential-process", "dotenv"] as const).default("env" as const),
    )
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (opts, cmd) => {
      const m = await import("./assume.ts");
      setCode(await m.assumeCommand(opts, deps(cmd)));
    });

  withTarget(withGlobals(program.command("credential-process"), ctx.version))
    .description(
      "print credentials as credential_process expects (same as assume --format credential-process)",
    )
    .addHelpText(
      "after",
      "\nIn ~/.aws/config:\n  [profile prod]\n  credential_process = xrole credential-process --role prod\n" +
        EXIT_CODES_HELP,
    )
    .action(async (opts, cmd) => {
      const m = await import("./assume.ts");
      setCode(await m.assumeCommand({ ...opts, format: "credential-process" }, deps(cmd)));
    });

  withTarget(withGlobals(program.command("exec"), ctx.version))
    .description("run a command with the role's credentials in its environment")
    .argument("<command...>", "the command and its arguments (after --)")
    .passThroughOptions()
    .addHelpText(
      "after",
      "\nThe command gets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION,\n" +
        "AWS_DEFAULT_REGION and AWS_CREDENTIAL_EXPIRATION; xrole exits with its exit code.\n" +
        "Example: xrole exec --role dev -- aws s3 ls\n" + EXIT_CODES_HELP,
    )
    .action(async (command, opts, cmd) => {
      const m = await import("./exec.ts");
      setCode(await m.execCommand(command, opts, deps(cmd)));
    });

  withTarget(withGlobals(program.command("whoami"), ctx.version))
    .description("show who you are: the source identity, or the assumed role's with --role")
    .addOption(
      new Option("--format <format>", "output format").choices(["table", "json"] as const),
    )
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (opts, cmd) => {
      const m = await import("./whoami.ts");
      setCode(await m.whoamiCommand(opts, deps(cmd)));
    });

  const roles = withGlobals(program.command("roles"), ctx.version)
    .description("manage saved roles (list, add, remove, show)")
    .addHelpText("after", EXIT_CODES_HELP);

  withGlobals(roles.command("list"), ctx.version)
    .description("list saved roles and AWS config role profiles (External IDs masked)")
    .addOption(
      new Option("--format <format>", "output format (default: table on a terminal, else json)")
        .choices(["table", "json"] as const),
    )
    .option("--reveal", "show External IDs in full")
    .action(async (opts, cmd) => {
      const m = await import("./roles.ts");
      setCode(await m.rolesListCommand(opts, deps(cmd)));
    });

  withGlobals(roles.command("show"), ctx.version)
    .description("show one role (External ID masked)")
    .argument("<label>", "the role's label")
    .addOption(
      new Option("--format <format>", "output format").choices(["table", "json"] as const),
    )
    .option("--reveal", "show the External ID in full")
    .action(async (label, opts, cmd) => {
      const m = await import("./roles.ts");
      setCode(await m.rolesShowCommand(label, opts, deps(cmd)));
    });

  withGlobals(roles.command("add"), ctx.version)
    .description("save a role (replaces one with the same label)")
    .argument("<label>", "a short name for the role, e.g. prod")
    .requiredOption("--role-arn <arn>", "the role's ARN")
    .option("--external-id <id>", "External ID the role's trust policy requires")
    .option("--session-name <name>", "role session name")
    .option("--duration <seconds>", "session duration in seconds")
    .option("--mfa-serial <arn>", "MFA device ARN")
    .option("--region <region>", "region for AWS calls in the target account")
    .option("--role-color <color>", "Switch Role colour: red, orange, yellow, green or blue")
    .option("--source-profile <name>", "default source profile for this role")
    .option("--via <label>", "a saved role to assume first, then this one with its credentials")
    .action(async (label, opts, cmd) => {
      const m = await import("./roles.ts");
      setCode(await m.rolesAddCommand(label, opts, deps(cmd)));
    });

  withGlobals(roles.command("remove"), ctx.version)
    .alias("rm")
    .description("delete a saved role")
    .argument("<label>", "the role's label")
    .action(async (label, _opts, cmd) => {
      const m = await import("./roles.ts");
      setCode(await m.rolesRemoveCommand(label, deps(cmd)));
    });

  withGlobals(program.command("profiles"), ctx.version)
    .description("list the AWS profiles found, with their kind and region")
    .addOption(
      new Option("--format <format>", "output format (default: table on a terminal, else json)")
        .choices(["table", "json"] as const),
    )
    .action(async (opts, cmd) => {
      const m = await import("./profiles.ts");
      setCode(await m.profilesCommand(opts, deps(cmd)));
    });

  const cache = withGlobals(program.command("cache"), ctx.version)
    .description("manage the cache of assumed-role sessions")
    .addHelpText("after", EXIT_CODES_HELP);
  withGlobals(cache.command("clear"), ctx.version)
    .description("delete every cached role session (the next command calls STS again)")
    .action(async (_opts, cmd) => {
      const m = await import("./cache.ts");
      setCode(await m.cacheClearCommand(deps(cmd)));
    });

  withTarget(withGlobals(program.command("console"), ctx.version))
    .description(
      "print a link that opens the AWS console as the role: the Switch Role URL, or a federated\n" +
        "sign-in URL for roles with an External ID or a via chain (and with --signin)",
    )
    .option("--display-name <name>", "name shown in the console (default: the label)")
    .option("--role-color <color>", "Switch Role colour (default: the role's)")
    .option("--signin", "assume the role and print a federated sign-in URL (valid 15 minutes)")
    .option("--destination <url>", "console page to open after sign-in (default: S3 console)")
    .option("--open", "open the URL in a browser (printed when none can be opened)")
    .addHelpText(
      "after",
      "\nThe sign-in URL holds a sign-in token: it goes to stdout only, never to logs.\n" +
        "With --endpoint-url (or AWS_ENDPOINT_URL), sign-in uses <endpoint>/federation.\n" +
        EXIT_CODES_HELP,
    )
    .action(async (opts, cmd) => {
      const m = await import("./console.ts");
      setCode(await m.consoleCommand(opts, deps(cmd)));
    });

  withGlobals(program.command("demo"), ctx.version)
    .description("start a local AWS simulator with demo accounts and run xrole against it")
    .argument("[command...]", "an xrole command to run in the demo (default: interactive)")
    .option("--latency <ms>", "simulated latency of each AWS request in milliseconds", "40")
    .passThroughOptions()
    .addHelpText(
      "after",
      "\nExamples:\n  xrole demo\n  xrole demo buckets --role dev\n" +
        "  xrole demo buckets --role prod --mfa-code 123456\n" +
        "  xrole demo --latency 300        watch the regions fill in slowly",
    )
    .action(async (command, opts, cmd) => {
      const m = await import("./demo.ts");
      setCode(await m.demoCommand(command, deps(cmd), { latency: opts.latency }));
    });

  withGlobals(program.command("completions"), ctx.version)
    .description("print a shell completion script (commands, flags, profiles, saved roles)")
    .addArgument(new Argument("<shell>", "the shell").choices(["bash", "zsh", "fish"] as const))
    .addHelpText(
      "after",
      "\nExamples:\n  source <(xrole completions bash)     in ~/.bashrc\n" +
        "  source <(xrole completions zsh)      in ~/.zshrc, after compinit\n" +
        "  xrole completions fish > ~/.config/fish/completions/xrole.fish",
    )
    .action(async (shell, _opts, cmd) => {
      const m = await import("./completions.ts");
      setCode(m.completionsCommand(shell, program, deps(cmd)));
    });

  // Hidden: the names the completion scripts offer, read at completion time (no SDK loaded).
  program.command("__complete", { hidden: true })
    .argument("<what>", "profiles or roles")
    .action(async (what, _opts, cmd) => {
      const m = await import("./completions.ts");
      setCode(await m.completeNamesCommand(what, deps(cmd)));
    });

  // After the subcommands exist (they copy settings when created): a stray word reaches the
  // root action, which names it as an unknown command.
  program.allowExcessArguments(true);
  return program;
}

/** Levenshtein distance, for "did you mean" on unknown commands. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
