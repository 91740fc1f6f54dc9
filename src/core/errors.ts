/**
 * Typed errors for the conditions callers handle, and the one place they become text and an exit
 * code. Only src/main.ts exits; everything else throws these.
 */

/** Documented exit codes (README, --help). */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  accessDenied: 3,
  partial: 4,
  interrupted: 130,
  brokenPipe: 141,
} as const;
export type ExitCode = typeof ExitCode[keyof typeof ExitCode];

/** Base class: every error xrole raises on purpose. */
export class XroleError extends Error {
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad flag, invalid value, unknown profile or role: the user can fix the input. Exit 2. */
export class UsageError extends XroleError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.usage, options);
  }
}

/** A file xrole cannot parse; carries file and line. Exit 2. */
export class ConfigParseError extends XroleError {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, reason: string) {
    super(`Cannot parse "${file}" line ${line}: ${reason}`, ExitCode.usage);
    this.file = file;
    this.line = line;
  }
}

/** An AWS error response. AccessDenied-like codes exit 3, the rest exit 1. */
export class AwsError extends XroleError {
  readonly code: string;
  readonly requestId: string | undefined;
  constructor(
    operation: string,
    code: string,
    message: string,
    requestId?: string,
    options?: ErrorOptions,
  ) {
    super(
      `${operation} failed: ${code}: ${message}`,
      isAccessDeniedCode(code) ? ExitCode.accessDenied : ExitCode.failure,
      options,
    );
    this.code = code;
    this.requestId = requestId;
  }
}

/** The user pressed Ctrl-C. Exit 130. */
export class InterruptedError extends XroleError {
  constructor() {
    super("Interrupted", ExitCode.interrupted);
  }
}

/**
 * stdout's reader went away (`xrole buckets | head -1`): stop at once and exit 141 (128 + SIGPIPE),
 * like tools killed by SIGPIPE. Printed by nobody: there is nothing to tell, and the pipe is gone.
 */
export class BrokenPipeError extends XroleError {
  constructor(options?: ErrorOptions) {
    super("Output closed (broken pipe)", ExitCode.brokenPipe, options);
  }
}

const ACCESS_DENIED_CODES = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidAccessKeyId",
  "UnrecognizedClientException",
  "MissingAuthenticationToken",
  "CredentialsProviderError",
]);

/** Whether an AWS error code means "your credentials or permissions were refused". */
export function isAccessDeniedCode(code: string): boolean {
  return ACCESS_DENIED_CODES.has(code);
}

const EXPIRED_SESSION_CODES = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "InvalidAccessKeyId",
  "InvalidToken",
  "TokenRefreshRequired",
]);

/** Whether an AWS error code means "these temporary credentials are no longer valid". */
export function isExpiredSessionCode(code: string): boolean {
  return EXPIRED_SESSION_CODES.has(code);
}

/**
 * One line for people: what failed, then why; the AWS request id when there is one.
 * Unknown errors show their message only (never a stack) unless verbose. Whatever the error,
 * anything shaped like a secret key or a session token is replaced by "[redacted]".
 */
export function formatError(err: unknown, options: { verbose?: boolean } = {}): string {
  return redactSecrets(formatErrorText(err, options));
}

function formatErrorText(err: unknown, options: { verbose?: boolean }): string {
  if (err instanceof AwsError) {
    return err.requestId ? `${err.message} (request id ${err.requestId})` : err.message;
  }
  if (err instanceof XroleError) return err.message;
  if (err instanceof Error) {
    return options.verbose && err.stack ? err.stack : `${err.name}: ${err.message}`;
  }
  return String(err);
}

/** 40 characters of base64 (an AWS secret access key's shape) standing alone. */
const SECRET_KEY_RE = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
/** 100+ characters of base64: a session token (or any other long opaque credential). */
const TOKEN_RE = /[A-Za-z0-9/+=]{100,}/g;
/** `name=value` / `name: value` for credential fields, whatever the value looks like. */
const FIELD_RE =
  /\b(aws_secret_access_key|secretAccessKey|SecretAccessKey|aws_session_token|sessionToken|SessionToken|X-Amz-Security-Token|TokenCode)(["']?\s*[:=]\s*["']?)[^\s"',;&}]+/gi;

/**
 * Replace what looks like a secret with "[redacted]": credential fields by name, 40-character
 * base64 words with upper case, lower case and digits (secret keys) and 100+ character base64
 * runs (session tokens). For text xrole did not write itself (crash messages, stacks).
 */
export function redactSecrets(text: string): string {
  return text
    .replace(FIELD_RE, (_m, name: string, sep: string) => `${name}${sep}[redacted]`)
    .replace(TOKEN_RE, "[redacted]")
    .replace(
      SECRET_KEY_RE,
      (word) => /[a-z]/.test(word) && /[A-Z]/.test(word) && /\d/.test(word) ? "[redacted]" : word,
    );
}

/** The exit code an error maps to. */
export function exitCodeOf(err: unknown): ExitCode {
  return err instanceof XroleError ? err.exitCode : ExitCode.failure;
}
