/**
 * The simulated AWS organisation: plain data (accounts, users with keys, roles, buckets) and the
 * lookups the simulator needs. A world is data so tests and benchmarks can build their own.
 */

/** An IAM user with one long-term access key (and optionally a virtual MFA device). */
export interface SimUser {
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** arn:aws:iam::ACCOUNT:mfa/NAME */
  mfaSerial?: string;
  /** The one code the device accepts (a simulator has no clock-based TOTP). */
  mfaCode?: string;
}

/** An IAM role that other accounts may assume. */
export interface SimRole {
  /** The role name without path, e.g. "ProdReadOnly". */
  name: string;
  /** IAM path, "/" or "/ops/". The ARN is arn:aws:iam::ACCOUNT:role + path + name. */
  path: string;
  /** Account ids allowed to assume the role (its trust policy). */
  trustedAccounts: string[];
  /** When set, AssumeRole must pass exactly this ExternalId. */
  externalId?: string;
  /** When true, AssumeRole needs MFA (SerialNumber + TokenCode, or an MFA session). */
  requireMfa?: boolean;
  /** Seconds, 3600..43200. */
  maxSessionDuration: number;
  /** OIDC trust (AssumeRoleWithWebIdentity): tokens from this issuer, for these subjects. */
  webIdentity?: SimWebIdentityTrust;
}

/**
 * A role's trust in an OIDC identity provider, as its trust policy would state it: the token's
 * `iss` must be `issuer` and, when `subjects` is given, its `sub` must match one of them (`*`
 * matches any run of characters, as StringLike does for `token.actions.githubusercontent.com:sub`).
 */
export interface SimWebIdentityTrust {
  /** e.g. "https://token.actions.githubusercontent.com" */
  issuer: string;
  /** e.g. ["repo:acme/infra:ref:refs/heads/main", "repo:acme/*"]; absent: any subject. */
  subjects?: string[];
}

/** An object in a bucket (for ListObjectsV2). */
export interface SimObject {
  key: string;
  size: number;
  /** ISO 8601. */
  lastModified: string;
  /** Defaults to STANDARD. */
  storageClass?: string;
}

/** A bucket. */
export interface SimBucket {
  name: string;
  /** The bucket's region (eu-west-1 for legacy EU buckets). */
  region: string;
  /** ISO 8601 creation date. */
  created: string;
  /** GetBucketLocation answers the legacy "EU" (region must be eu-west-1). */
  legacyEu?: boolean;
  /** GetBucketLocation is denied (a bucket policy); HeadBucket still works for the owner. */
  denyLocation?: boolean;
  /** Both GetBucketLocation and HeadBucket are denied, HeadBucket without a region header (as
   * behind a proxy or VPC endpoint that strips it): the region cannot be found. */
  denyAll?: boolean;
  objects?: SimObject[];
}

/** An AWS account. */
export interface SimAccount {
  /** Twelve digits. */
  id: string;
  name: string;
  users: SimUser[];
  roles: SimRole[];
  buckets: SimBucket[];
}

/** The whole organisation. */
export interface World {
  accounts: SimAccount[];
}

/** arn:aws:iam::ACCOUNT:role/PATH/NAME */
export function roleArnOf(accountId: string, role: Pick<SimRole, "name" | "path">): string {
  const path = role.path && role.path !== "/" ? role.path : "/";
  return `arn:aws:iam::${accountId}:role${path}${role.name}`;
}

/** arn:aws:iam::ACCOUNT:user/NAME */
export function userArnOf(accountId: string, user: Pick<SimUser, "name">): string {
  return `arn:aws:iam::${accountId}:user/${user.name}`;
}

/** A user found by access key id, with its account. */
export interface UserRef {
  account: SimAccount;
  user: SimUser;
}

/** A role found by ARN, with its account. */
export interface RoleRef {
  account: SimAccount;
  role: SimRole;
  arn: string;
}

/** A bucket found by name, with its owner. */
export interface BucketRef {
  account: SimAccount;
  bucket: SimBucket;
}

/**
 * Fast lookups over a world (Maps built once). Build a new index after changing the world's
 * users, roles or buckets; the simulator rebuilds it on `sim.reindex()`.
 */
export interface WorldIndex {
  world: World;
  userByKey(accessKeyId: string): UserRef | undefined;
  roleByArn(arn: string): RoleRef | undefined;
  bucket(name: string): BucketRef | undefined;
  account(id: string): SimAccount | undefined;
  /** The account's buckets sorted by name. */
  bucketsOf(accountId: string): SimBucket[];
}

/** Index a world for lookups. */
export function indexWorld(world: World): WorldIndex {
  const users = new Map<string, UserRef>();
  const roles = new Map<string, RoleRef>();
  const buckets = new Map<string, BucketRef>();
  const accounts = new Map<string, SimAccount>();
  const sorted = new Map<string, SimBucket[]>();
  for (const account of world.accounts) {
    accounts.set(account.id, account);
    for (const user of account.users) users.set(user.accessKeyId, { account, user });
    for (const role of account.roles) {
      const arn = roleArnOf(account.id, role);
      roles.set(arn, { account, role, arn });
    }
    for (const bucket of account.buckets) buckets.set(bucket.name, { account, bucket });
    sorted.set(
      account.id,
      [...account.buckets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    );
  }
  return {
    world,
    userByKey: (id) => users.get(id),
    roleByArn: (arn) => roles.get(arn),
    bucket: (name) => buckets.get(name),
    account: (id) => accounts.get(id),
    bucketsOf: (id) => sorted.get(id) ?? [],
  };
}

/** Every bucket of the world with its owner (tests, benchmarks). */
export function allBuckets(world: World): BucketRef[] {
  return world.accounts.flatMap((account) =>
    account.buckets.map((bucket) => ({ account, bucket }))
  );
}

/** The region GetBucketLocation reports: "" for us-east-1, "EU" for legacy buckets. */
export function locationConstraintOf(bucket: SimBucket): string {
  if (bucket.legacyEu) return "EU";
  return bucket.region === "us-east-1" ? "" : bucket.region;
}
