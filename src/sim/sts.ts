/**
 * STS over the awsQuery protocol (POST form, Version=2011-06-15): AssumeRole, GetCallerIdentity,
 * GetSessionToken and (unsigned, like AWS) AssumeRoleWithWebIdentity, with AWS's own validation
 * rules, error codes and messages.
 */
import {
  type CredentialStore,
  type KeyEntry,
  type Principal,
  principalArn,
  principalHasMfa,
  principalUserId,
} from "./principal.ts";
import {
  oidcProviderArn,
  parseWebIdentityToken,
  trustsWebIdentity,
  type WebIdentityClaims,
} from "./web_identity.ts";
import type { WorldIndex } from "./world.ts";
import { el, isoSeconds } from "./xml.ts";

const NS = "https://sts.amazonaws.com/doc/2011-06-15/";

export interface StsContext {
  index: WorldIndex;
  store: CredentialStore;
  principal: Principal;
  params: Map<string, string>;
  now: Date;
  requestId: string;
  /** Issued credentials stop working after this many seconds, whatever DurationSeconds says. */
  credentialTtlSeconds?: number | undefined;
}

export interface ProtocolResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What an unsigned request has: everything but a caller. */
export type UnsignedStsContext = Omit<StsContext, "principal">;

/** The one STS action AWS serves without a signature: the token is the caller's proof. */
export const UNSIGNED_STS_ACTION = "AssumeRoleWithWebIdentity";

/** The STS action a form body names ("" when none). */
export function stsAction(params: Map<string, string>): string {
  return params.get("Action") ?? "";
}

/** An awsQuery error response. */
export function stsError(
  status: number,
  code: string,
  message: string,
  requestId: string,
  type: "Sender" | "Receiver" = "Sender",
): ProtocolResponse {
  const body = `<ErrorResponse xmlns="${NS}">\n  <Error>\n    <Type>${type}</Type>\n    ${
    el("Code", code)
  }\n    ${el("Message", message)}\n  </Error>\n  ${
    el("RequestId", requestId)
  }\n</ErrorResponse>\n`;
  return { status, headers: xmlHeaders(requestId), body };
}

function xmlHeaders(requestId: string): Record<string, string> {
  return { "content-type": "text/xml", "x-amzn-requestid": requestId };
}

function ok(action: string, result: string, requestId: string): ProtocolResponse {
  const body =
    `<${action}Response xmlns="${NS}">\n  <${action}Result>\n${result}  </${action}Result>\n` +
    `  <ResponseMetadata>\n    ${
      el("RequestId", requestId)
    }\n  </ResponseMetadata>\n</${action}Response>\n`;
  return { status: 200, headers: xmlHeaders(requestId), body };
}

class StsFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

function validation(field: string, value: string, constraint: string): StsFailure {
  return new StsFailure(
    400,
    "ValidationError",
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

function accessDenied(message: string): StsFailure {
  return new StsFailure(403, "AccessDenied", message);
}

function parseDuration(params: Map<string, string>, fallback: number): number {
  const raw = params.get("DurationSeconds");
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) {
    throw new StsFailure(
      400,
      "MalformedInput",
      `Value '${raw}' for DurationSeconds is not a number`,
    );
  }
  return Number(raw);
}

function issue(
  ctx: UnsignedStsContext,
  principal: Principal,
  durationSeconds: number,
): { creds: KeyEntry & { sessionToken: string }; reportedExpiration: Date } {
  const reported = new Date(ctx.now.getTime() + durationSeconds * 1000);
  const ttl = ctx.credentialTtlSeconds;
  const expiresAt = ttl === undefined || ttl >= durationSeconds
    ? reported
    : new Date(ctx.now.getTime() + ttl * 1000);
  return { creds: ctx.store.issue(principal, expiresAt), reportedExpiration: reported };
}

function credentialsXml(
  creds: KeyEntry & { sessionToken: string },
  expiration: Date,
  indent: string,
): string {
  return `${indent}<Credentials>\n` +
    `${indent}  ${el("AccessKeyId", creds.accessKeyId)}\n` +
    `${indent}  ${el("SecretAccessKey", creds.secretAccessKey)}\n` +
    `${indent}  ${el("SessionToken", creds.sessionToken)}\n` +
    `${indent}  ${el("Expiration", isoSeconds(expiration))}\n` +
    `${indent}</Credentials>\n`;
}

const SESSION_NAME = /^[\w+=,.@-]*$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]*$/;

