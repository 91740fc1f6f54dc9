/**
 * The interactive flow as a state machine: source profile → who am I → target role (or add, edit,
 * delete one) → MFA code → AssumeRole → bucket table → back to the roles, or quit. Every outside
 * service (prompts, AWS, files, the terminal) comes in through `AppServices`, so the flow is
 * tested with fakes; `runInteractive` wires the real ones.
 */
import { parseMfaSerial, parseRoleArn, quote } from "../core/arn.ts";
import { ROLE_COLORS, tryResolveColor } from "../core/colors.ts";
import type { Env } from "../core/env.ts";
import {
  AwsError,
  ExitCode,
  formatError,
  InterruptedError,
  isExpiredSessionCode,
  UsageError,
  XroleError,
} from "../core/errors.ts";
import type { Io } from "../core/io.ts";
import type {
  AssumedSession,
  CallerIdentity,
  ProfileKind,
  RowUpdate,
  SavedRole,
  SourceProfile,
} from "../core/model.ts";
import {
  maskExternalId,
  validateDuration,
  validateExternalId,
  validateLabel,
  validateMfaCode,
  validateRegion,
  validateSessionName,
} from "../core/validate.ts";
import type { Choice, Prompts } from "./prompts.ts";
import type { InventoryEvent, MfaDevice } from "../aws/inventory.ts";
import type { BrowserPage, BrowserTarget } from "./browser/state.ts";
import type { PageSource, RowSource, TableExit } from "./table/prompt.ts";
import type { SessionRenewed, TableHeader } from "./table/state.ts";
import { timeLeft } from "./table/view.ts";
import { checkChainDurations, roleChain } from "../cli/chain.ts";
import { switchRoleUrl } from "../core/console_url.ts";
import { makeTheme, useColor } from "./theme.ts";
import { displayWidth } from "../core/text_width.ts";

export interface InteractiveOptions {
  profile?: string;
  role?: string;
  endpointUrl?: string;
  verbose?: boolean;
  /** --color / --no-color; undefined: NO_COLOR and the terminal decide. */
  color?: boolean;
}

/** The combined listing, ready to run in the table. */
export interface CombinedListing {
  run(signal: AbortSignal, emit: (e: InventoryEvent) => void): Promise<void>;
  browse: PageSource;
  /** A role's session once it is assumed (or came from the cache), for `o`. */
  sessionOf?(role: string): AssumedSession | undefined;
}

/** What assuming a role (through its chain) gives. */
export interface Assumed {
  session: AssumedSession;
  /** Reused from the credential cache: no AssumeRole call, no MFA code. */
  cached: boolean;
}

/** A source as the flow sees it. */
export interface SourceHandle {
  profileName: string;
  region: string;
  whoami(): Promise<CallerIdentity>;
}

