/**
 * AWS console URLs: the Switch Role link for a saved role, bucket pages and ARNs.
 * Pure: imports only core/. Federated sign-in URLs (issue 7) live with the network code.
 */
import type { SavedRole } from "./model.ts";
import { parseRoleArn, type Partition } from "./arn.ts";
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