/** RoleArn and RoleSessionName, checked as AssumeRole and AssumeRoleWithWebIdentity both do. */
function roleAndSession(params: Map<string, string>): { arn: string; sessionName: string } {
  const arn = params.get("RoleArn");
  const sessionName = params.get("RoleSessionName");
  if (arn === undefined) {
    throw validation("roleArn", "null", "Member must not be null");
  }
  if (sessionName === undefined) {
    throw validation("roleSessionName", "null", "Member must not be null");
  }
  checkLength("roleArn", arn, 20, 2048);
  checkLength("roleSessionName", sessionName, 2, 64);
  if (!SESSION_NAME.test(sessionName)) {
    throw validation(
      "roleSessionName",
      sessionName,
      "Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  }
  return { arn, sessionName };
}

/** STS's length constraint on a parameter, with its ValidationError wording. */
function checkLength(field: string, value: string, min: number, max: number): void {
  if (value.length < min || value.length > max) {
    throw validation(
      field,
      value,
      value.length < min
        ? `Member must have length greater than or equal to ${min}`
        : `Member must have length less than or equal to ${max}`,
    );
  }
}

/** STS's range constraint on DurationSeconds, with its ValidationError wording. */
function checkDuration(duration: number, max: number): number {
  if (duration < 900 || duration > max) {
    throw validation(
      "durationSeconds",
      String(duration),
      duration < 900
        ? "Member must have value greater than or equal to 900"
        : `Member must have value less than or equal to ${max}`,
    );
  }
  return duration;
}

/** DurationSeconds (default one hour), 900..43200. */
function roleDuration(params: Map<string, string>): number {
  return checkDuration(parseDuration(params, 3600), 43200);
}

function exceedsMaxSession(): StsFailure {
  return new StsFailure(
    400,
    "ValidationError",
    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
  );
}

function assumeRole(ctx: StsContext): ProtocolResponse {
  const { params, principal, index } = ctx;
  const callerArn = principalArn(principal);
  const { arn, sessionName } = roleAndSession(params);
  const externalId = params.get("ExternalId");
  if (externalId !== undefined) {
    checkLength("externalId", externalId, 2, 1224);
    if (!EXTERNAL_ID.test(externalId)) {
      throw validation(
        "externalId",
        externalId,
        "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*",
      );
    }
  }
  const tokenCode = params.get("TokenCode");
  if (tokenCode !== undefined && !/^\d{6}$/.test(tokenCode)) {
    throw validation(
      "tokenCode",
      tokenCode,
      tokenCode.length !== 6
        ? "Member must have length " + (tokenCode.length < 6 ? "greater" : "less") +
          " than or equal to 6"
        : "Member must satisfy regular expression pattern: [\\d]*",
    );
  }
  const duration = roleDuration(params);

  const denied =
    `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`;
  const found = index.roleByArn(arn);
  if (!found) throw accessDenied(denied);
  const { account, role } = found;
  if (!role.trustedAccounts.includes(principal.account.id)) throw accessDenied(denied);
  if (role.externalId !== undefined && externalId !== role.externalId) throw accessDenied(denied);

  let mfa = principalHasMfa(principal);
  const serial = params.get("SerialNumber");
  if (serial !== undefined || tokenCode !== undefined) {
    const user = principal.kind === "assumed-role" ? undefined : principal.user;
    if (
      serial === undefined || tokenCode === undefined || !user || user.mfaSerial !== serial
    ) {
      if (role.requireMfa && !mfa) throw accessDenied(denied);
    } else if (user.mfaCode !== tokenCode) {
      throw accessDenied("MultiFactorAuthentication failed with invalid MFA one time pass code.");
    } else {
      mfa = true;
    }
  }
  if (role.requireMfa && !mfa) throw accessDenied(denied);

  if (duration > role.maxSessionDuration) throw exceedsMaxSession();
  if (principal.kind === "assumed-role" && duration > 3600) {
    throw new StsFailure(
      400,
      "ValidationError",
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    );
  }

  const assumed: Principal = {
    kind: "assumed-role",
    account,
    role,
    roleArn: found.arn,
    sessionName,
    mfa,
  };
  const { creds, reportedExpiration } = issue(ctx, assumed, duration);
  const result = credentialsXml(creds, reportedExpiration, "    ") +
    `    <AssumedRoleUser>\n      ${el("AssumedRoleId", principalUserId(assumed))}\n      ${
      el("Arn", principalArn(assumed))
    }\n    </AssumedRoleUser>\n`;
  return ok("AssumeRole", result, ctx.requestId);
}

/**
 * AssumeRoleWithWebIdentity: the token's claims (malformed → InvalidIdentityToken, expired →
 * ExpiredTokenException) against the role's OIDC trust (issuer, subject → else AccessDenied).
 * Messages never quote the token: it is a credential.
 */
function assumeRoleWithWebIdentity(ctx: UnsignedStsContext): ProtocolResponse {
  const { params, index } = ctx;
  const { arn, sessionName } = roleAndSession(params);
  const token = params.get("WebIdentityToken");
  if (token === undefined) {
    throw validation("webIdentityToken", "null", "Member must not be null");
  }
  if (token.length < 4 || token.length > 20000) {
    throw new StsFailure(
      400,
      "ValidationError",
      "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: " +
        (token.length < 4
          ? "Member must have length greater than or equal to 4"
          : "Member must have length less than or equal to 20000"),
    );
  }
  const duration = roleDuration(params);
  const claims: WebIdentityClaims | undefined = parseWebIdentityToken(token);
  if (!claims) {
    throw new StsFailure(
      400,
      "InvalidIdentityToken",
      "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.",
    );
  }
  const nowSeconds = Math.floor(ctx.now.getTime() / 1000);
  if (claims.exp <= nowSeconds) {
    throw new StsFailure(
      400,
      "ExpiredTokenException",
      `Token expired: current date/time ${nowSeconds} must be before the expiration date/time ${claims.exp}`,
    );
  }
  const found = index.roleByArn(arn);
  if (!found || !trustsWebIdentity(found.role.webIdentity, claims)) {
    throw accessDenied("Not authorized to perform sts:AssumeRoleWithWebIdentity");
  }
  const { account, role } = found;
  if (duration > role.maxSessionDuration) throw exceedsMaxSession();
  const assumed: Principal = {
    kind: "assumed-role",
    account,
    role,
    roleArn: found.arn,
    sessionName,
    mfa: false,
  };
  const { creds, reportedExpiration } = issue(ctx, assumed, duration);
  const result = credentialsXml(creds, reportedExpiration, "    ") +
    `    ${el("SubjectFromWebIdentityToken", claims.sub)}
` +
    `    <AssumedRoleUser>
      ${el("AssumedRoleId", principalUserId(assumed))}
      ${el("Arn", principalArn(assumed))}
    </AssumedRoleUser>
` +
    `    ${el("Provider", oidcProviderArn(account.id, claims.iss))}
` +
    (claims.aud !== undefined
      ? `    ${el("Audience", claims.aud)}
`
      : "");
  return ok("AssumeRoleWithWebIdentity", result, ctx.requestId);
}

function getSessionToken(ctx: StsContext): ProtocolResponse {
  const { params, principal } = ctx;
  if (principal.kind !== "user") {
    throw accessDenied("Cannot call GetSessionToken with session credentials");
  }
  const duration = checkDuration(parseDuration(params, 43200), 129600);
  const serial = params.get("SerialNumber");
  const code = params.get("TokenCode");
  let mfa = false;
  if (serial !== undefined || code !== undefined) {
    if (code !== undefined && !/^\d{6}$/.test(code)) {
      throw validation(
        "tokenCode",
        code,
        "Member must satisfy regular expression pattern: [\\d]*",
      );
    }
    const user = principal.user;
    if (
      serial === undefined || code === undefined || user.mfaSerial !== serial ||
      user.mfaCode !== code
    ) {
      throw accessDenied("MultiFactorAuthentication failed with invalid MFA one time pass code.");
    }
    mfa = true;
  }
  const session: Principal = {
    kind: "session",
    account: principal.account,
    user: principal.user,
    mfa,
  };
  const { creds, reportedExpiration } = issue(ctx, session, duration);
  return ok("GetSessionToken", credentialsXml(creds, reportedExpiration, "    "), ctx.requestId);
}

function getCallerIdentity(ctx: StsContext): ProtocolResponse {
  const p = ctx.principal;
  const result = `    ${el("Arn", principalArn(p))}\n    ${el("UserId", principalUserId(p))}\n    ${
    el("Account", p.account.id)
  }\n`;
  return ok("GetCallerIdentity", result, ctx.requestId);
}

/** The action and version checks every request passes first. */
function checkVersion(params: Map<string, string>): string {
  const action = stsAction(params);
  const version = params.get("Version");
  if (!action) throw new StsFailure(400, "MissingAction", "Missing Action");
  if (version !== "2011-06-15") {
    throw new StsFailure(
      400,
      "InvalidAction",
      `Could not find operation ${action} for version ${version ?? "NO_VERSION_SPECIFIED"}`,
    );
  }
  return action;
}

function failureResponse(err: unknown, requestId: string): ProtocolResponse {
  if (err instanceof StsFailure) return stsError(err.status, err.code, err.message, requestId);
  throw err;
}

/** Answer an unsigned STS request; only UNSIGNED_STS_ACTION is served (the server checks). */
export function handleUnsignedSts(ctx: UnsignedStsContext): ProtocolResponse {
  try {
    checkVersion(ctx.params);
    return assumeRoleWithWebIdentity(ctx);
  } catch (err) {
    return failureResponse(err, ctx.requestId);
  }
}

/** Answer one STS request from an authenticated principal. */
export function handleSts(ctx: StsContext): ProtocolResponse {
  try {
    const action = checkVersion(ctx.params);
    const version = ctx.params.get("Version");
    switch (action) {
      case "AssumeRole":
        return assumeRole(ctx);
      case "GetCallerIdentity":
        return getCallerIdentity(ctx);
      case "GetSessionToken":
        return getSessionToken(ctx);
      case UNSIGNED_STS_ACTION:
        // A signed call is served too (the signature proves nothing the token does not).
        return assumeRoleWithWebIdentity(ctx);
      default:
        throw new StsFailure(
          400,
          "InvalidAction",
          `Could not find operation ${action} for version ${version}`,
        );
    }
  } catch (err) {
    return failureResponse(err, ctx.requestId);
  }
}