/** Everything the flow needs from outside. */
export interface AppServices {
  prompts: Prompts;
  loadProfiles(
    env: Env,
  ): Promise<{ profiles: SourceProfile[]; roleProfiles: SavedRole[]; warnings: string[] }>;
  loadRoles(env: Env): Promise<SavedRole[]>;
  /** `replace`: overwrite a role of the same label (edit); else a clash is a UsageError. */
  saveRole(env: Env, role: SavedRole, replace: boolean): Promise<void>;
  deleteRole(env: Env, label: string): Promise<void>;
  openSource(opts: { env: Env; profile?: string; endpointUrl?: string }): Promise<SourceHandle>;
  /**
   * Assumes the last role of `chain` (a role with `via` comes after the roles it is assumed
   * through; a plain role is a chain of one): cached sessions reused (unless no cache directory),
   * `askMfaCode` called at most once, for the first role that needs a code. `refresh`: AWS
   * refused the last role's session, do not reuse it.
   */
  assume(
    source: SourceHandle,
    chain: readonly SavedRole[],
    opts: {
      env: Env;
      askMfaCode(role: SavedRole): Promise<string>;
      refresh?: boolean;
      now(): Date;
    },
  ): Promise<Assumed>;
  /**
   * A federated console sign-in URL for the session (getSigninToken on the federation endpoint,
   * the endpoint override honoured). The URL holds a sign-in token: never log it. Absent: `o`
   * offers only Switch Role links.
   */
  signinUrl?(
    source: SourceHandle,
    session: AssumedSession,
    opts: { env: Env; endpointUrl?: string; signal: AbortSignal },
  ): Promise<string>;
  /** Opens a URL in the user's browser; false when none could be opened. */
  openBrowser?(url: string): Promise<boolean>;
  listBuckets(
    source: SourceHandle,
    session: AssumedSession,
    opts: { env: Env; endpointUrl?: string },
    signal: AbortSignal,
    emit: (u: RowUpdate) => void,
  ): Promise<void>;
  runTable(opts: {
    header: TableHeader;
    source: RowSource;
    color: boolean;
    browse?: PageSource;
    explain?: (code: string, message: string) => string | undefined;
    /** `o`: see RunTableOptions.console. */
    console?: (role: string | undefined, signal: AbortSignal) => Promise<string>;
  }): Promise<TableExit>;
  explain(code: string, message: string): string | undefined;
  /** A page of a bucket's folder for the object browser (absent: browsing says so). */
  browse?(
    source: SourceHandle,
    session: AssumedSession,
    opts: { env: Env; endpointUrl?: string },
    target: BrowserTarget,
    request: { prefix: string; token?: string; signal: AbortSignal },
  ): Promise<BrowserPage>;
  /**
   * Prepares the combined listing of several roles ("All saved roles"): cached sessions, one MFA
   * code per device (asked through `askMfaCode`). Absent: the entry is not offered.
   */
  inventory?(
    source: SourceHandle,
    roles: SavedRole[],
    opts: {
      env: Env;
      endpointUrl?: string;
      /** Every role a `via` may name (default: `roles`); chained roles go through their chain. */
      known?: SavedRole[];
      askMfaCode(device: MfaDevice): Promise<string>;
      now?(): Date;
    },
  ): Promise<CombinedListing>;
  /** Calls `handler` on Ctrl-C outside prompts and the table (SIGINT); returns an unsubscribe. */
  onInterrupt(handler: () => void): () => void;
  /** Milliseconds between spinner frames (tests use 0 to disable the spinner). */
  spinnerMs?: number;
}

const KIND_LABEL: Record<ProfileKind, string> = {
  static: "static keys",
  role: "role profile",
  sso: "SSO",
  process: "credential_process",
  "web-identity": "web identity",
  env: "environment",
  unknown: "no credentials",
};

/** A console link `o` kept because no browser opened (printed when the table closes). */
interface ConsoleLink {
  url?: string;
  label?: string;
  /** A federated sign-in link (holds a sign-in token). */
  federated?: boolean;
}

/** The session in use by a table, and what renewing it needs. */
interface Current {
  session: AssumedSession;
  role: SavedRole;
  chain: SavedRole[];
  needsMfa: boolean;
}

type RoleChoice =
  | { type: "role"; role: SavedRole }
  | { type: "add" }
  | { type: "edit" }
  | { type: "delete" }
  | { type: "profile" }
  | { type: "all" };

/** Quote a word for a POSIX shell when it needs it. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The one-line command that repeats a listing without prompts. */
export function repeatCommand(profile: string, role: string, endpointUrl?: string): string {
  const words = ["xrole", "buckets"];
  if (!profile.startsWith("(")) words.push("--profile", profile);
  words.push("--role", role);
  if (endpointUrl) words.push("--endpoint-url", endpointUrl);
  return words.map(shellWord).join(" ");
}

/** The widest label of `roles`, in terminal columns. */
function labelWidth(roles: readonly SavedRole[]): number {
  return Math.max(0, ...roles.map((r) => displayWidth(r.label)));
}

function describeAccount(role: SavedRole): { account: string; name: string } {
  try {
    const arn = parseRoleArn(role.roleArn);
    return { account: arn.accountId, name: arn.roleName };
  } catch {
    return { account: "?", name: role.roleArn };
  }
}

