/**
 * Console sign-in through the AWS federation endpoint: temporary credentials → getSigninToken →
 * a login URL that opens the console as the role. The HTTP call is a plain `fetch` (injectable
 * for tests); the URLs are built by src/core/console_url.ts.
 *
 * Secrets: the request carries the credentials (POST body, never a URL), the answer a sign-in
 * token. Neither ever goes into an error message or a log line; the login URL goes only where
 * the user asked for it (stdout or the browser).
 */
import {
  federatedLoginUrl,
  federationEndpoint,
  s3ConsoleUrl,
  signinTokenForm,
} from "../core/console_url.ts";
import type { Partition } from "../core/arn.ts";
import { quote } from "../core/arn.ts";
import { AwsError, InterruptedError, UsageError } from "../core/errors.ts";
import type { Credentials } from "../core/model.ts";
import { NetworkError } from "./errors.ts";

/** The subset of `fetch` xrole uses (tests pass a fake). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** The issuer shown by the console when the session ends. */
export const DEFAULT_ISSUER = "xrole";

const DEFAULT_TIMEOUT_MS = 15_000;

export interface SigninTokenOptions {
  /** The federation endpoint URL (see federationEndpoint in core/console_url.ts). */
  endpoint: string;
  fetch?: FetchLike;
  signal?: AbortSignal;
  /** Console session length (900..43200); omitted: as long as the credentials. */
  sessionDurationSeconds?: number;
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
  /** --verbose log: gets the endpoint and the status, never the body or token. */
  log?: (line: string) => void;
}

/** Temporary credentials (with a session token) or a UsageError explaining why not. */
function temporary(creds: Credentials): Credentials & { sessionToken: string } {
  if (!creds.sessionToken) {
    throw new UsageError(
      "Console sign-in failed: it needs temporary credentials (a role session), not long-term keys",
    );
  }
  return { ...creds, sessionToken: creds.sessionToken };
}

/** The first line of a response body, without HTML tags, bounded (for error messages). */
function bodyReason(body: string): string {
  const text = body.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  if (!text) return "no message";
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** An exception's message with any URL removed (fetch errors quote the request URL). */
function safeMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return (raw.split("\n")[0] ?? "").replace(/\b\w+:\/\/\S+/g, "<url>").trim() || "no message";
}

/**
 * getSigninToken: POSTs the session JSON to the federation endpoint and returns the SigninToken.
 * Errors: UsageError (long-term keys), AwsError "GetSigninToken" (refused: exit 3 for 4xx),
 * NetworkError (unreachable), InterruptedError (signal aborted).
 */
export async function getSigninToken(
  credentials: Credentials,
  options: SigninTokenOptions,
): Promise<string> {
  const creds = temporary(credentials);
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  options.log?.(`GetSigninToken POST ${options.endpoint}`);
  let response: Response;
  let body: string;
  try {
    response = await doFetch(options.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body: signinTokenForm(creds, options.sessionDurationSeconds),
      redirect: "manual",
      signal,
    });
    body = await response.text();
  } catch (err) {
    if (options.signal?.aborted) throw new InterruptedError();
    if (timeout.aborted) {
      throw new NetworkError(
        `GetSigninToken failed: no answer from ${quote(options.endpoint)} within ${
          Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)
        } s`,
        options.endpoint,
      );
    }
    throw new NetworkError(
      `GetSigninToken failed: cannot reach ${quote(options.endpoint)}: ${safeMessage(err)}`,
      options.endpoint,
    );
  }
  options.log?.(`GetSigninToken ${response.status}`);
  if (response.status !== 200) {
    const code = response.status >= 400 && response.status < 500
      ? "AccessDenied"
      : `HTTP${response.status}`;
    throw new AwsError("GetSigninToken", code, bodyReason(body));
  }
  let token: unknown;
  try {
    token = (JSON.parse(body) as Record<string, unknown>)["SigninToken"];
  } catch {
    token = undefined;
  }
  if (typeof token !== "string" || token === "") {
    throw new AwsError("GetSigninToken", "InvalidResponse", "the answer has no SigninToken");
  }
  return token;
}

export interface SigninUrlOptions {
  partition: Partition;
  /** The region of the default destination (the S3 console of that region). */
  region: string;
  /** An endpoint override in effect (the federation endpoint is then `<it>/federation`). */
  endpointOverride?: string;
  /** Where the console opens (default: the S3 console of `region`). */
  destination?: string;
  issuer?: string;
  fetch?: FetchLike;
  signal?: AbortSignal;
  sessionDurationSeconds?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

/**
 * The console sign-in URL for temporary credentials: getSigninToken, then the login link with
 * Destination and Issuer. The URL holds a sign-in token (valid 15 minutes): it is a secret.
 */
export async function federatedSigninUrl(
  credentials: Credentials,
  options: SigninUrlOptions,
): Promise<string> {
  const endpoint = federationEndpoint(options.partition, options.endpointOverride);
  const signinToken = await getSigninToken(credentials, {
    endpoint,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.sessionDurationSeconds !== undefined
      ? { sessionDurationSeconds: options.sessionDurationSeconds }
      : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return federatedLoginUrl(endpoint, {
    signinToken,
    destination: options.destination ?? s3ConsoleUrl(options.partition, options.region),
    issuer: options.issuer ?? DEFAULT_ISSUER,
  });
}
