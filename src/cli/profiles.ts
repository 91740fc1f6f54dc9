/** `xrole profiles`: the AWS profiles found, with their kind and region; warnings on stderr. */
import { ExitCode } from "../core/errors.ts";
import { loadAwsProfiles } from "../config/aws_files.ts";
import { maskExternalId } from "../core/validate.ts";
import type { CliDeps } from "./deps.ts";
import { formatTable } from "./output.ts";

export interface ProfilesFlags {
  format?: "table" | "json" | undefined;
}

export async function profilesCommand(flags: ProfilesFlags, deps: CliDeps): Promise<number> {
  const { io } = deps;
  const { profiles, warnings } = await loadAwsProfiles(io.env);
  for (const w of warnings) io.stderr(`xrole: ${w}\n`);
  const format = flags.format ?? (io.stdoutIsTerminal ? "table" : "json");
  if (format === "json") {
    const out = profiles.map((p) => {
      const o: Record<string, unknown> = { name: p.name, kind: p.kind, region: p.region ?? null };
      if (p.roleArn) o.roleArn = p.roleArn;
      if (p.sourceProfile) o.sourceProfile = p.sourceProfile;
      if (p.externalId) o.externalId = maskExternalId(p.externalId);
      if (p.mfaSerial) o.mfaSerial = p.mfaSerial;
      o.files = p.files;
      return o;
    });
    io.stdout(JSON.stringify(out, null, 2) + "\n");
    return ExitCode.ok;
  }
  if (profiles.length === 0) {
    io.stderr("xrole: No AWS profiles found (looked at AWS_CONFIG_FILE / ~/.aws)\n");
    return ExitCode.ok;
  }
  io.stdout(formatTable(
    ["NAME", "KIND", "REGION", "SOURCE"],
    profiles.map((
      p,
    ) => [p.name, p.kind, p.region ?? "-", p.roleArn ? (p.sourceProfile ?? "-") : "-"]),
  ));
  return ExitCode.ok;
}
