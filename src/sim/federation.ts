/**
 * The AWS federation endpoint (signin.aws.amazon.com/federation) for console sign-in URLs:
 * `Action=getSigninToken` turns temporary credentials (the `Session` JSON) into a SigninToken, and
 * `Action=login` with that token redirects to `Destination`. Requests are not SigV4-signed: the
 * session JSON carries the credentials, validated against what the simulated STS issued.
 */
import { type CredentialStore, type Principal, principalArn } from "./principal.ts";
import { randomText } from "./xml.ts";

export interface FederationResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface SigninToken {
  principal: Principal;
  /** The console session would last until here. */
  sessionEndsAt: Date;
  /** The token itself must be used within 15 minutes. */
  usableUntil: Date;
}

/** Sign-in tokens handed out by one simulator. */
export class FederationTokens {
  readonly #tokens = new Map<string, SigninToken>();
  add(token: string, entry: SigninToken): void {
    this.#tokens.set(token, entry);
  }
  get(token: string): SigninToken | undefined {
    return this.#tokens.get(token);
  }
}

export interface FederationContext {
  store: CredentialStore;
  tokens: FederationTokens;
  /** Decoded query (GET) or form (POST) parameters. */
  params: Map<string, string>;
  now: Date;
}

/** The stats name of a federation request. */
export function federationAction(params: Map<string, string>): string {
  const action = params.get("Action") ?? "";
  return action === "getSigninToken"
    ? "GetSigninToken"
    : action === "login"
    ? "FederationLogin"
    : "Federation";
}

function text(status: number, body: string): FederationResponse {
  return { status, headers: { "content-type": "text/plain; charset=utf-8" }, body };
}

const TOKEN_TTL_MS = 15 * 60 * 1000;

function getSigninToken(ctx: FederationContext): FederationResponse {
  const raw = ctx.params.get("Session");
  if (!raw) return text(400, "Missing required parameter: Session");
  let session: unknown;
  try {
    session = JSON.parse(raw);
  } catch {
    return text(400, "Invalid Session parameter: not JSON");
  }
  const s = session as Record<string, unknown>;
  const id = s["sessionId"];
  const key = s["sessionKey"];
  const token = s["sessionToken"];
  if (typeof id !== "string" || typeof key !== "string" || typeof token !== "string") {
    return text(400, "Invalid Session parameter: sessionId, sessionKey and sessionToken required");
  }
  const entry = ctx.store.lookup(id);
  if (
    !entry || entry.sessionToken === undefined || entry.secretAccessKey !== key ||
    entry.sessionToken !== token
  ) {
    return text(400, "The security token included in the request is invalid.");
  }
  if (entry.expiration && entry.expiration.getTime() <= ctx.now.getTime()) {
    return text(400, "The security token included in the request is expired");
  }
  if (entry.principal.kind === "session") {
    return text(400, "GetSessionToken credentials cannot be used for console sign-in");
  }
  let durationMs = 12 * 3600 * 1000;
  const rawDuration = ctx.params.get("SessionDuration");
  if (rawDuration !== undefined) {
    const seconds = Number(rawDuration);
    if (!/^\d+$/.test(rawDuration) || seconds < 900 || seconds > 43200) {
      return text(400, "SessionDuration must be between 900 and 43200 seconds");
    }
    durationMs = seconds * 1000;
  }
  const signinToken = randomText(
    400,
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
  );
  ctx.tokens.add(signinToken, {
    principal: entry.principal,
    sessionEndsAt: new Date(ctx.now.getTime() + durationMs),
    usableUntil: new Date(ctx.now.getTime() + TOKEN_TTL_MS),
  });
  return {
    status: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ SigninToken: signinToken }),
  };
}

function login(ctx: FederationContext): FederationResponse {
  const token = ctx.params.get("SigninToken");
  const destination = ctx.params.get("Destination");
  if (!token || !destination) {
    return text(400, "Missing required parameter: SigninToken and Destination");
  }
  if (
    !/^https:\/\/[^/]*console\.aws\.amazon\.com(\/|$)|^https:\/\/[^/]*amazonaws/.test(destination)
  ) {
    return text(400, "Invalid Destination");
  }
  const entry = ctx.tokens.get(token);
  if (!entry || entry.usableUntil.getTime() <= ctx.now.getTime()) {
    return text(400, "Invalid or expired SigninToken");
  }
  return {
    status: 302,
    headers: {
      location: destination,
      "x-sim-signed-in-as": principalArn(entry.principal),
      "content-type": "text/plain; charset=utf-8",
    },
    body: "",
  };
}

/** Answer a request to /federation. */
export function handleFederation(ctx: FederationContext): FederationResponse {
  const action = ctx.params.get("Action");
  if (action === "getSigninToken") return getSigninToken(ctx);
  if (action === "login") return login(ctx);
  return text(400, `Unknown Action: ${action ?? "(none)"}`);
}
