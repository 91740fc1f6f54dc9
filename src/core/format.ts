/**
 * Output formats for bucket listings (JSON, CSV, TSV; the table is in bucket_table.ts) and
 * credentials. Pure: imports only core/, and nothing that measures text width, so printing data
 * loads no terminal library. Only `formatCredentials` prints secrets, and only because the user
 * asked for them.
 */
import type { AssumedSession, BucketRow, Credentials } from "./model.ts";

/** A row of a listing, with account and role columns when several roles are listed at once. */
export type OutputRow = BucketRow & { account?: string; role?: string };

export type BucketFormat = "table" | "json" | "csv" | "tsv";
/** The formats that print data as it is (no terminal layout). */
export type DataFormat = Exclude<BucketFormat, "table">;
export const BUCKET_FORMATS: readonly BucketFormat[] = ["table", "json", "csv", "tsv"];

/** The JSON shape of one row. */
export interface JsonRow {
  account?: string;
  role?: string;
  name: string;
  region: string | null;
  created: string | null;
  error?: string;
  regionSource?: "head";
}

export function hasExtra(rows: readonly OutputRow[], key: "account" | "role"): boolean {
  return rows.some((r) => r[key] !== undefined);
}

/** The row as JSON output wants it. */
export function jsonRow(row: OutputRow, withAccount: boolean, withRole: boolean): JsonRow {
  const out: JsonRow = {
    ...(withAccount ? { account: row.account ?? "" } : {}),
    ...(withRole ? { role: row.role ?? "" } : {}),
    name: row.name,
    region: row.state === "done" && row.region ? row.region : null,
    created: row.created ? row.created.toISOString() : null,
  };
  if (row.state === "error") out.error = row.error ?? "error";
  if (row.state === "done" && row.regionSource === "head") out.regionSource = "head";
  return out;
}

/** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function tsvField(value: string): string {
  return value.replace(/[\t\r\n]/g, " ");
}

interface Column {
  header: string;
  value: (row: OutputRow) => string;
}

function plainColumns(rows: readonly OutputRow[]): Column[] {
  const cols: Column[] = [];
  if (hasExtra(rows, "account")) cols.push({ header: "account", value: (r) => r.account ?? "" });
  if (hasExtra(rows, "role")) cols.push({ header: "role", value: (r) => r.role ?? "" });
  cols.push(
    { header: "name", value: (r) => r.name },
    { header: "region", value: (r) => (r.state === "done" ? r.region ?? "" : "") },
    { header: "created", value: (r) => r.created?.toISOString() ?? "" },
    { header: "error", value: (r) => (r.state === "error" ? r.error ?? "error" : "") },
  );
  return cols;
}

/** "2024-01-31 09:05" in UTC (the table's created column). */
export function formatDate(date: Date | undefined): string {
  if (!date || Number.isNaN(date.getTime())) return "";
  return date.toISOString().slice(0, 16).replace("T", " ");
}

/** The text of a row's region cell: the region, "…" while pending, the error code on failure. */
export function regionCell(row: BucketRow): string {
  if (row.state === "pending") return "…";
  if (row.state === "error") return row.error ?? "error";
  return row.region ?? "";
}

/**
 * A bucket listing as data. JSON: an array of {name, region, created, error?} (region null when
 * unknown, created ISO or null, regionSource "head" only for the HeadBucket fallback, account/role
 * when present), 2-space indent, trailing newline, rows in the given order. CSV/TSV: a header
 * row.
 */
export function formatBuckets(rows: readonly OutputRow[], format: DataFormat): string {
  switch (format) {
    case "json": {
      const withAccount = hasExtra(rows, "account");
      const withRole = hasExtra(rows, "role");
      return JSON.stringify(rows.map((r) => jsonRow(r, withAccount, withRole)), null, 2) + "\n";
    }
    case "csv":
    case "tsv": {
      const cols = plainColumns(rows);
      const field = format === "csv" ? csvField : tsvField;
      const sep = format === "csv" ? "," : "\t";
      const lines = [cols.map((c) => c.header).join(sep)];
      for (const r of rows) lines.push(cols.map((c) => field(c.value(r))).join(sep));
      return lines.join("\n") + "\n";
    }
  }
}

