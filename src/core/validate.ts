/**
 * Validators for user input. Each returns the normalised value or throws a UsageError with a
 * one-line message naming the value (never an MFA code). Pure: imports only core/.
 */
import { UsageError } from "./errors.ts";
import { quote } from "./arn.ts";

export { quote };

/** AssumeRole's DurationSeconds bounds. */
export const MIN_DURATION_SECONDS = 900;
export const MAX_DURATION_SECONDS = 43200;

const EXTERNAL_ID_RE = /^[\w+=,.@:/-]+$/;
const SESSION_NAME_RE = /^[\w+=,.@-]+$/;
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** External ID: 2-1224 characters of letters, digits and +=,.@:/_-. Returns it trimmed. */
export function validateExternalId(text: string): string {
  const id = text.trim();
  // Never echo the whole External ID: it is masked everywhere else too.
  const shown = quote(maskExternalId(id));
  if (id.length < 2 || id.length > 1224) {
    throw new UsageError(
      `Invalid External ID ${shown}: must be 2-1224 characters (got ${id.length})`,
    );
  }
  if (!EXTERNAL_ID_RE.test(id)) {
    const bad = firstBad(id, /[\w+=,.@:/-]/);
    throw new UsageError(
      `Invalid External ID ${shown}: character ${
        quote(bad)
      } is not allowed (use letters, digits and +=,.@:/_-)`,
    );
  }
  return id;
}

function firstBad(text: string, allowed: RegExp): string {
  for (const ch of text) if (!allowed.test(ch)) return ch;
  return "";
}

/** Session name: 2-64 characters of letters, digits and +=,.@_-. */
export function validateSessionName(text: string): string {
  const name = text.trim();
  if (name.length < 2 || name.length > 64) {
    throw new UsageError(
      `Invalid session name ${quote(name)}: must be 2-64 characters (got ${name.length})`,
    );
  }
  if (!SESSION_NAME_RE.test(name)) {
    const bad = firstBad(name, /[\w+=,.@-]/);
    throw new UsageError(
      `Invalid session name ${quote(name)}: character ${
        quote(bad)
      } is not allowed (use letters, digits and +=,.@_-)`,
    );
  }
  return name;
}

/**
 * Turn anything (e.g. "xrole-" + a source user name) into a valid session name: bad characters
 * become "-", trimmed to 64, padded with "-x" when shorter than 2. Never throws.
 */
export function sanitizeSessionName(raw: string): string {
  // Per code point, so an emoji becomes one "-", not two.
  let name = Array.from(raw, (ch) => /^[\w+=,.@-]$/.test(ch) ? ch : "-").join("");
  if (name.length > 64) name = name.slice(0, 64);
  if (name.length === 0) name = "xrole";
  if (name.length < 2) name = `${name}-x`;
  return name;
}

/**
 * Duration in seconds: an integer 900..43200, and at most `max` when given (the role's maximum
 * session duration, or 3600 for chained roles). Accepts a number or a decimal string.
 */
export function validateDuration(seconds: number | string, max?: number): number {
  const text = String(seconds).trim();
  const value = typeof seconds === "number" ? seconds : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value)) {
    throw new UsageError(`Invalid duration ${quote(text)}: must be a whole number of seconds`);
  }
  if (value < MIN_DURATION_SECONDS || value > MAX_DURATION_SECONDS) {
    throw new UsageError(
      `Invalid duration ${value}: must be between ${MIN_DURATION_SECONDS} and ${MAX_DURATION_SECONDS} seconds`,
    );
  }
  if (max !== undefined && value > max) {
    throw new UsageError(`Invalid duration ${value}: the limit here is ${max} seconds`);
  }
  return value;
}

/** An MFA code: exactly 6 digits. The message never contains the code itself. */
export function validateMfaCode(text: string): string {
  const code = text.trim();
  if (!/^\d{6}$/.test(code)) {
    throw new UsageError("Invalid MFA code: must be exactly 6 digits");
  }
  return code;
}

/** Something that looks like a region (`eu-west-1`, `us-gov-west-1`). Lower-cases it. */
export function validateRegion(text: string): string {
  const region = text.trim().toLowerCase();
  if (!REGION_RE.test(region)) {
    throw new UsageError(`Invalid region ${quote(text.trim())}: expected a name like "eu-west-1"`);
  }
  return region;
}

/**
 * An endpoint URL (`--endpoint-url`): http or https, no user name or password in it (it would end
 * up in logs). Returns it unchanged.
 */
export function validateEndpointUrl(text: string, flag = "--endpoint-url"): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
    throw new UsageError(
      `Invalid ${flag} ${quote(text)}: expected an http or https URL like "http://127.0.0.1:4566"`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new UsageError(
      `Invalid ${flag} ${quote(url.host)}: must not contain a user name or password`,
    );
  }
  return text;
}

/** A saved role's label: 1-64 characters, no "]" or line break, no leading/trailing space. */
export function validateLabel(text: string): string {
  const label = text;
  if (label.length === 0) throw new UsageError('Invalid label "": must not be empty');
  if (label.length > 64) {
    throw new UsageError(
      `Invalid label ${quote(label)}: must be at most 64 characters (got ${label.length})`,
    );
  }
  if (/[\]\r\n]/.test(label)) {
    throw new UsageError(`Invalid label ${quote(label)}: must not contain "]" or a line break`);
  }
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f]/.test(label)) {
    throw new UsageError(`Invalid label ${quote(label)}: must not contain control characters`);
  }
  if (label.trim() !== label) {
    throw new UsageError(`Invalid label ${quote(label)}: must not start or end with a space`);
  }
  return label;
}

/**
 * Mask an External ID for lists and logs: at most the first 2 and last 2 characters show, never
 * the whole value ("xrole-dev" → "xr…ev", short ids → "…").
 */
export function maskExternalId(id: string): string {
  if (id.length >= 8) return `${id.slice(0, 2)}…${id.slice(-2)}`;
  if (id.length >= 5) return `${id.slice(0, 1)}…${id.slice(-1)}`;
  return "…";
}
