/**
 * AWS console URLs: the Switch Role link for a saved role, bucket pages and ARNs.
 * and the federated sign-in URLs (the getSigninToken request and the login link; the HTTP call
 * itself is in src/aws/federation.ts). Pure: imports only core/.
 */
import type { SavedRole } from "./model.ts";
import { parseRoleArn, type Partition, quote } from "./arn.ts";
import { UsageError } from "./errors.ts";
import { tryResolveColor } from "./colors.ts";

/** The sign-in host of a partition. */
export function signinHost(partition: Partition): string {
  switch (partition) {
    case "aws-cn":
      return "signin.amazonaws.cn";
    case "aws-us-gov":
      return "signin.amazonaws-us-gov.com";
    default:
      return "signin.aws.amazon.com";
  }
}

/** The console host of a partition. */
export function consoleHost(partition: Partition): string {
  switch (partition) {
    case "aws-cn":
      return "console.amazonaws.cn";
    case "aws-us-gov":
      return "console.amazonaws-us-gov.com";
    default:
      return "console.aws.amazon.com";
  }
}

/**
 * The console's Switch Role URL for a role:
 * `https://signin.aws.amazon.com/switchrole?account=ID&roleName=PATH%2FNAME&displayName=LABEL&color=HEX`.
 * Throws UsageError when the role ARN is invalid.
 */
export function switchRoleUrl(role: SavedRole): string {
  const arn = parseRoleArn(role.roleArn);
  const params = [
    `account=${arn.accountId}`,
    `roleName=${encodeURIComponent(arn.pathAndName)}`,
    `displayName=${encodeURIComponent(role.label)}`,
  ];
  const color = tryResolveColor(role.color);
  if (color) params.push(`color=${color.hex}`);
  return `https://${signinHost(arn.partition)}/switchrole?${params.join("&")}`;
}

/** The S3 console page of a bucket. */
export function bucketConsoleUrl(name: string, region: string, partition: Partition): string {
  const host = consoleHost(partition);
  return `https://${host}/s3/buckets/${encodeURIComponent(name)}?region=${
    encodeURIComponent(region)
  }&tab=objects`;
}

/** The ARN of a bucket: arn:aws:s3:::name. */
export function bucketArn(name: string, partition: Partition): string {
  return `arn:${partition}:s3:::${name}`;
}

/** The S3 console home of a region: the default destination of a federated sign-in. */
export function s3ConsoleUrl(partition: Partition, region: string): string {
  return `https://${consoleHost(partition)}/s3/home?region=${encodeURIComponent(region)}`;
}

/**
 * The federation endpoint of a partition (`https://signin.aws.amazon.com/federation`), or
 * `<endpoint>/federation` when an endpoint override is in effect (the simulator serves it there).
 */
export function federationEndpoint(partition: Partition, endpointOverride?: string): string {
  if (endpointOverride) return `${endpointOverride.replace(/\/+$/, "")}/federation`;
  return `https://${signinHost(partition)}/federation`;
}

/** Temporary credentials as the federation endpoint's `Session` parameter wants them. */
export interface FederationSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/**
 * The getSigninToken request as a form body (sent by POST, so the credentials never sit in a URL
 * that an error message or a proxy log could show). Never log or print it.
 * `sessionDurationSeconds` (900..43200) is omitted by default: the console session then lasts as
 * long as the credentials do (and a chained role session may not ask for more than an hour).
 */
export function signinTokenForm(
  session: FederationSession,
  sessionDurationSeconds?: number,
): string {
  const params = new URLSearchParams({ Action: "getSigninToken" });
  if (sessionDurationSeconds !== undefined) {
    params.set("SessionDuration", String(sessionDurationSeconds));
  }
  params.set(
    "Session",
    JSON.stringify({
      sessionId: session.accessKeyId,
      sessionKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
    }),
  );
  return params.toString();
}

/** The console login link: `<endpoint>?Action=login&Issuer=…&Destination=…&SigninToken=…`. */
export function federatedLoginUrl(
  endpoint: string,
  options: { signinToken: string; destination: string; issuer: string },
): string {
  return `${endpoint}?Action=login&Issuer=${encodeURIComponent(options.issuer)}&Destination=${
    encodeURIComponent(options.destination)
  }&SigninToken=${encodeURIComponent(options.signinToken)}`;
}

/**
 * Checks a `--destination`: an https URL (the console refuses anything else). Returns it trimmed;
 * throws UsageError naming the value.
 */
export function validateDestination(text: string): string {
  const value = text.trim();
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== "https:") {
    throw new UsageError(
      `Invalid destination ${quote(value)}: expected an https URL of the AWS console`,
    );
  }
  return value;
}
