/**
 * xrole's own roles file (roles.ini): `[role LABEL]` sections with role_arn, external_id, ...
 * Parsing validates every value; edits work on the text and keep everything else (comments,
 * unknown keys, order, BOM, line endings) byte for byte. Pure: imports only core/.
 */
import type { SavedRole } from "./model.ts";
import { ConfigParseError, UsageError } from "./errors.ts";
import { parseMfaSerial, parseRoleArn, quote } from "./arn.ts";
import {
  validateDuration,
  validateExternalId,
  validateLabel,
  validateRegion,
  validateSessionName,
} from "./validate.ts";
import { resolveColor } from "./colors.ts";

/** A saved role as the roles file holds it; `via` names the role to assume first (chaining). */
export type RoleEntry = SavedRole & { via?: string };

/** The keys of a `[role LABEL]` section, in the order xrole writes them. */
export const ROLE_KEYS = [
  "role_arn",
  "external_id",
  "session_name",
  "duration_seconds",
  "mfa_serial",
  "region",
  "color",
  "source_profile",
  "via",
] as const;
type RoleKey = typeof ROLE_KEYS[number];

const FIELD_OF: Record<RoleKey, keyof RoleEntry> = {
  role_arn: "roleArn",
  external_id: "externalId",
  session_name: "sessionName",
  duration_seconds: "durationSeconds",
  mfa_serial: "mfaSerial",
  region: "region",
  color: "color",
  source_profile: "sourceProfile",
  via: "via",
};

function isRoleKey(key: string): key is RoleKey {
  return (ROLE_KEYS as readonly string[]).includes(key);
}

function validateProfileName(text: string): string {
  const name = text.trim();
  // deno-lint-ignore no-control-regex
  if (name === "" || /[\x00-\x1f\x7f\]]/.test(name)) {
    throw new UsageError(`Invalid profile name ${quote(name)}`);
  }
  return name;
}

/** Validate and normalise one value; throws UsageError. */
function normalizeValue(key: RoleKey, value: string): string | number {
  switch (key) {
    case "role_arn":
      return parseRoleArn(value).arn;
    case "external_id":
      return validateExternalId(value);
    case "session_name":
      return validateSessionName(value);
    case "duration_seconds":
      return validateDuration(value);
    case "mfa_serial":
      return parseMfaSerial(value).serial;
    case "region":
      return validateRegion(value);
    case "color":
      return resolveColor(value).name;
    case "source_profile":
      return validateProfileName(value);
    case "via":
      return validateLabel(value.trim());
  }
}

/**
 * Check every field of a role as the roles file would; returns the normalised role.
 * Throws UsageError (for roles typed by the user, before they reach the file).
 */
export function validateSavedRole(role: RoleEntry): RoleEntry {
  const out: RoleEntry = { label: validateLabel(role.label), roleArn: "", origin: role.origin };
  for (const key of ROLE_KEYS) {
    const raw = role[FIELD_OF[key]];
    if (raw === undefined || raw === "") continue;
    setField(out, key, normalizeValue(key, String(raw)));
  }
  if (out.roleArn === "") throw new UsageError(`Role ${quote(role.label)} has no role ARN`);
  return out;
}

function setField(role: RoleEntry, key: RoleKey, value: string | number): void {
  (role as unknown as Record<string, string | number>)[FIELD_OF[key]] = value;
}

interface Line {
  /** The line's text without its line ending. */
  text: string;
  /** "\n", "\r\n", "\r" or "" (last line without ending). */
  eol: string;
}

interface Section {
  label: string | null;
  headerIndex: number;
  /** Index of the last line that belongs to the section (before the next header). */
  endIndex: number;
  /** Line index of each known key. */
  keys: Map<string, number>;
}

interface Scan {
  bom: string;
  lines: Line[];
  sections: Section[];
  roles: RoleEntry[];
}

function splitLines(body: string): Line[] {
  const lines: Line[] = [];
  const re = /\r\n|\n|\r/g;
  let start = 0;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) {
    lines.push({ text: body.slice(start, m.index), eol: m[0] });
    start = m.index + m[0].length;
  }
  if (start < body.length) lines.push({ text: body.slice(start), eol: "" });
  return lines;
}

