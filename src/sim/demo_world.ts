/**
 * The demo organisation: a source account with user "dev", and dev, test and prod accounts whose
 * roles need an External ID (prod also MFA). 42 buckets over 15 regions, with every quirk xrole
 * must handle. Deterministic: other modules and tests depend on these names.
 */
import type { SimBucket, SimObject, SimUser, World } from "./world.ts";

const SOURCE = "111111111111";
const DEV = "222222222222";
const TEST = "333333333333";
const PROD = "444444444444";

/** Constants of the demo world (the demo writes a profile with these keys). */
export const DEMO = {
  /** The source profile name the demo writes. */
  profile: "demo",
  /** The source profile's region. */
  region: "eu-west-1",
  sourceAccountId: SOURCE,
  userName: "dev",
  accessKeyId: "AKIAXROLEDEMO0SOURCE",
  secretAccessKey: "xroleDemoSecretKey0000000000000000000000",
  mfaSerial: `arn:aws:iam::${SOURCE}:mfa/dev`,
  mfaCode: "123456",
  roles: {
    dev: {
      label: "dev",
      accountId: DEV,
      accountName: "dev",
      roleName: "DeveloperAccess",
      rolePath: "/",
      roleArn: `arn:aws:iam::${DEV}:role/DeveloperAccess`,
      externalId: "xrole-demo-dev",
      region: "eu-west-1",
      color: "green",
      maxSessionDuration: 43200,
      requireMfa: false,
    },
    test: {
      label: "test",
      accountId: TEST,
      accountName: "test",
      roleName: "TesterAccess",
      rolePath: "/",
      roleArn: `arn:aws:iam::${TEST}:role/TesterAccess`,
      externalId: "xrole-demo-test",
      region: "us-east-1",
      color: "yellow",
      maxSessionDuration: 3600,
      requireMfa: false,
    },
    prod: {
      label: "prod",
      accountId: PROD,
      accountName: "prod",
      roleName: "ProdReadOnly",
      rolePath: "/ops/",
      roleArn: `arn:aws:iam::${PROD}:role/ops/ProdReadOnly`,
      externalId: "xrole-demo-prod",
      region: "eu-central-1",
      color: "red",
      maxSessionDuration: 3600,
      requireMfa: true,
    },
  },
  /** Buckets that show each quirk. */
  buckets: {
    /** In dev, us-east-1: GetBucketLocation answers an empty constraint. */
    usEast1: "acme-dev-app-assets",
    /** In dev, eu-west-1 created as legacy "EU". */
    legacyEu: "acme-dev-legacy-eu-reports",
    /** In dev, us-west-2, a dotted name (path-style only). */
    dotted: "acme.dotted.oregon",
    /** In prod, eu-central-1: GetBucketLocation is denied, HeadBucket works. */
    denied: "acme-prod-security-audit",
    /** In dev: an ordinary named region. */
    named: { name: "acme-dev-frankfurt-data", region: "eu-central-1" },
    /** In dev: objects with three levels of prefixes. */
    withObjects: "acme-dev-artifacts",
  },
} as const;

type BucketSpec = [name: string, region: string, extra?: Partial<SimBucket>];

function created(index: number): string {
  // Spread over 2017..2025, deterministic.
  const start = Date.UTC(2017, 2, 14, 9, 30, 0);
  const day = 86_400_000;
  return new Date(start + index * 67 * day + (index % 7) * 3_600_000 + index * 61_000)
    .toISOString();
}

function buckets(specs: BucketSpec[], offset: number): SimBucket[] {
  return specs.map(([name, region, extra], i) => ({
    name,
    region,
    created: created(offset + i),
    ...extra,
  }));
}

function objects(keys: [string, number][], base: string): SimObject[] {
  const t0 = Date.parse(base);
  return keys.map(([key, size], i) => ({
    key,
    size,
    lastModified: new Date(t0 + i * 3_600_000 * 13).toISOString(),
  }));
}

const ARTIFACTS = objects([
  ["README.md", 1_204],
  ["releases/2024/03/xrole-1.4.2.tar.gz", 8_734_112],
  ["releases/2024/03/xrole-1.4.3.tar.gz", 8_741_090],
  ["releases/2024/04/xrole-1.5.0.tar.gz", 9_001_337],
  ["releases/2025/01/xrole-2.0.0.tar.gz", 9_455_001],
  ["releases/2025/01/xrole-2.0.0.sha256", 99],
  ["snapshots/nightly/2025-01-14/xrole.tar.gz", 9_460_112],
  ["snapshots/nightly/2025-01-15/xrole.tar.gz", 9_460_870],
  ["snapshots/weekly/2025-w02/xrole.tar.gz", 9_458_004],
], "2024-03-02T10:00:00.000Z");

const DATA_LAKE = objects([
  ["events/year=2025/month=01/day=14/part-0000.parquet", 52_428_800],
  ["events/year=2025/month=01/day=14/part-0001.parquet", 49_152_113],
  ["events/year=2025/month=01/day=15/part-0000.parquet", 51_001_002],
  ["events/year=2025/month=02/day=01/part-0000.parquet", 50_233_441],
  ["orders/year=2025/month=01/day=14/orders.csv.gz", 3_145_728],
  ["orders/year=2025/month=01/day=15/orders.csv.gz", 3_201_100],
  ["_manifest.json", 2_048],
], "2025-01-14T00:15:00.000Z");

