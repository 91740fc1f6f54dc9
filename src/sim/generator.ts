/**
 * Deterministic worlds of any size for tests and benchmarks: the demo's source user, K target
 * accounts each with a role "Bench" (External ID "bench-ext-N"), and N buckets spread over the
 * target accounts and over regions (some us-east-1, some legacy EU).
 */
import { DEMO, demoSourceUser } from "./demo_world.ts";
import { roleArnOf, type SimAccount, type SimBucket, type World } from "./world.ts";
import { seededRandom } from "./random.ts";

/** Options of generateWorld. */
export interface GenerateOptions {
  /** Total number of buckets (spread over the target accounts). */
  buckets: number;
  /** Number of target accounts (at least 1). */
  accounts: number;
  /** Seed for regions and names (default 42). Same options, same world. */
  seed?: number;
}

/** Regions the generator uses. */
export const GENERATED_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "ap-south-1",
  "ca-central-1",
  "sa-east-1",
] as const;

const WORDS = [
  "logs",
  "assets",
  "backups",
  "data",
  "media",
  "reports",
  "exports",
  "archive",
  "uploads",
  "cache",
  "artifacts",
  "state",
];

/** The role every generated target account has. */
export const BENCH_ROLE = { name: "Bench", path: "/", maxSessionDuration: 43200 } as const;

/** The id of generated target account `i` (0-based): 12 digits, distinct from the demo's. */
export function generatedAccountId(i: number): string {
  return String(500000000000 + (i + 1) * 1001);
}

/** The External ID of generated target account `i`. */
export function generatedExternalId(i: number): string {
  return `bench-ext-${i + 1}`;
}

/** The role ARN of generated target account `i`. */
export function generatedRoleArn(i: number): string {
  return roleArnOf(generatedAccountId(i), BENCH_ROLE);
}

/** A deterministic world of `buckets` buckets over `accounts` target accounts. */
export function generateWorld(options: GenerateOptions): World {
  const k = Math.max(1, Math.floor(options.accounts));
  const n = Math.max(0, Math.floor(options.buckets));
  const random = seededRandom(options.seed ?? 42);
  const source: SimAccount = {
    id: DEMO.sourceAccountId,
    name: "source",
    users: [demoSourceUser()],
    roles: [],
    buckets: [],
  };
  const targets: SimAccount[] = [];
  for (let i = 0; i < k; i++) {
    targets.push({
      id: generatedAccountId(i),
      name: `bench-${i + 1}`,
      users: [],
      roles: [{
        ...BENCH_ROLE,
        trustedAccounts: [DEMO.sourceAccountId],
        externalId: generatedExternalId(i),
      }],
      buckets: [],
    });
  }
  const start = Date.UTC(2016, 0, 1);
  const span = Date.UTC(2025, 0, 1) - start;
  for (let j = 0; j < n; j++) {
    const account = targets[j % k] as SimAccount;
    const word = WORDS[Math.floor(random() * WORDS.length)] ?? "data";
    const legacyEu = j % 25 === 7;
    const region = legacyEu
      ? "eu-west-1"
      : j % 10 === 3
      ? "us-east-1"
      : GENERATED_REGIONS[Math.floor(random() * GENERATED_REGIONS.length)] ?? "us-east-1";
    const bucket: SimBucket = {
      name: `bench-${account.name.slice(6)}-${String(j).padStart(6, "0")}-${word}`,
      region,
      created: new Date(start + Math.floor(random() * span / 1000) * 1000).toISOString(),
    };
    if (legacyEu) bucket.legacyEu = true;
    account.buckets.push(bucket);
  }
  return { accounts: [source, ...targets] };
}
