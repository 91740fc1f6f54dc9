/**
 * Run the simulator standalone:
 *   deno run --allow-net=127.0.0.1 src/sim/serve.ts --port 4566 --latency 20 --world demo|gen:N:K
 * Prints the URL (and the demo keys) and serves until Ctrl-C.
 */
import { DEMO, demoWorld } from "./demo_world.ts";
import { generateWorld } from "./generator.ts";
import { startSimulator } from "./server.ts";
import type { World } from "./world.ts";

/** Parsed command line of serve.ts. */
export interface ServeArgs {
  port: number;
  latencyMs: number;
  throttleEvery: number;
  failureRate: number;
  world: string;
  quiet: boolean;
}

/** Parse serve.ts arguments; throws Error with a one-line message on bad input. */
export function parseServeArgs(args: readonly string[]): ServeArgs {
  const out: ServeArgs = {
    port: 4566,
    latencyMs: 0,
    throttleEvery: 0,
    failureRate: 0,
    world: "demo",
    quiet: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const [flag, inline] = arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new Error(`Missing value for "${flag}"`);
      return v;
    };
    const num = (v: string) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new Error(`Invalid value for "${flag}": "${v}"`);
      return n;
    };
    switch (flag) {
      case "--port":
        out.port = num(value());
        break;
      case "--latency":
        out.latencyMs = num(value());
        break;
      case "--throttle-every":
        out.throttleEvery = num(value());
        break;
      case "--failure-rate":
        out.failureRate = num(value());
        break;
      case "--world":
        out.world = value();
        break;
      case "--quiet":
        out.quiet = true;
        break;
      default:
        throw new Error(`Unknown option "${arg}"`);
    }
  }
  worldFromSpec(out.world);
  return out;
}

/** "demo" or "gen:N:K" → a world. */
export function worldFromSpec(spec: string): World {
  if (spec === "demo") return demoWorld();
  const m = /^gen:(\d+):(\d+)$/.exec(spec);
  if (m) return generateWorld({ buckets: Number(m[1]), accounts: Math.max(1, Number(m[2])) });
  throw new Error(`Invalid world "${spec}": expected "demo" or "gen:BUCKETS:ACCOUNTS"`);
}

async function main(): Promise<void> {
  let args: ServeArgs;
  try {
    args = parseServeArgs(Deno.args);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    Deno.exitCode = 2;
    return;
  }
  const sim = await startSimulator({
    world: worldFromSpec(args.world),
    port: args.port,
    latencyMs: args.latencyMs,
    throttleEvery: args.throttleEvery,
    failureRate: args.failureRate,
    quiet: args.quiet,
  });
  console.log(sim.url);
  if (!args.quiet) {
    console.error(
      `xrole simulator (${args.world}) on ${sim.url}; source keys ${DEMO.accessKeyId} / ` +
        `(secret in src/sim/demo_world.ts). Ctrl-C stops.`,
    );
  }
  const stop = async () => {
    Deno.removeSignalListener("SIGINT", stop);
    await sim.close();
  };
  Deno.addSignalListener("SIGINT", stop);
}

if (import.meta.main) await main();
