/**
 * SDK clients built the one way xrole needs them: the fetch handler (no broad --allow-sys),
 * retries with backoff that never run out of quota in a burst of throttling, and an optional
 * request log that never contains a secret. The STS client is made here; the S3 client, in
 * s3_client.ts, so that a command can assume its role while the S3 half of the SDK still loads.
 */
import { STSClient } from "@aws-sdk/client-sts";
import { FetchHttpHandler } from "@smithy/fetch-http-handler";
import type { Credentials } from "../core/model.ts";

/** A function that resolves credentials (what the SDK's providers return). */
export type AwsCredentialIdentityProvider = () => Promise<Credentials>;

/** Options shared by both client factories. */
export interface ClientOptions {
  region: string;
  credentials?: Credentials | AwsCredentialIdentityProvider;
  /** A custom endpoint (LocalStack, MinIO, the simulator). */
  endpoint?: string;
  /** Attempts per request, first one included (default 5). */
  maxAttempts?: number;
  /** Socket-level timeout per attempt in ms (default: none). */
  requestTimeoutMs?: number;
  /** `--verbose`: one line per HTTP request, no secrets. */
  log?: (line: string) => void;
  /**
   * Called as each request goes out (signed, handed to fetch), so a caller can do work that
   * overlaps the round trip instead of delaying the request.
   */
  onSend?: () => void;
}

/** The default number of attempts per request (first try included). */
export const DEFAULT_MAX_ATTEMPTS = 5;

/** The endpoint each client talks to, so errors can name it. */
const endpoints = new WeakMap<object, string>();

/** The endpoint a client made here talks to ("https://sts.us-east-1.amazonaws.com" by default). */
export function endpointOf(client: object): string | undefined {
  return endpoints.get(client);
}

/** The configuration every client shares: region, fetch handler, retries, credentials. */
export function baseClientConfig(opts: ClientOptions) {
  return {
    region: opts.region,
    requestHandler: handler(opts),
    maxAttempts: opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryStrategy: new BackoffRetryStrategy(opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
  };
}

/** Records a new client's endpoint (for error messages) and adds the --verbose request log. */
export function registerClient(
  client: Stackable,
  service: "sts" | "s3",
  opts: ClientOptions,
): void {
  endpoints.set(client, opts.endpoint ?? `https://${service}.${opts.region}.amazonaws.com`);
  if (opts.log) addRequestLog(client, service, opts.log);
  const onSend = opts.onSend;
  if (onSend) {
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>) => (args: unknown) => {
        onSend();
        return next(args);
      },
      // The innermost step: after serialising and signing, just before the handler sends.
      { step: "deserialize", priority: "low", name: "xroleOnSend" },
    );
  }
}

/** STS client for `region`, optionally against a custom endpoint. */
export function makeStsClient(opts: ClientOptions): STSClient {
  const client = new STSClient({
    ...baseClientConfig(opts),
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
  });
  registerClient(client, "sts", opts);
  return client;
}

function handler(opts: ClientOptions): FetchHttpHandler {
  return new FetchHttpHandler(
    opts.requestTimeoutMs ? { requestTimeout: opts.requestTimeoutMs } : {},
  );
}

// ---------------------------------------------------------------------------------------------
// Retries

interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

interface RetryErrorInfo {
  errorType: "TRANSIENT" | "THROTTLING" | "SERVER_ERROR" | "CLIENT_ERROR";
  retryAfterHint?: Date;
}

/** Base delay (ms) of the exponential backoff; throttling starts higher. */
const BASE_DELAY_MS = 50;
const THROTTLING_BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 5_000;

/**
 * The SDK's standard strategy with exponential backoff and full jitter, minus the shared retry
 * quota: with thousands of lookups in flight, a burst of 503 SlowDown must not exhaust a
 * client-wide budget and turn into lost rows. Each request is still bounded by `maxAttempts`.
 */
export class BackoffRetryStrategy {
  readonly mode = "standard";
  readonly #maxAttempts: number;
  readonly #random: () => number;

  constructor(maxAttempts: number, random: () => number = Math.random) {
    this.#maxAttempts = Math.max(1, maxAttempts);
    this.#random = random;
  }

  acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    return Promise.resolve(token(0, 0));
  }

  refreshRetryTokenForRetry(previous: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const count = previous.getRetryCount() + 1;
    if (info.errorType === "CLIENT_ERROR" || count >= this.#maxAttempts) {
      return Promise.reject(new Error("No retry token available"));
    }
    return Promise.resolve(token(count, this.delay(count, info)));
  }

  recordSuccess(_token: RetryToken): void {}

  /** Delay before retry number `count` (1-based). */
  delay(count: number, info: RetryErrorInfo): number {
    const base = info.errorType === "THROTTLING" ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
    const ceiling = Math.min(MAX_DELAY_MS, base * 2 ** (count - 1));
    let ms = Math.round(ceiling * (0.5 + this.#random() / 2));
    if (info.retryAfterHint) {
      const hinted = info.retryAfterHint.getTime() - Date.now();
      ms = Math.max(ms, Math.min(hinted, MAX_DELAY_MS));
    }
    return ms;
  }
}

function token(count: number, delay: number): RetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => delay };
}

// ---------------------------------------------------------------------------------------------
// Request log

interface LoggableRequest {
  method?: string;
  path?: string;
  query?: Record<string, unknown>;
  headers?: Record<string, string>;
}

interface MiddlewareContext {
  commandName?: string;
}

export interface Stackable {
  middlewareStack: {
    add(
      // deno-lint-ignore no-explicit-any
      middleware: (next: any, context: any) => any,
      options: { step: "deserialize"; priority: "low"; name: string },
    ): void;
  };
}

/**
 * Logs one line per HTTP attempt: service, operation, method, path, query keys (never values),
 * status, duration and attempt number. Headers and bodies are never logged, so Authorization,
 * X-Amz-Security-Token and form fields cannot leak.
 */
function addRequestLog(client: Stackable, service: string, log: (line: string) => void): void {
  client.middlewareStack.add(
    (
      next: (args: { request: unknown }) => Promise<{ response: unknown }>,
      context: MiddlewareContext,
    ) =>
    async (args: { request: unknown }) => {
      const start = performance.now();
      const request = (args.request ?? {}) as LoggableRequest;
      const line = (status: string) =>
        log(
          describeRequest(service, context.commandName, request, status, performance.now() - start),
        );
      try {
        const result = await next(args);
        const status = (result.response as { statusCode?: number } | undefined)?.statusCode;
        line(String(status ?? "?"));
        return result;
      } catch (err) {
        line(`failed (${err instanceof Error ? err.name : "error"})`);
        throw err;
      }
    },
    { step: "deserialize", priority: "low", name: "xroleRequestLog" },
  );
}

/** The log line for one request (exported for tests). */
export function describeRequest(
  service: string,
  commandName: string | undefined,
  request: LoggableRequest,
  status: string,
  ms: number,
): string {
  const operation = (commandName ?? "request").replace(/Command$/, "");
  const queryKeys = Object.keys(request.query ?? {}).filter((k) => !/^(x-amz-|x-id$)/i.test(k));
  const query = queryKeys.length ? `?${queryKeys.join("&")}` : "";
  const attempt = /attempt=(\d+)/.exec(request.headers?.["amz-sdk-request"] ?? "")?.[1] ?? "1";
  return `${service} ${operation} ${request.method ?? "?"} ${request.path ?? "/"}${query} ` +
    `${status} ${Math.round(ms)}ms attempt ${attempt}`;
}
