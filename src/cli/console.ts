/**
 * `xrole console --role X`: a link that opens the AWS console as the role.
 * - Roles without an External ID: the console's "Switch Role" URL (account, role name, display
 *   name, colour), as the console's own Switch Role page builds it. No network.
 * - Roles with an External ID or a `via` chain (the console cannot switch to those), and any role
 *   with `--signin`: assume the role, then a federated sign-in URL from the federation endpoint
 *   (src/aws/federation.ts). The URL holds a sign-in token: it goes to stdout (or the browser with
 *   `--open`), never to logs.
 */
import { parseRoleArn, quote } from "../core/arn.ts";
import { switchRoleUrl, validateDestination } from "../core/console_url.ts";
import { resolveColor } from "../core/colors.ts";
import { ExitCode, UsageError } from "../core/errors.ts";
import type { SavedRole } from "../core/model.ts";
import { type CliDeps, verboseLog } from "./deps.ts";
import { loadRoleList } from "./role_list.ts";
import { resolveTarget, type TargetFlags } from "./target.ts";
import { openTargetEarly } from "./early_identity.ts";

export interface ConsoleFlags extends TargetFlags {
  displayName?: string | undefined;
  roleColor?: string | undefined;
  /** Federated sign-in even for roles the Switch Role page could open. */
  signin?: boolean | undefined;
  /** Where the signed-in console opens (implies --signin). */
  destination?: string | undefined;
  /** Open the URL in a browser instead of printing it (printed when no browser opens). */
  open?: boolean | undefined;
}

export interface ConsoleInput {
  roleArn: string;
  displayName: string;
  /** One of the console's colours (name). */
  color?: string;
}

export async function consoleInput(flags: ConsoleFlags, deps: CliDeps): Promise<ConsoleInput> {
  if (flags.role !== undefined && flags.roleArn !== undefined) {
    throw new UsageError("Conflicting flags: pass --role or --role-arn, not both");
  }
  let input: ConsoleInput;
  if (flags.role !== undefined) {
    const label = flags.role;
    const role = (await loadRoleList(deps.io.env)).find((r) => r.label === label);
    if (!role) throw new UsageError(`Unknown role ${quote(label)} (see "xrole roles list")`);
    input = { roleArn: role.roleArn, displayName: role.label };
    if (role.color) input.color = resolveColor(role.color).name;
  } else if (flags.roleArn !== undefined) {
    const arn = parseRoleArn(flags.roleArn);
    input = { roleArn: arn.arn, displayName: `${arn.roleName} @ ${arn.accountId}` };
  } else {
    throw new UsageError("No role given: pass --role LABEL or --role-arn ARN");
  }
  if (flags.displayName !== undefined) {
    const name = flags.displayName.trim();
    if (name === "") throw new UsageError('Invalid display name "": must not be empty');
    input.displayName = name;
  }
  if (flags.roleColor !== undefined) input.color = resolveColor(flags.roleColor).name;
  return input;
}

/** Whether the console needs a federated sign-in for this role (it cannot Switch Role to it). */
export function needsSignin(flags: ConsoleFlags, saved: SavedRole | undefined): boolean {
  return flags.signin === true || flags.destination !== undefined ||
    flags.externalId !== undefined || Boolean(saved?.externalId) || Boolean(saved?.via);
}

export async function consoleCommand(flags: ConsoleFlags, deps: CliDeps): Promise<number> {
  if (flags.assume === false) {
    throw new UsageError("Conflicting flags: the console needs a role, so --no-assume is wrong");
  }
  const destination = flags.destination === undefined
    ? undefined
    : validateDestination(flags.destination);
  const roles = flags.role === undefined ? [] : await loadRoleList(deps.io.env);
  const saved = flags.role === undefined ? undefined : roles.find((r) => r.label === flags.role);
  let url: string;
  if (!needsSignin(flags, saved)) {
    const input = await consoleInput(flags, deps);
    url = switchRoleUrl({
      label: input.displayName,
      roleArn: input.roleArn,
      origin: "xrole",
      ...(input.color ? { color: input.color } : {}),
    });
  } else {
    const target = await resolveTarget(flags, {
      requireRole: true,
      command: "console",
      roles: () => Promise.resolve(roles),
    });
    const role = target.role;
    if (!role) throw new UsageError("No role given: pass --role LABEL or --role-arn ARN");
    const { federatedSigninUrl } = await import("../aws/federation.ts");
    const opened = await openTargetEarly(target, deps);
    const log = verboseLog(deps);
    url = await federatedSigninUrl(opened.credentials, {
      partition: parseRoleArn(role.roleArn).partition,
      region: opened.region,
      ...(opened.source.endpoints.sts ? { endpointOverride: opened.source.endpoints.sts } : {}),
      ...(destination ? { destination } : {}),
      signal: deps.signal,
      ...(log ? { log } : {}),
    });
  }
  if (flags.open && await openInBrowser(url)) {
    deps.io.stderr("xrole: Opened the console in your browser\n");
    return ExitCode.ok;
  }
  if (flags.open) deps.io.stderr("xrole: No browser could be opened: open this URL yourself\n");
  deps.io.stdout(url + "\n");
  return ExitCode.ok;
}

/** How to open a URL on this OS: xdg-open, open, or rundll32 (cmd's `start` splits on `&`). */
export function browserCommand(os: string, url: string): [string, string[]] {
  if (os === "darwin") return ["open", [url]];
  if (os === "windows") return ["rundll32", ["url.dll,FileProtocolHandler", url]];
  return ["xdg-open", [url]];
}

/** Runs a command quietly, resolves to whether it ran and exited 0. */
export type Runner = (command: string, args: string[]) => Promise<boolean>;

const denoRunner: Runner = async (command, args) => {
  try {
    const out = await new Deno.Command(command, {
      args,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  } catch {
    return false; // not installed, or --allow-run refused
  }
};

/** Opens `url` in the user's browser; false when no opener exists or it failed. */
export function openInBrowser(
  url: string,
  options: { os?: string; run?: Runner } = {},
): Promise<boolean> {
  const [command, args] = browserCommand(options.os ?? Deno.build.os, url);
  return (options.run ?? denoRunner)(command, args);
}
