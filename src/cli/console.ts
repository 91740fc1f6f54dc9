/**
 * `xrole console --role X`: the AWS console "Switch Role" URL for a role (account, role name,
 * display name, colour), as the console's own Switch Role page builds it. No network.
 */
import { parseRoleArn, quote } from "../core/arn.ts";
import { switchRoleUrl } from "../core/console_url.ts";
import { resolveColor } from "../core/colors.ts";
import { ExitCode, UsageError } from "../core/errors.ts";
import type { CliDeps } from "./deps.ts";
import { loadRoleList } from "./role_list.ts";

export interface ConsoleFlags {
  role?: string | undefined;
  roleArn?: string | undefined;
  displayName?: string | undefined;
  roleColor?: string | undefined;
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

export async function consoleCommand(flags: ConsoleFlags, deps: CliDeps): Promise<number> {
  const input = await consoleInput(flags, deps);
  deps.io.stdout(
    switchRoleUrl({
      label: input.displayName,
      roleArn: input.roleArn,
      origin: "xrole",
      ...(input.color ? { color: input.color } : {}),
    }) + "\n",
  );
  return ExitCode.ok;
}