/** Runs the flow with the given services; returns the exit code (0, or 130 on Ctrl-C). */
export async function runFlow(
  io: Io,
  options: InteractiveOptions,
  services: AppServices,
): Promise<number> {
  const env = io.env;
  const theme = makeTheme(useColor(env, io.stdoutIsTerminal, options.color));
  const { prompts } = services;
  const say = (line: string) => io.stderr(`${line}\n`);
  const endpoint = options.endpointUrl ? { endpointUrl: options.endpointUrl } : {};

  const showError = (err: unknown) => {
    if (err instanceof InterruptedError) throw err;
    if (err instanceof AwsError) {
      say(theme.red(`✗ ${formatError(err)}`));
      const hint = services.explain(err.code, err.message);
      if (hint) say(`  ${theme.dim(hint)}`);
    } else {
      say(theme.red(`✗ ${formatError(err, { verbose: options.verbose ?? false })}`));
    }
  };

  try {
    let pendingProfile = options.profile;
    let pendingRole = options.role;
    /** A role whose cached session AWS refused: assumed again without the cache next time. */
    let refreshNext: string | undefined;
    // The outer loop picks a source; the inner loop picks roles for it.
    while (true) {
      const loaded = await services.loadProfiles(env);
      for (const w of loaded.warnings) say(theme.yellow(`! ${w}`));
      const profileName = pendingProfile ?? await chooseProfile(loaded.profiles);
      pendingProfile = undefined;

      let source: SourceHandle;
      let me: CallerIdentity;
      try {
        source = await services.openSource({ env, profile: profileName, ...endpoint });
        me = await spin(`Checking who you are with ${quote(profileName)}`, () => source.whoami());
      } catch (err) {
        showError(err);
        continue;
      }
      say(`${theme.green("✓")} you are ${theme.bold(me.arn)}`);

      let nextStep: "profile" | "quit" = "profile";
      roles: while (true) {
        const xroleRoles = await loadRolesSafely();
        const all = [...xroleRoles, ...loaded.roleProfiles];
        let role: SavedRole | undefined;
        if (pendingRole !== undefined) {
          role = all.find((r) => r.label === pendingRole);
          if (!role) {
            say(theme.yellow(`! No saved role or AWS config role profile ${quote(pendingRole)}`));
          }
          pendingRole = undefined;
        }
        if (!role) {
          const picked = await chooseRole(all, xroleRoles.length > 0, source.profileName);
          if (picked.type === "profile") break roles;
          if (picked.type === "all") {
            if (await showAllRoles(xroleRoles, all, source) === "quit") {
              nextStep = "quit";
              break;
            }
            continue;
          }
          if (picked.type === "add") {
            await addOrEdit(undefined, source.profileName);
            continue;
          }
          if (picked.type === "edit" || picked.type === "delete") {
            const width = labelWidth(xroleRoles);
            const target = await prompts.chooseOne(
              picked.type === "edit" ? "Edit which role?" : "Delete which role?",
              xroleRoles.map((r) => roleChoice(r, width)),
            );
            if (picked.type === "edit") await addOrEdit(target, source.profileName);
            else if (await prompts.confirm(`Delete role ${quote(target.label)}?`)) {
              await services.deleteRole(env, target.label);
              say(`${theme.green("✓")} deleted role ${quote(target.label)}`);
            }
            continue;
          }
          role = picked.role;
        }

        let session: AssumedSession;
        let chain: SavedRole[];
        try {
          chain = chainFor(role, all);
          const refresh = refreshNext === role.label;
          refreshNext = undefined;
          const assumed = await spin(
            `Assuming ${role.label}`,
            (pause) =>
              services.assume(source, chain, {
                env,
                now: () => io.now(),
                ...(refresh ? { refresh } : {}),
                askMfaCode: (r) => pause(() => askMfaCode(r)),
              }),
          );
          session = assumed.session;
          const left = session.credentials.expiration.getTime() - io.now().getTime();
          say(
            `${theme.green("✓")} assumed ${theme.bold(session.assumedRoleArn)}  account ${
              theme.bold(session.accountId)
            }  ${timeLeft(left)} left${assumed.cached ? theme.dim(" (cached)") : ""}`,
          );
        } catch (err) {
          showError(err);
          continue;
        }

        const header: TableHeader = {
          accountId: session.accountId,
          roleLabel: role.label,
          expiresAt: session.credentials.expiration,
          partition: session.assumedRoleArn.split(":")[1] ?? "aws",
          ...(role.color ? { roleColor: tryResolveColor(role.color)?.hex ?? role.color } : {}),
        };
        // The session in use: renewed when AWS refuses it mid-session (see listRenewing).
        const current: Current = { session, role, chain, needsMfa: false };
        const link: ConsoleLink = {};
        const exit = await services.runTable({
          header,
          color: theme.color,
          source: (signal, emit) => listRenewing(source, current, signal, emit),
          console: (_role, signal) =>
            openConsole(source, current.role, current.session, signal, link),
          ...(services.browse
            ? {
              browse: (target: BrowserTarget, request: Parameters<PageSource>[1]) =>
                services.browse!(source, current.session, { env, ...endpoint }, target, request),
            }
            : {}),
          explain: (code: string, message: string) => services.explain(code, message),
        });
        printLink(link);
        if (exit === "back") {
          // Expired credentials of an MFA role: straight to a new code for the same role (and
          // not the refused session from the cache).
          if (current.needsMfa) pendingRole = refreshNext = role.label;
          continue;
        }
        say(`To list these buckets again without prompts:`);
        say(`  ${repeatCommand(source.profileName, role.label, options.endpointUrl)}`);
        nextStep = "quit";
        break;
      }
      if (nextStep === "quit") return ExitCode.ok;
    }
  } catch (err) {
    if (err instanceof InterruptedError) {
      say("");
      say(theme.dim("Interrupted"));
      return ExitCode.interrupted;
    }
    throw err;
  }

  /**
   * The table's rows, surviving credentials that expire mid-session: when AWS refuses them (on
   * the listing or on lookups), the role is assumed again and the listing repeated once —
   * silently when no MFA code is needed; otherwise the table says to press b, and going back
   * asks for a new code for the same role.
   */
  async function listRenewing(
    source: SourceHandle,
    current: Current,
    signal: AbortSignal,
    emit: (u: RowUpdate | SessionRenewed) => void,
  ): Promise<void> {
    for (let attempt = 0;; attempt++) {
      let expired = false;
      let done = false;
      let refused: AwsError | undefined;
      try {
        await services.listBuckets(source, current.session, { env, ...endpoint }, signal, (u) => {
          if (u.type === "error" && isExpiredSessionCode(u.code)) expired = true;
          if (u.type === "done") done = true;
          else emit(u);
        });
      } catch (err) {
        if (!(err instanceof AwsError && isExpiredSessionCode(err.code))) throw err;
        expired = true;
        refused = err;
      }
      if (!expired || attempt > 0 || signal.aborted) {
        if (refused) throw refused;
        if (done) emit({ type: "done" });
        return;
      }
      const needsCode = new XroleError(
        `The credentials of ${
          quote(current.role.label)
        } expired: press b to assume it again with a new MFA code`,
        ExitCode.accessDenied,
      );
      try {
        // Earlier roles of a chain may still come from the cache; the refused one never does.
        current.session = (await services.assume(source, current.chain, {
          env,
          now: () => io.now(),
          refresh: true,
          askMfaCode: () => Promise.reject(needsCode),
        })).session;
      } catch (err) {
        if (err === needsCode) current.needsMfa = true;
        throw err;
      }
      emit({ type: "renewed", expiresAt: current.session.credentials.expiration });
    }
  }

  /** The roles to assume for `role`: its `via` chain (durations checked), or just itself. */
  function chainFor(role: SavedRole, all: readonly SavedRole[]): SavedRole[] {
    if (!role.via) return [role];
    const chain = roleChain(role.label, [...all.filter((r) => r.label !== role.label), role]);
    checkChainDurations(chain);
    return chain;
  }

  function askMfaCode(role: SavedRole): Promise<string> {
    return prompts.askSecret(`MFA code for ${role.label} (${role.mfaSerial ?? ""})`, {
      validate: validateMfaCode,
    });
  }

  /**
   * `o` in the table: the console as `role`. A role without External ID or chain gets the
   * console's Switch Role link; the others a federated sign-in link (it holds a sign-in token:
   * never on stderr, where the table is drawn). The browser opens it when there is one; else it
   * is kept in `link` and printed on stdout when the table closes. Returns the footer's line.
   */
  async function openConsole(
    source: SourceHandle,
    role: SavedRole,
    session: AssumedSession | undefined,
    signal: AbortSignal,
    link: ConsoleLink,
  ): Promise<string> {
    const federated = Boolean(role.externalId || role.via);
    let url: string;
    if (!federated) url = switchRoleUrl(role);
    else {
      if (!services.signinUrl) {
        throw new UsageError("Console sign-in is not available here");
      }
      if (!session) throw new UsageError(`No session for role ${quote(role.label)} yet`);
      url = await services.signinUrl(source, session, { env, ...endpoint, signal });
    }
    if (signal.aborted) throw new InterruptedError();
    if (services.openBrowser && await services.openBrowser(url)) {
      return `opened the console as ${role.label} in your browser`;
    }
    link.url = url;
    link.federated = federated;
    link.label = role.label;
    return `no browser here: the console link for ${role.label} is printed when you leave the table`;
  }

  /** The console link `o` kept (no browser): on stdout, the line about it on stderr. */
  function printLink(link: ConsoleLink): void {
    if (!link.url) return;
    const label = link.label ?? "";
    say(
      link.federated
        ? `Console sign-in link for ${label} (valid 15 minutes; it signs in as the role, keep it private):`
        : `Console Switch Role link for ${label}:`,
    );
    io.stdout(`${link.url}\n`);
  }

  /** "All saved roles": MFA once per device, then the combined table. */
  async function showAllRoles(
    roles: SavedRole[],
    known: SavedRole[],
    source: SourceHandle,
  ): Promise<TableExit> {
    let listing: CombinedListing;
    const link: ConsoleLink = {};
    try {
      listing = await services.inventory!(source, roles, {
        env,
        ...endpoint,
        known,
        now: () => io.now(),
        askMfaCode: (device) =>
          prompts.askSecret(
            `MFA code for ${device.mfaSerial} (roles ${device.roles.join(", ")})`,
            { validate: validateMfaCode },
          ),
      });
    } catch (err) {
      showError(err);
      return "back";
    }
    const exit = await services.runTable({
      header: { accountId: "", roleLabel: "All saved roles", multi: true },
      color: theme.color,
      source: async (signal, emit) => {
        await listing.run(signal, emit);
        emit({ type: "done" });
      },
      browse: listing.browse,
      explain: (code: string, message: string) => services.explain(code, message),
      console: (label, signal) => {
        const role = roles.find((r) => r.label === label);
        if (!role) return Promise.reject(new UsageError(`Unknown role ${quote(label ?? "")}`));
        return openConsole(source, role, listing.sessionOf?.(role.label), signal, link);
      },
    });
    printLink(link);
    if (exit === "quit") {
      say(`To list these buckets again without prompts:`);
      const words = ["xrole", "buckets"];
      if (!source.profileName.startsWith("(")) words.push("--profile", source.profileName);
      words.push("--all-roles");
      if (options.endpointUrl) words.push("--endpoint-url", options.endpointUrl);
      say(`  ${words.map(shellWord).join(" ")}`);
    }
    return exit;
  }

  async function loadRolesSafely(): Promise<SavedRole[]> {
    try {
      return await services.loadRoles(env);
    } catch (err) {
      if (err instanceof XroleError) {
        showError(err);
        return [];
      }
      throw err;
    }
  }

  async function chooseProfile(profiles: SourceProfile[]): Promise<string> {
    if (profiles.length === 0) {
      throw new UsageError(
        'No AWS profiles found: run "aws configure" or set AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE',
      );
    }
    const preferred = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE;
    const names = profiles.map((p) => p.name);
    const width = Math.max(...names.map((n) => n.length));
    const choices: Choice<string>[] = profiles.map((p) => ({
      name: `${p.name.padEnd(width)}  ${KIND_LABEL[p.kind].padEnd(18)}  ${p.region ?? ""}`
        .trimEnd(),
      value: p.name,
      // The answered prompt shows just the name, not the kind and region.
      short: p.name,
      ...(p.kind === "role" && p.roleArn ? { description: `assumes ${p.roleArn}` } : {}),
    }));
    const def = preferred && names.includes(preferred)
      ? preferred
      : names.includes("(environment)")
      ? "(environment)"
      : names.includes("default")
      ? "default"
      : undefined;
    return await prompts.chooseOne("Source profile", choices, def ? { default: def } : {});
  }

  /**
   * A role as a list entry: swatch, label padded to `labelWidth` columns (so account ids and
   * role names line up), account id, role name.
   */
  function roleChoice(role: SavedRole, labelWidth = 0): Choice<SavedRole> {
    const { account, name } = describeAccount(role);
    const swatch = role.color
      ? theme.role("●", tryResolveColor(role.color)?.hex ?? role.color)
      : " ";
    const gap = " ".repeat(Math.max(0, labelWidth - displayWidth(role.label)));
    const origin = role.origin === "aws-config" ? theme.dim(" (AWS config)") : "";
    const details = [role.roleArn];
    if (role.externalId) details.push(`external id ${maskExternalId(role.externalId)}`);
    if (role.mfaSerial) details.push("MFA");
    if (role.sourceProfile) details.push(`source ${role.sourceProfile}`);
    return {
      name: `${swatch} ${
        theme.role(role.label, tryResolveColor(role.color)?.hex ?? role.color)
      }${gap}  ${account.padEnd(12)}  ${name}${origin}`,
      short: role.label,
      value: role,
      description: details.join(" · "),
    };
  }

  async function chooseRole(
    all: SavedRole[],
    haveOwn: boolean,
    profileName: string,
  ): Promise<RoleChoice> {
    // Roles whose default source is this profile first.
    const sorted = [...all].sort((a, b) =>
      Number(b.sourceProfile === profileName) - Number(a.sourceProfile === profileName)
    );
    const choices: Choice<RoleChoice>[] = [];
    const saved = all.filter((r) => r.origin === "xrole");
    if (services.inventory && saved.length >= 2) {
      choices.push({
        name: `★ All saved roles (${saved.length})`,
        value: { type: "all" },
        description: "every saved role's buckets in one table; MFA asked once per device",
      });
    }
    const width = labelWidth(sorted);
    const roleChoices: Choice<RoleChoice>[] = sorted.map((role) => {
      const c = roleChoice(role, width);
      return {
        name: c.name,
        ...(c.short ? { short: c.short } : {}),
        value: { type: "role", role },
        ...(c.description ? { description: c.description } : {}),
      };
    });
    choices.push(...roleChoices);
    choices.push({ name: "+ Add a role…", value: { type: "add" } });
    if (haveOwn) {
      choices.push({ name: "✎ Edit a role…", value: { type: "edit" } });
      choices.push({ name: "✗ Delete a role…", value: { type: "delete" } });
    }
    choices.push({ name: "← Choose another source profile…", value: { type: "profile" } });
    return await prompts.chooseOne("Target role", choices);
  }

  async function addOrEdit(existing: SavedRole | undefined, profileName: string): Promise<void> {
    const roleArn = parseRoleArn(
      await prompts.ask("Role ARN (arn:aws:iam::123456789012:role/Name)", {
        ...(existing ? { default: existing.roleArn } : {}),
        validate: (v) => parseRoleArn(v.trim()),
      }),
    ).arn;
    const optional = (validate: (v: string) => unknown) => (v: string) =>
      v.trim() === "" ? undefined : validate(v.trim());
    const externalId = (await prompts.ask("External ID (optional)", {
      ...(existing?.externalId ? { default: existing.externalId } : {}),
      validate: optional(validateExternalId),
    })).trim();
    const label = await prompts.ask("Label", {
      default: existing?.label ?? parseRoleArn(roleArn).roleName,
      validate: validateLabel,
    });
    const colorChoices: Choice<string>[] = [
      { name: "(none)", value: "" },
      ...ROLE_COLORS.map((c) => ({ name: `${theme.role("●", c.hex)} ${c.name}`, value: c.name })),
    ];
    const color = await prompts.chooseOne("Colour", colorChoices, {
      default: tryResolveColor(existing?.color)?.name ?? "",
    });
    const sessionName = (await prompts.ask("Session name (optional)", {
      ...(existing?.sessionName ? { default: existing.sessionName } : {}),
      validate: optional(validateSessionName),
    })).trim();
    const duration = (await prompts.ask("Duration in seconds (optional, 900-43200)", {
      ...(existing?.durationSeconds ? { default: String(existing.durationSeconds) } : {}),
      validate: optional((v) => validateDuration(v)),
    })).trim();
    const mfaSerial = (await prompts.ask("MFA device ARN (optional)", {
      ...(existing?.mfaSerial ? { default: existing.mfaSerial } : {}),
      validate: optional(parseMfaSerial),
    })).trim();
    const region = (await prompts.ask("Region (optional)", {
      ...(existing?.region ? { default: existing.region } : {}),
      validate: optional(validateRegion),
    })).trim();
    const sourceProfile = (await prompts.ask("Default source profile (optional)", {
      default: existing?.sourceProfile ?? (profileName.startsWith("(") ? "" : profileName),
    })).trim();
    const role: SavedRole = { label, roleArn, origin: "xrole" };
    if (externalId) role.externalId = externalId;
    if (color) role.color = color;
    if (sessionName) role.sessionName = sessionName;
    if (duration) role.durationSeconds = validateDuration(duration);
    if (mfaSerial) role.mfaSerial = mfaSerial;
    if (region) role.region = validateRegion(region);
    if (sourceProfile) role.sourceProfile = sourceProfile;
    // The flow does not ask for `via` (see "xrole roles add --via"), but editing keeps it.
    if (existing?.via) role.via = existing.via;
    try {
      await services.saveRole(env, role, existing?.label === label);
      if (existing && existing.label !== label) await services.deleteRole(env, existing.label);
      say(`${theme.green("✓")} saved role ${quote(label)}`);
    } catch (err) {
      showError(err);
    }
  }

  /**
   * Runs `work` with a spinner on stderr; Ctrl-C (SIGINT) rejects with InterruptedError. `work`
   * gets `pause`, which hides the spinner while a prompt (the MFA code) is on screen.
   */
  async function spin<T>(
    message: string,
    work: (pause: <U>(prompt: () => Promise<U>) => Promise<U>) => Promise<T>,
  ): Promise<T> {
    const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    const ms = services.spinnerMs ?? 80;
    let i = 0;
    const line = () => io.stderr(`\r${theme.cyan(frames[i++ % frames.length]!)} ${message}…`);
    let timer: ReturnType<typeof setInterval> | undefined;
    const start = () => {
      if (ms <= 0) return;
      line();
      timer = setInterval(line, ms);
    };
    const hide = () => {
      if (timer === undefined) return;
      clearInterval(timer);
      timer = undefined;
      io.stderr(`\r${" ".repeat(message.length + 3)}\r`);
    };
    const pause = async <U>(prompt: () => Promise<U>): Promise<U> => {
      hide();
      try {
        return await prompt();
      } finally {
        start();
      }
    };
    start();
    let stop = () => {};
    const interrupted = new Promise<never>((_, reject) => {
      stop = services.onInterrupt(() => reject(new InterruptedError()));
    });
    try {
      return await Promise.race([work(pause), interrupted]);
    } finally {
      stop();
      hide();
    }
  }
}

/**
 * `xrole` with no command: the interactive flow on the process' terminal. Never prompts without
 * a terminal (says which flags to pass instead).
 */
export async function runInteractive(io: Io, options: InteractiveOptions = {}): Promise<number> {
  if (!io.stdinIsTerminal || !io.stdoutIsTerminal) {
    throw new UsageError(
      'Interactive mode needs a terminal: pass a command instead, e.g. "xrole buckets --profile NAME --role LABEL" (see "xrole --help")',
    );
  }
  const { makePrompts } = await import("./prompts.ts");
  const { runTable, realTerminal } = await import("./table/prompt.ts");
  const { realServices } = await import("./adapters.ts");
  const { browserServices } = await import("./browser/services.ts");
  const services: AppServices = {
    ...realServices(),
    ...browserServices(),
    prompts: makePrompts(),
    runTable: (opts) => runTable({ ...opts, terminal: realTerminal(), now: () => io.now() }),
    onInterrupt(handler) {
      try {
        Deno.addSignalListener("SIGINT", handler);
        return () => Deno.removeSignalListener("SIGINT", handler);
      } catch {
        return () => {};
      }
    },
  };
  return await runFlow(io, options, services);
}