export type SortKey = "name" | "region" | "created";
export type SortDirection = "asc" | "desc";

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Rows sorted by a key (stable: equal rows keep their order). Rows without the key (pending or
 * failed regions, unknown dates) come last in both directions.
 */
export function sortRows<T extends BucketRow>(
  rows: readonly T[],
  key: SortKey,
  direction: SortDirection = "asc",
): T[] {
  const sign = direction === "asc" ? 1 : -1;
  const valueOf = (r: BucketRow): string | number | undefined => {
    if (key === "name") return r.name;
    if (key === "region") return r.state === "done" ? r.region : undefined;
    const t = r.created?.getTime();
    return t === undefined || Number.isNaN(t) ? undefined : t;
  };
  return rows.slice().sort((a, b) => {
    const va = valueOf(a);
    const vb = valueOf(b);
    if (va === undefined || vb === undefined) {
      return va === vb ? 0 : va === undefined ? 1 : -1;
    }
    const c = typeof va === "number" && typeof vb === "number"
      ? va - vb
      : compareText(String(va), String(vb));
    return sign * c;
  });
}

export type CredentialFormat = "env" | "json" | "credential-process" | "dotenv";
export const CREDENTIAL_FORMATS: readonly CredentialFormat[] = [
  "env",
  "json",
  "credential-process",
  "dotenv",
];

/** Quote for POSIX sh: bare when only safe characters, else single quotes. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function dotenvQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]*$/.test(value)) return value;
  return `"${value.replace(/["\\$`]/g, (c) => `\\${c}`).replace(/\n/g, "\\n")}"`;
}

/**
 * The environment variables that carry credentials (the env/dotenv formats, and `exec`'s child):
 * the session token and expiration only when the credentials have them (static keys with
 * `--no-assume` do not).
 */
export function credentialVars(creds: Credentials, region: string): [string, string][] {
  const vars: [string, string][] = [
    ["AWS_ACCESS_KEY_ID", creds.accessKeyId],
    ["AWS_SECRET_ACCESS_KEY", creds.secretAccessKey],
  ];
  if (creds.sessionToken) vars.push(["AWS_SESSION_TOKEN", creds.sessionToken]);
  vars.push(["AWS_REGION", region]);
  if (creds.expiration) vars.push(["AWS_CREDENTIAL_EXPIRATION", creds.expiration.toISOString()]);
  return vars;
}

/** The environment a child process needs for these credentials (`exec`). */
export function credentialEnv(creds: Credentials, region: string): [string, string][] {
  // AWS_DEFAULT_REGION too: older tools read only that one.
  return [...credentialVars(creds, region), ["AWS_DEFAULT_REGION", region]];
}

/**
 * Temporary credentials in a format the user asked for (this prints secrets, on purpose):
 * env (`export` lines for sh), json (the STS AssumeRole shape), credential-process (the
 * `Version: 1` JSON the AWS CLI and SDKs read), dotenv (`KEY=value`).
 */
export function formatCredentials(session: AssumedSession, format: CredentialFormat): string {
  const c = session.credentials;
  switch (format) {
    case "env":
      return credentialVars(c, session.region).map(([k, v]) => `export ${k}=${shellQuote(v)}\n`)
        .join("");
    case "dotenv":
      return credentialVars(c, session.region).map(([k, v]) => `${k}=${dotenvQuote(v)}\n`)
        .join("");
    case "json":
      return JSON.stringify(
        {
          Credentials: {
            AccessKeyId: c.accessKeyId,
            SecretAccessKey: c.secretAccessKey,
            SessionToken: c.sessionToken,
            Expiration: c.expiration.toISOString(),
          },
          AssumedRoleUser: { Arn: session.assumedRoleArn, AssumedRoleId: session.assumedRoleId },
        },
        null,
        2,
      ) + "\n";
    case "credential-process":
      return JSON.stringify(
        {
          Version: 1,
          AccessKeyId: c.accessKeyId,
          SecretAccessKey: c.secretAccessKey,
          SessionToken: c.sessionToken,
          Expiration: c.expiration.toISOString(),
        },
        null,
        2,
      ) + "\n";
  }
}

/** Time left, for people: "42s", "59m 12s", "1h 02m"; "expired" at or below zero. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return "expired";
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, "0")}s`;
  return `${s}s`;
}
