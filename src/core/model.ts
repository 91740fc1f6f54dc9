/**
 * The data that flows through xrole, shared by the CLI and the TUI.
 * Pure types only: this module imports nothing, so anything may import it.
 */

/** What kind of credentials an AWS profile holds (shown next to its name). */
export type ProfileKind =
  | "static" // aws_access_key_id + aws_secret_access_key
  | "role" // role_arn (+ source_profile or credential_source)
  | "sso" // sso_session / sso_start_url
  | "process" // credential_process
  | "web-identity" // web_identity_token_file
  | "env" // the AWS_ACCESS_KEY_ID environment variables (not a file profile)
  | "unknown"; // a profile with no credentials of its own

/** A source profile as found in the AWS config and credentials files. */
export interface SourceProfile {
  name: string;
  kind: ProfileKind;
  region?: string;
  /** For role profiles: the role they assume and where their credentials come from. */
  roleArn?: string;
  sourceProfile?: string;
  externalId?: string;
  mfaSerial?: string;
  /** Which files mention it ("config", "credentials", or both). */
  files: ("config" | "credentials")[];
}

/** A target role the user can assume: saved by xrole, or a role profile of the AWS config. */
export interface SavedRole {
  label: string;
  roleArn: string;
  externalId?: string;
  sessionName?: string;
  durationSeconds?: number;
  mfaSerial?: string;
  region?: string;
  /** One of the console's Switch Role colours (see core/colors.ts). */
  color?: string;
  /** The default source profile for this role. */
  sourceProfile?: string;
  /** Label of a role to assume first; this role is then assumed with its credentials (chaining). */
  via?: string;
  /** Where the role comes from: xrole's roles.ini or the AWS config (read-only there). */
  origin: "xrole" | "aws-config";
}

/** Temporary (or static) credentials. `sessionToken`/`expiration` are absent for static keys. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** The result of AssumeRole, as xrole uses it. */
export interface AssumedSession {
  credentials: Credentials & { sessionToken: string; expiration: Date };
  /** arn:aws:sts::123456789012:assumed-role/Name/session */
  assumedRoleArn: string;
  assumedRoleId: string;
  accountId: string;
  roleArn: string;
  sessionName: string;
  /** Region used for later calls (role's region, else the source's, else us-east-1). */
  region: string;
}

/** GetCallerIdentity. */
export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

/** One bucket as ListBuckets returns it. */
export interface ListedBucket {
  name: string;
  created?: Date;
  /** ListBuckets' BucketRegion, when the server sent it. */
  listedRegion?: string;
}

/** How a bucket's region was found. */
export type RegionSource = "location" | "list" | "head";

/** A row of the bucket table / listing. */
export interface BucketRow {
  name: string;
  created?: Date;
  state: "pending" | "done" | "error";
  region?: string;
  regionSource?: RegionSource;
  /** AWS error code (or "timeout") when the lookup failed. */
  error?: string;
}

/** Events the bucket listing emits as it goes: the TUI and the CLI both consume these. */
export type RowUpdate =
  | { type: "listed"; buckets: ListedBucket[] }
  | { type: "region"; name: string; region: string; source: RegionSource }
  | { type: "error"; name: string; code: string; message: string }
  | { type: "done" };
