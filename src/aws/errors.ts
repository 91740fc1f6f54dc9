/**
 * Turning SDK and network failures into xrole's typed errors (one line, no secrets, no stack).
 */
import { AwsError, ExitCode, InterruptedError, XroleError } from "../core/errors.ts";

/** The endpoint could not be reached (connection refused, DNS, TLS). Exit 1. */
export class NetworkError extends XroleError {
  readonly endpoint: string | undefined;
  constructor(message: string, endpoint?: string, options?: ErrorOptions) {
    super(message, ExitCode.failure, options);
    this.endpoint = endpoint;
  }
}

interface SdkErrorLike {
  name?: string;
  Code?: string;
  message?: string;
  $fault?: string;
  $metadata?: { requestId?: string; httpStatusCode?: number };
}

/** Whether an error is an AWS service response (as opposed to a network or client failure). */
export function isServiceError(err: unknown): boolean {
  return typeof err === "object" && err !== null && "$fault" in err;
}

/** Whether an error comes from an aborted request. */
export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === "AbortError" || err.name === "TimeoutError");
}

/** The AWS error code of an SDK error ("AccessDenied", "NoSuchBucket", …). */
export function errorCode(err: unknown): string {
  const e = (err ?? {}) as SdkErrorLike;
  let code = e.Code || e.name || "Unknown";
  const status = e.$metadata?.httpStatusCode;
  // Bodiless responses (HEAD) carry no code: name them after the status.
  if (code === "Unknown" || /^\d+$/.test(code) || code === "Forbidden" || code === "NotFound") {
    if (status === 403) code = "AccessDenied";
    else if (status === 404) code = "NoSuchBucket";
    else if (status === 301) code = "PermanentRedirect";
  }
  return code;
}

/** One line of the error's message, with the code prefix the SDK sometimes repeats removed. */
export function errorMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const line = raw.split("\n")[0]?.trim() ?? "";
  return line || "no message";
}

/**
 * Map anything a `send()` can throw to an XroleError: service errors → AwsError (exit 3 for
 * access denied, else 1), network failures → NetworkError naming the endpoint, aborts →
 * InterruptedError. XroleErrors pass through.
 */
export function toXroleError(err: unknown, operation: string, endpoint?: string): XroleError {
  if (err instanceof XroleError) return err;
  if (isAbortError(err)) return new InterruptedError();
  if (isServiceError(err)) {
    const e = err as SdkErrorLike;
    return new AwsError(
      operation,
      errorCode(err),
      errorMessage(err),
      e.$metadata?.requestId,
      { cause: err },
    );
  }
  if (err instanceof Error && err.name === "CredentialsProviderError") {
    return new AwsError(operation, "CredentialsProviderError", errorMessage(err), undefined, {
      cause: err,
    });
  }
  const where = endpoint ?? urlIn(fullText(err)) ?? "the AWS endpoint";
  return new NetworkError(
    `${operation} failed: cannot reach "${where}": ${networkReason(err)}`,
    where,
    { cause: err },
  );
}

/** The error's message and its causes' messages (first lines), joined. */
function fullText(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    parts.push(errorMessage(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(": ");
}

function urlIn(text: string): string | undefined {
  const m = /url \(([^)]+)\)/.exec(text) ?? /(https?:\/\/[^\s)]+)/.exec(text);
  if (!m?.[1]) return undefined;
  try {
    return new URL(m[1]).origin;
  } catch {
    return undefined;
  }
}

/** "connection refused", "dns error", … from Deno's fetch error text. */
function networkReason(err: unknown): string {
  const text = fullText(err);
  if (/connection refused/i.test(text)) return "connection refused";
  if (/connection reset/i.test(text)) return "connection reset";
  if (/dns error|failed to lookup|name or service not known/i.test(text)) return "host not found";
  if (/certificate|tls/i.test(text)) return "TLS error";
  if (/timed? ?out/i.test(text)) return "timed out";
  const last = errorMessage(err).split(": ").pop() ?? "";
  return last.replace(/\s*\(os error \d+\)/, "").toLowerCase() || "network error";
}
