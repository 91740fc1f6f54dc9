/**
 * The demo world behind the AWS edge tests (sim_test, fast_location_test): its saved roles, a world
 * with more buckets, the regions it holds, and a source opened on the demo profile against a
 * running simulator.
 */
import { assumeTarget, openSource, type Source } from "../../src/aws/session.ts";
import type { AssumedSession, SavedRole } from "../../src/core/model.ts";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import type { Simulator, SimulatorOptions } from "../../src/sim/server.ts";
import type { World } from "../../src/sim/world.ts";
import { awsFilesFor, withSimulator } from "../_helpers/sim.ts";

export type DemoLabel = "dev" | "test" | "prod";

/** A demo role as saved in xrole (External ID, region, MFA device when the role needs one). */
export function savedRole(label: DemoLabel): SavedRole {
  const r = DEMO.roles[label];
  return {
    label,
    roleArn: r.roleArn,
    externalId: r.externalId,
    region: r.region,
    ...(r.requireMfa ? { mfaSerial: DEMO.mfaSerial } : {}),
    origin: "xrole",
  };
}

/** A world whose dev account holds `extra` more buckets. */
export function worldWith(extra: number): World {
  const world = demoWorld();
  const dev = world.accounts.find((a) => a.id === DEMO.roles.dev.accountId)!;
  const regions = ["us-east-1", "eu-west-1", "ap-south-1", "sa-east-1", "us-west-2"];
  for (let i = 0; i < extra; i++) {
    dev.buckets.push({
      name: `bulk-${String(i).padStart(4, "0")}`,
      region: regions[i % regions.length]!,
      created: new Date(Date.UTC(2020, 0, 1 + i)).toISOString(),
    });
  }
  return world;
}

/** Bucket name → region, as the world holds them for one account. */
export function expectedRegions(world: World, accountId: string): Map<string, string> {
  const account = world.accounts.find((a) => a.id === accountId)!;
  return new Map(account.buckets.map((b) => [b.name, b.region]));
}

export interface DemoSource {
  sim: Simulator;
  /** HOME and the AWS files written for the simulator (in a temporary folder). */
  env: Record<string, string>;
  /** The demo profile, opened. */
  source: Source;
  /** Assume a demo role from the source (with the demo MFA code when the role needs one). */
  session(label: DemoLabel): Promise<AssumedSession>;
}

/**
 * A simulator (demo world unless `options` say otherwise), AWS files for it in a temporary folder
 * named `tempPrefix…`, and the demo profile opened (with `log` as its request log); all removed
 * after `fn`.
 */
export async function withDemoSource(
  options: Partial<SimulatorOptions>,
  setup: { tempPrefix: string; log?: (line: string) => void },
  fn: (demo: DemoSource) => Promise<void>,
): Promise<void> {
  await withSimulator({ world: demoWorld(), ...options }, async (sim) => {
    const dir = await Deno.makeTempDir({ prefix: setup.tempPrefix });
    try {
      const files = await awsFilesFor(sim, dir);
      const env = {
        HOME: dir,
        AWS_CONFIG_FILE: files.configFile,
        AWS_SHARED_CREDENTIALS_FILE: files.credentialsFile,
      };
      const source = await openSource({
        env,
        profile: DEMO.profile,
        ...(setup.log ? { log: setup.log } : {}),
      });
      await fn({
        sim,
        env,
        source,
        session: (label) =>
          assumeTarget(
            source,
            savedRole(label),
            DEMO.roles[label].requireMfa ? { mfaCode: DEMO.mfaCode } : {},
          ),
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
