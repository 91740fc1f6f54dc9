/**
 * Text the CLI prints: bucket rows as table/json/csv/tsv, plain tables, credentials in the
 * formats `assume` offers. Pure (no Deno, no SDK), byte-stable for the same input.
 */
import stringWidth from "string-width";
import type { BucketRow, Credentials } from "../core/model.ts";

export type BucketFormat = "table" | "json" | "csv" | "tsv";
export type SortKey = "name" | "region" | "created";
export type CredentialFormat = "env" | "json" | "credential-process" | "dotenv";

const byName = (a: BucketRow, b: BucketRow) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/** Sorted copy: by key, then by name (so the order is total and stable across runs). */
export function sortBucketRows(rows: readonly BucketRow[], key: SortKey): BucketRow[] {
  const copy = [...rows];
  copy.sort((a, b) => {
    if (key === "region") {
      const ra = a.region ?? "\uffff";
      const rb = b.region ?? "\uffff";
      if (ra !== rb) return ra < rb ? -1 : 1;
    } else if (key === "created") {
      const ca = a.created?.getTime() ?? Number.MAX_SAFE_INTEGER;
      const cb = b.created?.getTime() ?? Number.MAX_SAFE_INTEGER;
      if (ca !== cb) return ca - cb;
    }
    return byName(a, b);
  });
  return copy;
}

/** The JSON shape of a row: `{name, region, created, error?}`; absent values are null. */
export interface BucketJson {
  name: string;
  region: string | null;
  created: string | null;
  regionSource?: string;
  error?: string;
}

function toJson(row: BucketRow): BucketJson {
  const out: BucketJson = {
    name: row.name,
    region: row.region ?? null,
    created: row.created ? row.created.toISOString() : null,
  };
  if (row.regionSource && row.regionSource !== "location") out.regionSource = row.regionSource;
  if (row.error) out.error = row.error;
  return out;
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function tsvCell(text: string): string {
  return text.replace(/[\t\r\n]/g, " ");
}

/** Formats rows (already sorted) for stdout; always ends with a newline. */
export function formatBucketRows(rows: readonly BucketRow[], format: BucketFormat): string {
  if (format === "json") return JSON.stringify(rows.map(toJson), null, 2) + "\n";
  const header = ["name", "region", "created", "error"];
  const cells = rows.map((r) => [
    r.name,
    r.region ?? "",
    r.created ? r.created.toISOString() : "",
    r.error ?? "",
  ]);
  if (format === "csv") {
    return [header, ...cells].map((line) => line.map(csvCell).join(",")).join("\n") + "\n";
  }
  if (format === "tsv") {
    return [header, ...cells].map((line) => line.map(tsvCell).join("\t")).join("\n") + "\n";
  }
  const tableRows = rows.map((r) => [
    r.name,
    r.region ? (r.regionSource === "head" ? `${r.region} (head)` : r.region) : "-",
    r.created ? r.created.toISOString().slice(0, 10) : "-",
    r.error ?? "",
  ]);
  const hasError = rows.some((r) => r.error);
  const head = hasError ? ["NAME", "REGION", "CREATED", "ERROR"] : ["NAME", "REGION", "CREATED"];
  return formatTable(head, hasError ? tableRows : tableRows.map((r) => r.slice(0, 3)));
}

/** A plain aligned table with a header row; columns separated by two spaces. */
export function formatTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) =>
    Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? "")))
  );
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => i === cells.length - 1 ? c : pad(c, widths[i] ?? 0)).join("  ")
      .trimEnd();
  return [line(head), ...rows.map(line)].join("\n") + "\n";
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - stringWidth(text)));
}

function shellQuote(value: string): string {
  return /^[\w+=,.@:/-]*$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/** The environment variables a child process (or a shell) needs for these credentials. */
export function credentialEnv(creds: Credentials, region: string): [string, string][] {
  const vars: [string, string][] = [
    ["AWS_ACCESS_KEY_ID", creds.accessKeyId],
    ["AWS_SECRET_ACCESS_KEY", creds.secretAccessKey],
  ];
  if (creds.sessionToken) vars.push(["AWS_SESSION_TOKEN", creds.sessionToken]);
  vars.push(["AWS_REGION", region], ["AWS_DEFAULT_REGION", region]);
  if (creds.expiration) vars.push(["AWS_CREDENTIAL_EXPIRATION", creds.expiration.toISOString()]);
  return vars;
}

/** Credentials in one of `assume`'s formats (this prints secrets: only `assume` calls it). */
export function formatCredentialsAs(
  creds: Credentials,
  format: CredentialFormat,
  region: string,
): string {
  switch (format) {
    case "env":
      return credentialEnv(creds, region).map(([k, v]) => `export ${k}=${shellQuote(v)}`)
        .join("\n") + "\n";
    case "dotenv":
      return credentialEnv(creds, region).map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join("\n") + "\n";
    case "json": {
      const out: Record<string, string> = {
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
      };
      if (creds.sessionToken) out.SessionToken = creds.sessionToken;
      if (creds.expiration) out.Expiration = creds.expiration.toISOString();
      return JSON.stringify({ Credentials: out }, null, 2) + "\n";
    }
    case "credential-process": {
      const out: Record<string, string | number> = {
        Version: 1,
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
      };
      if (creds.sessionToken) out.SessionToken = creds.sessionToken;
      if (creds.expiration) out.Expiration = creds.expiration.toISOString();
      return JSON.stringify(out) + "\n";
    }
  }
}