function scan(text: string, fileName: string): Scan {
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const lines = splitLines(text.slice(bom.length));
  const sections: Section[] = [];
  const roles: RoleEntry[] = [];
  const seen = new Map<string, number>();
  let current: Section | null = null;
  let role: RoleEntry | null = null;

  const finish = () => {
    if (current && role) {
      if (role.roleArn === "") {
        throw new ConfigParseError(
          fileName,
          current.headerIndex + 1,
          `section [role ${role.label}] has no role_arn`,
        );
      }
      roles.push(role);
    }
  };

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const trimmed = (lines[i]?.text ?? "").trim();
    // NUL or undecodable bytes: not a text file (say so instead of quoting the garbage).
    if (trimmed.includes("\u0000") || trimmed.includes("\uFFFD")) {
      throw new ConfigParseError(fileName, lineNo, "binary data, not a text file");
    }
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    if (trimmed.startsWith("[")) {
      finish();
      const close = trimmed.indexOf("]");
      if (close < 0) {
        throw new ConfigParseError(
          fileName,
          lineNo,
          `missing "]" in section header ${quote(trimmed)}`,
        );
      }
      const rest = trimmed.slice(close + 1).trim();
      if (rest !== "" && !rest.startsWith("#") && !rest.startsWith(";")) {
        throw new ConfigParseError(fileName, lineNo, `unexpected text ${quote(rest)} after "]"`);
      }
      const inner = trimmed.slice(1, close).trim();
      const m = /^role(?:\s+(.*))?$/.exec(inner);
      if (!m) {
        throw new ConfigParseError(
          fileName,
          lineNo,
          `unknown section [${inner}]: expected [role LABEL]`,
        );
      }
      const labelText = (m[1] ?? "").trim();
      if (labelText === "") {
        throw new ConfigParseError(fileName, lineNo, "section [role] has no label");
      }
      let label: string;
      try {
        label = validateLabel(labelText);
      } catch (e) {
        throw new ConfigParseError(fileName, lineNo, (e as Error).message);
      }
      const previous = seen.get(label);
      if (previous !== undefined) {
        throw new ConfigParseError(
          fileName,
          lineNo,
          `duplicate section [role ${label}] (first on line ${previous})`,
        );
      }
      seen.set(label, lineNo);
      if (current) current.endIndex = i - 1;
      current = { label, headerIndex: i, endIndex: i, keys: new Map() };
      sections.push(current);
      role = { label, roleArn: "", origin: "xrole" };
      continue;
    }
    const eq = trimmed.indexOf("=");
    if (eq < 0) {
      throw new ConfigParseError(fileName, lineNo, `expected "key = value", got ${quote(trimmed)}`);
    }
    const key = trimmed.slice(0, eq).trim().toLowerCase();
    const value = trimmed.slice(eq + 1).trim();
    if (key === "") throw new ConfigParseError(fileName, lineNo, `missing key before "="`);
    if (!current || !role) {
      throw new ConfigParseError(
        fileName,
        lineNo,
        `key ${quote(key)} is outside a [role LABEL] section`,
      );
    }
    if (current.keys.has(key)) {
      throw new ConfigParseError(
        fileName,
        lineNo,
        `duplicate key ${quote(key)} in [role ${role.label}] (first on line ${
          (current.keys.get(key) ?? 0) + 1
        })`,
      );
    }
    current.keys.set(key, i);
    if (!isRoleKey(key) || value === "") continue; // unknown keys are kept and ignored
    try {
      setField(role, key, normalizeValue(key, value));
    } catch (e) {
      if (e instanceof UsageError) {
        throw new ConfigParseError(fileName, lineNo, `${key}: ${e.message}`);
      }
      throw e;
    }
  }
  finish();
  if (current) current.endIndex = lines.length - 1;
  return { bom, lines, sections, roles };
}

/**
 * Parse roles.ini. Every role has origin "xrole". Throws ConfigParseError(file, line, reason)
 * for anything it cannot read: a missing "]", a key outside a section, a line without "=", a
 * duplicate section or key, a section without role_arn, an invalid value.
 */
export function parseRolesFile(text: string, fileName: string): RoleEntry[] {
  return scan(text, fileName).roles;
}

