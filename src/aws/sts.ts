/**
 * STS calls xrole makes, with SDK errors turned into AwsError / NetworkError.
 */
import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  type GetSessionTokenCommandInput,
} from "@aws-sdk/client-sts";
import type { AssumedSession, CallerIdentity, Credentials } from "../core/model.ts";
import { AwsError } from "../core/errors.ts";
import { endpointOf } from "./clients.ts";
import { toXroleError } from "./errors.ts";

/** Anything with the STS client's `send` (the real client, or a fake in tests). */
export interface StsLike {
  // deno-lint-ignore no-explicit-any
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
}

export interface AssumeRoleInput {
  roleArn: string;
  sessionName: string;
  externalId?: string;
  durationSeconds?: number;
  mfaSerial?: string;
  mfaCode?: string;
}

export interface SessionTokenInput {
  mfaSerial: string;
  mfaCode: string;
  durationSeconds?: number;
}

/** The credentials in an AssumeRole or GetSessionToken response (every field may be missing). */
interface SdkCredentials {
  AccessKeyId?: string;
  SecretAccessKey?: string;
  SessionToken?: string;
  Expiration?: Date;
}

async function call<T>(sts: StsLike, operation: string, command: unknown): Promise<T> {
  try {
    return await sts.send(command) as T;
  } catch (err) {
    throw toXroleError(err, operation, endpointOf(sts));
  }
}

/** Who the client's credentials belong to. */
export async function getCallerIdentity(sts: StsLike): Promise<CallerIdentity> {
  const out = await call<{ Account?: string; Arn?: string; UserId?: string }>(
    sts,
    "GetCallerIdentity",
    new GetCallerIdentityCommand({}),
  );
  if (!out.Account || !out.Arn) {
    throw new AwsError("GetCallerIdentity", "InvalidResponse", "the response has no account");
  }
  return { account: out.Account, arn: out.Arn, userId: out.UserId ?? "" };
}

/** AssumeRole; `region` is recorded in the session for the calls that follow. */
export async function assumeRole(
  sts: StsLike,
  input: AssumeRoleInput,
  region: string,
): Promise<AssumedSession> {
  const params: AssumeRoleCommandInput = {
    RoleArn: input.roleArn,
    RoleSessionName: input.sessionName,
  };
  if (input.externalId) params.ExternalId = input.externalId;
  if (input.durationSeconds) params.DurationSeconds = input.durationSeconds;
  if (input.mfaSerial) params.SerialNumber = input.mfaSerial;
  if (input.mfaCode) params.TokenCode = input.mfaCode;
  const out = await call<{
    Credentials?: SdkCredentials;
    AssumedRoleUser?: { Arn?: string; AssumedRoleId?: string };
  }>(sts, "AssumeRole", new AssumeRoleCommand(params));
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new AwsError("AssumeRole", "InvalidResponse", "the response has no credentials");
  }
  const assumedRoleArn = out.AssumedRoleUser?.Arn ?? "";
  return {
    credentials: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: new Date(c.Expiration),
    },
    assumedRoleArn,
    assumedRoleId: out.AssumedRoleUser?.AssumedRoleId ?? "",
    accountId: assumedRoleArn.split(":")[4] || input.roleArn.split(":")[4] || "",
    roleArn: input.roleArn,
    sessionName: input.sessionName,
    region,
  };
}

/** GetSessionToken with MFA (for sources whose policies demand MFA). */
export async function getSessionToken(
  sts: StsLike,
  input: SessionTokenInput,
): Promise<Credentials> {
  const params: GetSessionTokenCommandInput = {
    SerialNumber: input.mfaSerial,
    TokenCode: input.mfaCode,
  };
  if (input.durationSeconds) params.DurationSeconds = input.durationSeconds;
  const out = await call<{ Credentials?: SdkCredentials }>(
    sts,
    "GetSessionToken",
    new GetSessionTokenCommand(params),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) {
    throw new AwsError("GetSessionToken", "InvalidResponse", "the response has no credentials");
  }
  const creds: Credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey };
  if (c.SessionToken) creds.sessionToken = c.SessionToken;
  if (c.Expiration) creds.expiration = new Date(c.Expiration);
  return creds;
}
