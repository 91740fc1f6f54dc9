/**
 * `xrole ls s3://bucket/prefix/ --role LABEL`: one folder of a bucket in the target account
 * (folders first, then objects), in the bucket's own region, for scripts (`--format json`) and
 * people (a table). `--recursive` lists every key below the prefix instead.
 */
import { quote } from "../core/arn.ts";
import { ExitCode, UsageError } from "../core/errors.ts";
import { formatModified, humanSize, relativeName } from "../ui/browser/format.ts";
import { parseIntFlag } from "./buckets.ts";
import { type CliDeps, verboseLog } from "./deps.ts";
import { formatTable } from "./output.ts";
import { loadRoleList } from "./role_list.ts";
import { resolveTarget, type TargetFlags, type TargetInput } from "./target.ts";
import { openTargetEarly } from "./early_identity.ts";

export type LsFormat = "table" | "json";

export interface LsFlags extends TargetFlags {
  format?: LsFormat | undefined;
  recursive?: boolean | undefined;
  pageSize?: string | undefined;
}

export interface LsInput {
  target: TargetInput;
  bucket: string;
  prefix: string;
  format: LsFormat;
  recursive: boolean;
  pageSize: number;
}

/** One line of `xrole ls --format json`. */
export interface LsJsonEntry {
  key: string;
  type: "folder" | "object";
  size: number | null;
  lastModified: string | null;
  storageClass?: string;
}

/** "s3://bucket/some/prefix/" → {bucket, prefix}; a bare "bucket/prefix" is accepted too. */
export function parseS3Url(text: string): { bucket: string; prefix: string } {
  const t = text.trim();
  const rest = t.startsWith("s3://") ? t.slice(5) : t;
  const slash = rest.indexOf("/");
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? "" : rest.slice(slash + 1);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new UsageError(
      `Invalid S3 location ${quote(t)}: expected s3://BUCKET/PREFIX with a valid bucket name`,
    );
  }
  return { bucket, prefix };
}

/** Flags → validated input (no network). */
export async function lsInput(url: string, flags: LsFlags, deps: CliDeps): Promise<LsInput> {
  const { bucket, prefix } = parseS3Url(url);
  const target = await resolveTarget(flags, {
    requireRole: true,
    command: "ls",
    roles: () => loadRoleList(deps.io.env),
  });
  return {
    target,
    bucket,
    prefix,
    format: flags.format ?? (deps.io.stdoutIsTerminal ? "table" : "json"),
    recursive: flags.recursive === true,
    pageSize: flags.pageSize === undefined
      ? 1000
      : parseIntFlag("--page-size", flags.pageSize, 1, 1000),
  };
}

/** Entries as `--format json` prints them: folders first, then objects, each in key order. */
export function lsJson(
  prefixes: readonly string[],
  objects: readonly {
    key: string;
    size: number;
    lastModified?: Date;
    storageClass?: string;
  }[],
): LsJsonEntry[] {
  return [
    ...prefixes.map((key): LsJsonEntry => ({
      key,
      type: "folder",
      size: null,
      lastModified: null,
    })),
    ...objects.map((o): LsJsonEntry => ({
      key: o.key,
      type: "object",
      size: o.size,
      lastModified: o.lastModified ? o.lastModified.toISOString() : null,
      ...(o.storageClass ? { storageClass: o.storageClass } : {}),
    })),
  ];
}

/** The table: NAME (below the prefix; folders end in "/"), SIZE, LAST MODIFIED (UTC). */
export function lsTable(prefix: string, entries: readonly LsJsonEntry[]): string {
  return formatTable(
    ["NAME", "SIZE", "LAST MODIFIED (UTC)"],
    entries.map((e) => [
      relativeName(e.key, prefix).replace(/[\t\r\n]/g, " "),
      e.type === "folder" ? "folder" : humanSize(e.size ?? 0),
      e.lastModified ? formatModified(new Date(e.lastModified)) : "",
    ]),
  );
}

/** Assumes the role, finds the bucket's region, lists the folder (every page) and prints it. */
export async function runLs(input: LsInput, deps: CliDeps): Promise<number> {
  const { bucketRegion, listFolder } = await import("../aws/objects.ts");
  const { s3For } = await import("../aws/s3_client.ts");
  const opened = await openTargetEarly(input.target, deps);
  const here = opened.s3();
  // A client in the bucket's own region: no redirect per page.
  const region = await bucketRegion(here, input.bucket, deps.signal);
  const endpointUrl = deps.globals.endpointUrl;
  const log = verboseLog(deps);
  const s3 = region && region !== opened.region
    ? s3For(opened.session ?? opened.source, region, {
      env: deps.io.env,
      source: opened.source,
      ...(endpointUrl ? { endpointUrl } : {}),
      ...(log ? { log } : {}),
    })
    : here;
  const listed = await listFolder(s3, {
    bucket: input.bucket,
    prefix: input.prefix,
    maxKeys: input.pageSize,
    delimiter: input.recursive ? "" : "/",
    signal: deps.signal,
  });
  const entries = lsJson(listed.prefixes, listed.objects);
  deps.io.stdout(
    input.format === "json"
      ? JSON.stringify(entries, null, 2) + "\n"
      : lsTable(input.recursive ? "" : input.prefix, entries),
  );
  if (input.format === "table" && deps.io.stdoutIsTerminal && entries.length === 0) {
    deps.io.stderr(`xrole: Nothing under ${quote(`s3://${input.bucket}/${input.prefix}`)}\n`);
  }
  return ExitCode.ok;
}

/** The action: url + flags → input → run. */
export async function lsCommand(url: string, flags: LsFlags, deps: CliDeps): Promise<number> {
  return await runLs(await lsInput(url, flags, deps), deps);
}