function join(bom: string, lines: Line[]): string {
  return bom + lines.map((l) => l.text + l.eol).join("");
}

/** The file's line ending: its first one, else "\n". */
function eolOf(lines: Line[]): string {
  return lines.find((l) => l.eol !== "")?.eol ?? "\n";
}

function formatValue(role: RoleEntry, key: RoleKey): string | undefined {
  const v = role[FIELD_OF[key]];
  return v === undefined || v === "" ? undefined : String(v);
}

/**
 * Add a role (a new section at the end) or replace the keys of an existing one in place (keeping
 * its comments, unknown keys and order). Throws ConfigParseError when the text does not parse and
 * UsageError when the role is invalid.
 */
export function upsertRole(text: string, role: RoleEntry, fileName: string): string {
  const valid = validateSavedRole(role);
  const { bom, lines, sections } = scan(text, fileName);
  const eol = eolOf(lines);
  const section = sections.find((s) => s.label === valid.label);
  if (!section) {
    const out = lines.slice();
    const last = out[out.length - 1];
    if (last && last.eol === "") out[out.length - 1] = { text: last.text, eol };
    if (out.length > 0 && (out[out.length - 1]?.text.trim() ?? "") !== "") {
      out.push({ text: "", eol });
    }
    out.push({ text: `[role ${valid.label}]`, eol });
    for (const key of ROLE_KEYS) {
      const value = formatValue(valid, key);
      if (value !== undefined) out.push({ text: `${key} = ${value}`, eol });
    }
    return join(bom, out);
  }
  const out = lines.slice();
  const remove = new Set<number>();
  const inserts: Line[] = [];
  for (const key of ROLE_KEYS) {
    const value = formatValue(valid, key);
    const at = section.keys.get(key);
    if (at !== undefined) {
      const line = out[at];
      if (!line) continue;
      if (value === undefined) {
        remove.add(at);
      } else {
        const m = /^([^=]*=[ \t]*)/.exec(line.text);
        const prefix = m?.[1] ?? `${key} = `;
        // "key =" with nothing after it gets the usual space before the new value.
        out[at] = {
          text: `${line.text.trim().endsWith("=") ? `${prefix.trimEnd()} ` : prefix}${value}`,
          eol: line.eol,
        };
      }
    } else if (value !== undefined) {
      inserts.push({ text: `${key} = ${value}`, eol });
    }
  }
  // New keys go after the section's last key line (or its header).
  const lastKey = Math.max(section.headerIndex, ...section.keys.values());
  if (inserts.length > 0) {
    const anchor = out[lastKey];
    if (anchor && anchor.eol === "") out[lastKey] = { text: anchor.text, eol };
    if (lastKey === out.length - 1) {
      const tail = inserts[inserts.length - 1];
      if (tail && text.length > 0 && !/[\r\n]$/.test(text)) {
        inserts[inserts.length - 1] = { text: tail.text, eol: "" };
      }
    }
  }
  const result: Line[] = [];
  for (let i = 0; i < out.length; i++) {
    const line = out[i];
    if (line && !remove.has(i)) result.push(line);
    if (i === lastKey) result.push(...inserts);
  }
  return join(bom, result);
}

/**
 * Remove the `[role LABEL]` section: its header through its last key line and the blank lines
 * right after it. Comments after its last key (usually about the next section) stay.
 * Throws UsageError when there is no such role, ConfigParseError when the text does not parse.
 */
export function removeRole(text: string, label: string, fileName: string): string {
  const { bom, lines, sections } = scan(text, fileName);
  const section = sections.find((s) => s.label === label);
  if (!section) throw new UsageError(`Unknown role ${quote(label)} in "${fileName}"`);
  let end = Math.max(section.headerIndex, ...section.keys.values());
  while (end + 1 <= section.endIndex && (lines[end + 1]?.text.trim() ?? "") === "") end++;
  const out = [...lines.slice(0, section.headerIndex), ...lines.slice(end + 1)];
  // Removing the last section must not leave a dangling blank separator line behind.
  while (
    end + 1 >= lines.length && out.length > 0 && (out[out.length - 1]?.text.trim() ?? "") === ""
  ) {
    out.pop();
  }
  return join(bom, out);
}