const FIXTURES = objects([
  ["api/v1/users/list.json", 4_211],
  ["api/v1/users/get.json", 812],
  ["api/v2/orders/list.json", 9_310],
  ["ui/snapshots/login/desktop.png", 204_811],
  ["ui/snapshots/login/mobile.png", 98_004],
], "2024-11-20T08:00:00.000Z");

/** The demo source user (keys, MFA device): generated worlds use it too. */
export function demoSourceUser(): SimUser {
  return {
    name: DEMO.userName,
    accessKeyId: DEMO.accessKeyId,
    secretAccessKey: DEMO.secretAccessKey,
    mfaSerial: DEMO.mfaSerial,
    mfaCode: DEMO.mfaCode,
  };
}

/** A fresh copy of the demo world (callers may mutate it). */
export function demoWorld(): World {
  const r = DEMO.roles;
  return {
    accounts: [
      {
        id: SOURCE,
        name: "source",
        users: [demoSourceUser()],
        roles: [],
        buckets: buckets([
          ["acme-source-terraform-state", "eu-west-1"],
          ["acme-source-audit-logs", "us-east-1"],
        ], 0),
      },
      {
        id: DEV,
        name: "dev",
        users: [],
        roles: [{
          name: r.dev.roleName,
          path: r.dev.rolePath,
          trustedAccounts: [SOURCE],
          externalId: r.dev.externalId,
          maxSessionDuration: r.dev.maxSessionDuration,
        }],
        buckets: buckets([
          [DEMO.buckets.usEast1, "us-east-1"],
          [DEMO.buckets.legacyEu, "eu-west-1", { legacyEu: true }],
          [DEMO.buckets.dotted, "us-west-2"],
          [DEMO.buckets.named.name, DEMO.buckets.named.region],
          [DEMO.buckets.withObjects, "eu-west-1", { objects: ARTIFACTS.map((o) => ({ ...o })) }],
          ["acme-dev-build-cache", "eu-west-2"],
          ["acme-dev-ml-datasets", "us-east-2"],
          ["acme-dev-tokyo-cdn", "ap-northeast-1"],
          ["acme-dev-sydney-backups", "ap-southeast-2"],
          ["acme-dev-paris-uploads", "eu-west-3"],
          ["acme-dev-stockholm-logs", "eu-north-1"],
          ["acme-dev-singapore-media", "ap-southeast-1"],
          ["acme-dev-mumbai-exports", "ap-south-1"],
          ["acme-dev-canada-archive", "ca-central-1"],
          ["acme-dev-saopaulo-static", "sa-east-1"],
          ["acme-dev-california-sandbox", "us-west-1"],
          ["acme-dev-lambda-packages", "us-east-1"],
          ["acme-dev-athena-results", "eu-west-1"],
        ], 2),
      },
      {
        id: TEST,
        name: "test",
        users: [],
        roles: [{
          name: r.test.roleName,
          path: r.test.rolePath,
          trustedAccounts: [SOURCE],
          externalId: r.test.externalId,
          maxSessionDuration: r.test.maxSessionDuration,
        }],
        buckets: buckets([
          ["acme-test-fixtures", "us-east-1", { objects: FIXTURES.map((o) => ({ ...o })) }],
          ["acme-test-e2e-screenshots", "eu-west-1"],
          ["acme-test-load-results", "us-west-2"],
          ["acme-test-contract-pacts", "eu-central-1"],
          ["acme-test-mobile-builds", "ap-northeast-1"],
          ["acme-test-perf-baselines", "us-east-2"],
        ], 20),
      },
      {
        id: PROD,
        name: "prod",
        users: [],
        roles: [{
          name: r.prod.roleName,
          path: r.prod.rolePath,
          trustedAccounts: [SOURCE],
          externalId: r.prod.externalId,
          requireMfa: true,
          maxSessionDuration: r.prod.maxSessionDuration,
        }],
        buckets: buckets([
          ["acme-prod-web-assets", "us-east-1"],
          ["acme-prod-cloudtrail", "us-east-1"],
          ["acme-prod-customer-uploads", "eu-west-1"],
          ["acme-prod-invoices", "eu-central-1"],
          ["acme-prod-backups-dr", "us-west-2"],
          ["acme-prod-data-lake-raw", "eu-west-1", { objects: DATA_LAKE.map((o) => ({ ...o })) }],
          ["acme-prod-data-lake-curated", "eu-west-1"],
          [DEMO.buckets.denied, "eu-central-1", { denyLocation: true }],
          ["acme-prod-tokyo-edge", "ap-northeast-1"],
          ["acme-prod-sydney-replica", "ap-southeast-2"],
          ["acme-prod-london-reports", "eu-west-2"],
          ["acme-prod-ohio-analytics", "us-east-2"],
          ["acme-prod-canada-compliance", "ca-central-1"],
          ["acme-prod-singapore-logs", "ap-southeast-1"],
          ["acme-prod-mumbai-payments", "ap-south-1"],
          ["acme-prod-elb-access-logs", "eu-north-1"],
        ], 26),
      },
    ],
  };
}
