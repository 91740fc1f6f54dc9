/**
 * Parsing of IAM role ARNs, MFA serials and STS assumed-role ARNs. Pure: imports only core/.
 */
import { UsageError } from "./errors.ts";

/** The AWS partitions xrole knows. */
export const PARTITIONS = ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"] as const;
export type Partition = typeof PARTITIONS[number];

/** A parsed IAM role ARN. */
export interface RoleArn {
  /** The ARN as given (trimmed). */
  arn: string;
  partition: Partition;
  accountId: string;
  /** "/" or "/a/b/". */
  path: string;
  roleName: string;
  /** "a/b/Name" (no leading slash), as the console's Switch Role `roleName` wants. */
  pathAndName: string;
}

/** A parsed STS assumed-role ARN (arn:aws:sts::123456789012:assumed-role/Name/session). */
export interface AssumedRoleArn {
  arn: string;
  partition: Partition;
  accountId: string;
  roleName: string;
  sessionName: string;
}

const NAME_RE = /^[\w+=,.@-]{1,64}$/;
const ACCOUNT_RE = /^\d{12}$/;
const SERIAL_RE = /^[\w+=/:,.@-]{9,256}$/;
const PATH_SEGMENT_RE = /^[\w+=,.@-]{1,512}$/;

function isPartition(text: string): text is Partition {
  return (PARTITIONS as readonly string[]).includes(text);
}

/** Quote a value for a message, keeping it on one line and of bounded length. */
export function quote(text: string): string {
  const oneLine = text.replace(/[\r\n\t]/g, " ");
  const short = oneLine.length > 100 ? `${oneLine.slice(0, 97)}...` : oneLine;
  return JSON.stringify(short);
}

function article(word: string): string {
  return /^[aeio]/i.test(word) ? "an" : "a";
}

const ROLE_SHAPE = "expected arn:aws:iam::<12-digit account>:role/<name>";

interface IamParts {
  partition: Partition;
  accountId: string;
  resourceType: string;
  resource: string;
}

/** Split an IAM/STS ARN into its parts, with a message prefix for failures. */
function splitArn(
  text: string,
  prefix: string,
  shape: string,
  service: "iam" | "sts",
): IamParts {
  const parts = text.split(":");
  if (parts.length < 6 || parts[0] !== "arn") throw new UsageError(`${prefix}: ${shape}`);
  const [, partition = "", svc = "", region = "", accountId = ""] = parts;
  const resourceText = parts.slice(5).join(":");
  if (!isPartition(partition)) {
    throw new UsageError(`${prefix}: unknown partition ${quote(partition)}`);
  }
  if (svc !== service) {
    throw new UsageError(`${prefix}: service must be "${service}", not ${quote(svc)}`);
  }
  if (region !== "") {
    throw new UsageError(`${prefix}: ${service.toUpperCase()} ARNs have no region`);
  }
  if (!ACCOUNT_RE.test(accountId)) {
    throw new UsageError(`${prefix}: account id must be 12 digits`);
  }
  const slash = resourceText.indexOf("/");
  if (slash < 0) throw new UsageError(`${prefix}: ${shape}`);
  return {
    partition,
    accountId,
    resourceType: resourceText.slice(0, slash),
    resource: resourceText.slice(slash + 1),
  };
}

/**
 * Parse `arn:<partition>:iam::<12 digits>:role/<path/name>`.
 * Throws UsageError with a precise one-line message.
 */
export function parseRoleArn(text: string): RoleArn {
  const arn = text.trim();
  const prefix = `Invalid role ARN ${quote(arn)}`;
  if (arn === "") throw new UsageError(`Invalid role ARN "": ${ROLE_SHAPE}`);
  const { partition, accountId, resourceType, resource } = splitArn(arn, prefix, ROLE_SHAPE, "iam");
  if (resourceType !== "role") {
    if (/^[a-z-]{1,32}$/i.test(resourceType)) {
      throw new UsageError(
        `${prefix}: is ${article(resourceType)} ${resourceType} ARN, not a role`,
      );
    }
    throw new UsageError(`${prefix}: ${ROLE_SHAPE}`);
  }
  const segments = resource.split("/");
  const roleName = segments.pop() ?? "";
  if (roleName === "") throw new UsageError(`${prefix}: role name is missing`);
  if (!NAME_RE.test(roleName)) {
    throw new UsageError(
      `${prefix}: role name must be 1-64 characters of letters, digits and +=,.@_-`,
    );
  }
  for (const segment of segments) {
    if (!PATH_SEGMENT_RE.test(segment)) {
      throw new UsageError(
        `${prefix}: path segments must be non-empty letters, digits and +=,.@_-`,
      );
    }
  }
  const path = segments.length === 0 ? "/" : `/${segments.join("/")}/`;
  if (path.length > 512) throw new UsageError(`${prefix}: path is longer than 512 characters`);
  return {
    arn,
    partition,
    accountId,
    path,
    roleName,
    pathAndName: segments.length === 0 ? roleName : `${segments.join("/")}/${roleName}`,
  };
}

/** A parsed MFA serial: a virtual device ARN or a hardware serial number. */
export type MfaSerial =
  | { kind: "arn"; serial: string; partition: Partition; accountId: string; deviceName: string }
  | { kind: "hardware"; serial: string };

/**
 * Parse an MFA device ARN `arn:<partition>:iam::<acct>:mfa/<name>` or a hardware serial
 * (9-256 chars of [\w+=/:,.@-]). Throws UsageError.
 */
export function parseMfaSerial(text: string): MfaSerial {
  const serial = text.trim();
  const prefix = `Invalid MFA serial ${quote(serial)}`;
  if (serial.startsWith("arn:")) {
    const shape = "expected arn:aws:iam::<12-digit account>:mfa/<device name>";
    const { partition, accountId, resourceType, resource } = splitArn(serial, prefix, shape, "iam");
    if (resourceType !== "mfa") {
      throw new UsageError(`${prefix}: ${shape}`);
    }
    const deviceName = resource.split("/").pop() ?? "";
    if (!/^[\w+=,.@-]{1,256}$/.test(deviceName) || !SERIAL_RE.test(serial)) {
      throw new UsageError(`${prefix}: device name must be letters, digits and +=,.@_-`);
    }
    return { kind: "arn", serial, partition, accountId, deviceName };
  }
  if (!SERIAL_RE.test(serial)) {
    throw new UsageError(
      `${prefix}: expected an MFA device ARN or a serial of 9-256 characters of letters, digits and +=/:,.@_-`,
    );
  }
  return { kind: "hardware", serial };
}

/** Parse `arn:<partition>:sts::<acct>:assumed-role/<role name>/<session name>`. */
export function parseAssumedRoleArn(text: string): AssumedRoleArn {
  const arn = text.trim();
  const prefix = `Invalid assumed-role ARN ${quote(arn)}`;
  const shape = "expected arn:aws:sts::<12-digit account>:assumed-role/<role>/<session>";
  const { partition, accountId, resourceType, resource } = splitArn(arn, prefix, shape, "sts");
  const parts = resource.split("/");
  if (resourceType !== "assumed-role" || parts.length !== 2) {
    throw new UsageError(`${prefix}: ${shape}`);
  }
  const [roleName = "", sessionName = ""] = parts;
  if (!NAME_RE.test(roleName) || !/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw new UsageError(`${prefix}: ${shape}`);
  }
  return { arn, partition, accountId, roleName, sessionName };
}

/** The partition a region belongs to (cn-* → aws-cn, us-gov-* → aws-us-gov, ...). */
export function partitionOf(region: string): Partition {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-iso-")) return "aws-iso";
  return "aws";
}
