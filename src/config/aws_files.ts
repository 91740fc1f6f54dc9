/**
 * The AWS config and credentials files, read through the SDK's own loader so xrole sees profiles
 * exactly as the SDK does, plus warnings for the sections that loader silently drops.
 */
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import type { Env } from "../core/env.ts";
import type { SavedRole, SourceProfile } from "../core/model.ts";
import { UsageError } from "../core/errors.ts";
import { classifyProfiles, type IniData } from "../core/profiles.ts";
import { awsConfigPath, awsCredentialsPath } from "./dirs.ts";

export interface AwsFilePaths {
  config: string;
  credentials: string;
}

export interface AwsProfiles {
  profiles: SourceProfile[];
  roleProfiles: SavedRole[];
  warnings: string[];
  paths: AwsFilePaths;
}

/** Why a file cannot be read, in a few words (one line). */
export function describeFsError(e: unknown): string {
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.NotCapable) {
    return "not allowed by Deno's --allow-read/--allow-write permissions";
  }
  if (e instanceof Deno.errors.IsADirectory) return "it is a directory";
  // "Read-only file system (os error 30): open '/x/roles.ini.lock'" → the reason only.
  if (e instanceof Error) return (e.message.split("\n")[0] ?? e.name).replace(/: \w+ '[^']*'$/, "");
  return String(e);
}

/**
 * The text of a file, or undefined when it does not exist. A directory or an unreadable file is
 * a one-line UsageError naming it.
 */
async function readIfPresent(path: string, what: string): Promise<string | undefined> {
  try {
    const info = await Deno.stat(path);
    if (info.isDirectory) throw new UsageError(`Cannot read ${what} "${path}": it is a directory`);
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    if (e instanceof UsageError) throw e;
    throw new UsageError(`Cannot read ${what} "${path}": ${describeFsError(e)}`, { cause: e });
  }
}

const SECTION_TYPES = new Set(["profile", "sso-session", "services"]);
/** The SDK loader's pattern for "<type> <name>" section headers. */
const PREFIXED = /^([\w-]+)\s(["'])?([\w\-@+.%:/]+)\2$/;

/**
 * Warnings about sections of the config file that the SDK's loader silently ignores:
 * `[profile with spaces]`, un-prefixed sections other than [default], unknown section types.
 */
export function droppedSectionWarnings(text: string, path: string): string[] {
  const warnings: string[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (!line.startsWith("[") || !line.endsWith("]")) continue;
    const name = line.slice(1, -1);
    if (name === "default") continue;
    const where = `"${path}" line ${i + 1}`;
    const m = PREFIXED.exec(name);
    if (m && SECTION_TYPES.has(m[1] ?? "")) continue;
    if (m) {
      warnings.push(
        `Section [${name}] in ${where} is ignored by AWS tools: unknown section type "${m[1]}"`,
      );
    } else if (/^\s*(profile|sso-session|services)\b/.test(name)) {
      warnings.push(
        `Section [${name}] in ${where} is ignored by AWS tools: names may only contain letters, digits and -_@+.%:/ (no spaces)`,
      );
    } else {
      warnings.push(
        `Section [${name}] in ${where} is ignored by AWS tools: in the config file, profiles are named [profile ${name.trim()}]`,
      );
    }
  }
  return warnings;
}

/**
 * Load and classify the profiles of the AWS config and credentials files (AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE honoured). A missing file is empty.
 */
export async function loadAwsProfiles(env: Env): Promise<AwsProfiles> {
  const paths: AwsFilePaths = { config: awsConfigPath(env), credentials: awsCredentialsPath(env) };
  const [configText, credentialsText] = await Promise.all([
    readIfPresent(paths.config, "AWS config file"),
    readIfPresent(paths.credentials, "AWS credentials file"),
  ]);
  const parsed = configText === undefined && credentialsText === undefined
    ? { configFile: {}, credentialsFile: {} }
    : await loadSharedConfigFiles({
      filepath: paths.credentials,
      configFilepath: paths.config,
      ignoreCache: true,
    });
  const { profiles, roleProfiles, warnings } = classifyProfiles(
    {
      configFile: parsed.configFile as IniData,
      credentialsFile: parsed.credentialsFile as IniData,
    },
    env,
  );
  const dropped = configText === undefined ? [] : droppedSectionWarnings(configText, paths.config);
  return { profiles, roleProfiles, warnings: [...dropped, ...warnings], paths };
}
