/**
 * Web identity (OIDC) tokens for the simulated AssumeRoleWithWebIdentity: reading the claims of a
 * JWT-shaped token, matching them against a role's trust, and minting tokens for tests and demos.
 * The signature is never checked: the simulator models trust (issuer, subject, expiry), not
 * cryptography, so any `header.payload.signature` string with the right claims is accepted.
 */
import type { SimWebIdentityTrust } from "./world.ts";

/** The claims the simulator reads from a token. */
export interface WebIdentityClaims {
  iss: string;
  sub: string;
  /** Seconds since the epoch. */
  exp: number;
  /** The token's first audience, when it names one. */
  aud?: string;
}

function base64UrlDecode(text: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  try {
    const bin = atob(b64 + "=".repeat((4 - b64.length % 4) % 4));
    return new TextDecoder("utf-8", { fatal: true }).decode(
      Uint8Array.from(bin, (c) => c.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
}

function base64UrlEncode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The claims of a JWT-shaped token, or undefined when it is not one (malformed). */
export function parseWebIdentityToken(token: string): WebIdentityClaims | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[0] || !parts[1]) return undefined;
  const json = base64UrlDecode(parts[1]);
  if (json === undefined) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof payload !== "object" || payload === null) return undefined;
  const { iss, sub, exp, aud } = payload as Record<string, unknown>;
  if (typeof iss !== "string" || !iss || typeof sub !== "string" || !sub) return undefined;
  if (typeof exp !== "number" || !Number.isFinite(exp)) return undefined;
  const audience = Array.isArray(aud) ? aud[0] : aud;
  return { iss, sub, exp, ...(typeof audience === "string" ? { aud: audience } : {}) };
}

/** `*` in a trusted subject matches any run of characters (IAM's StringLike); the rest is exact. */
function subjectMatches(pattern: string, subject: string): boolean {
  const source = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`).test(subject);
}

/** Whether a role's web identity trust accepts these claims (issuer and subject). */
export function trustsWebIdentity(
  trust: SimWebIdentityTrust | undefined,
  claims: WebIdentityClaims,
): boolean {
  if (!trust || trust.issuer !== claims.iss) return false;
  return trust.subjects === undefined || trust.subjects.some((p) => subjectMatches(p, claims.sub));
}

/** The provider as STS reports it: the OIDC provider's ARN in the role's account. */
export function oidcProviderArn(accountId: string, issuer: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${issuer.replace(/^https:\/\//, "")}`;
}

/**
 * A JWT-shaped token with these claims and a dummy signature (tests, demos). `exp` defaults to an
 * hour from now.
 */
export function mintWebIdentityToken(
  claims: { iss: string; sub: string; exp?: number; aud?: string },
): string {
  const header = base64UrlEncode(JSON.stringify({ alg: "RS256", typ: "JWT", kid: "sim" }));
  const payload = base64UrlEncode(JSON.stringify({
    iss: claims.iss,
    sub: claims.sub,
    aud: claims.aud ?? "sts.amazonaws.com",
    iat: Math.floor(Date.now() / 1000),
    exp: claims.exp ?? Math.floor(Date.now() / 1000) + 3600,
  }));
  return `${header}.${payload}.${base64UrlEncode("not-a-real-signature")}`;
}
