/**
 * The local AWS endpoint: one HTTP server on 127.0.0.1 that answers STS (awsQuery) and S3 (REST
 * XML) like AWS does, verifying SigV4 on every request against the world's keys. Requests are
 * dispatched on the service in the signature's credential scope, so one URL stands for both.
 * `/federation` (unsigned) is the console sign-in endpoint (federation.ts). The one unsigned STS
 * action is AssumeRoleWithWebIdentity, as on AWS: its web identity token is the proof.
 */
import { federationAction, FederationTokens, handleFederation } from "./federation.ts";
import { CredentialStore } from "./principal.ts";
import { handleS3, routeS3, s3Error, type S3Response, type S3Route } from "./s3.ts";
import { parseAuthorization, type SimService, verifySigV4 } from "./sigv4.ts";
import { handleSts, handleUnsignedSts, stsError, UNSIGNED_STS_ACTION } from "./sts.ts";
import { indexWorld, type World } from "./world.ts";
import { seededRandom } from "./random.ts";

/** Knobs that change how the simulator behaves; mutable while it runs (`sim.knobs`). */
export interface SimulatorKnobs {
  /** Delay before every response, in ms. */
  latencyMs: number;
  /** Answer every Nth GetBucketLocation with 503 SlowDown (0 = never). A bucket's retry right
   * after its own SlowDown passes, as a client that backs off gets through a burst on AWS. */
  throttleEvery: number;
  /** Probability (0..1) that a per-bucket S3 call (GetBucketLocation, HeadBucket,
   * ListObjectsV2) fails with 500 InternalError; seeded, so runs repeat. */
  failureRate: number;
  /** Issued credentials stop working after this many seconds, whatever DurationSeconds says. */
  credentialTtlSeconds: number | undefined;
  /** Extra delay in ms for requests about these buckets. */
  slowBuckets: Record<string, number>;
  /** The simulator's clock (credential expiry). */
  now: () => Date;
}

/** Options of startSimulator: the world plus initial knobs. */
export interface SimulatorOptions {
  world: World;
  latencyMs?: number;
  throttleEvery?: number;
  failureRate?: number;
  /** Seed of the failure-rate random generator (default 1). */
  seed?: number;
  credentialTtlSeconds?: number;
  slowBuckets?: Record<string, number>;
  now?: () => Date;
  /** Port to listen on (default 0: a random free port). */
  port?: number;
  /** Accepted for the standalone CLI; the server itself never prints. */
  quiet?: boolean;
}

/** Request counters. */
export interface SimulatorStats {
  /** Requests per action ("AssumeRole", "GetBucketLocation", …, "Unknown"), counted on arrival. */
  requests: Record<string, number>;
  /** Error responses per code ("SlowDown", "AccessDenied", …). */
  errors: Record<string, number>;
  total: number;
  inFlight: number;
  /** The most requests in flight at once since start (or the last reset). */
  maxInFlight: number;
  /** Zero the counters (and the throttling count). */
  reset(): void;
}

/** A running simulator. */
export interface Simulator {
  /** "http://127.0.0.1:PORT" */
  url: string;
  port: number;
  world: World;
  knobs: SimulatorKnobs;
  stats: SimulatorStats;
  /** Rebuild lookups after adding or removing users, roles or buckets in `world`. */
  reindex(): void;
  close(): Promise<void>;
}

const PER_BUCKET = new Set(["GetBucketLocation", "HeadBucket", "ListObjectsV2"]);
const encoder = new TextEncoder();

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function requestId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
}

function isFormPost(req: Request): boolean {
  return req.method === "POST" &&
    (req.headers.get("content-type") ?? "").startsWith("application/x-www-form-urlencoded");
}

/** The path as the client sent it (still percent-encoded), from the request URL. */
function rawPath(url: string): { path: string; query: string } {
  const afterScheme = url.indexOf("//");
  const slash = url.indexOf("/", afterScheme + 2);
  const rest = slash < 0 ? "/" : url.slice(slash);
  const q = rest.indexOf("?");
  return q < 0 ? { path: rest, query: "" } : { path: rest.slice(0, q), query: rest.slice(q + 1) };
}

/** Start the simulator on 127.0.0.1 (random free port unless `port` is given). */
export function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const world = options.world;
  let index = indexWorld(world);
  const store = new CredentialStore(index);
  const knobs: SimulatorKnobs = {
    latencyMs: options.latencyMs ?? 0,
    throttleEvery: options.throttleEvery ?? 0,
    failureRate: options.failureRate ?? 0,
    credentialTtlSeconds: options.credentialTtlSeconds,
    slowBuckets: { ...(options.slowBuckets ?? {}) },
    now: options.now ?? (() => new Date()),
  };
  const federationTokens = new FederationTokens();
  let locationCalls = 0;
  /** Buckets whose last GetBucketLocation was throttled: their next attempt passes. */
  const throttledBuckets = new Set<string>();
  const random = seededRandom(options.seed ?? 1);
  const stats: SimulatorStats = {
    requests: {},
    errors: {},
    total: 0,
    inFlight: 0,
    maxInFlight: 0,
    reset() {
      stats.requests = {};
      stats.errors = {};
      stats.total = 0;
      stats.maxInFlight = stats.inFlight;
      locationCalls = 0;
    },
  };

  function respond(r: S3Response, method: string, countErrors = true): Response {
    if (countErrors && r.status >= 300) {
      const code = r.headers["x-sim-error-code"] ?? /<Code>([^<]*)<\/Code>/.exec(r.body)?.[1] ??
        String(r.status);
      stats.errors[code] = (stats.errors[code] ?? 0) + 1;
    }
    const bytes = method === "HEAD" ? new Uint8Array() : encoder.encode(r.body);
    const headers = new Headers(r.headers);
    headers.delete("x-sim-error-code");
    if (method !== "HEAD") headers.set("content-length", String(bytes.byteLength));
    return new Response(bytes.byteLength ? bytes : null, { status: r.status, headers });
  }

  /**
   * One request, answered `delay` ms after it arrived (the latency knob, plus a slow bucket's
   * extra). The delay runs from arrival, not from when the answer is ready: the simulator's own
   * CPU time (reading, verifying the signature, building XML) is spent inside the modelled
   * network time instead of being added to it, so requests in flight at once are not queued
   * behind one another's processing as they would not be on AWS. Only when the simulator takes
   * longer than the delay (saturated) does an answer leave late.
   */
  async function handle(req: Request): Promise<Response> {
    stats.total++;
    stats.inFlight++;
    if (stats.inFlight > stats.maxInFlight) stats.maxInFlight = stats.inFlight;
    const arrived = performance.now();
    let delay = knobs.latencyMs;
    try {
      const response = await answer(req, (extra) => {
        delay += extra;
      });
      const wait = arrived + delay - performance.now();
      if (wait > 0) await sleep(wait);
      return response;
    } finally {
      stats.inFlight--;
    }
  }

  async function answer(req: Request, addDelay: (ms: number) => void): Promise<Response> {
    const id = requestId();
    try {
      const { path, query } = rawPath(req.url);
      const body = new Uint8Array(await req.arrayBuffer());
      const auth = parseAuthorization(req.headers.get("authorization"));
      if (path === "/federation" && !req.headers.has("authorization")) {
        // The console sign-in endpoint (signin.aws.amazon.com/federation): not SigV4-signed.
        const form = req.method === "POST" ? new TextDecoder().decode(body) : query;
        const params = new Map(new URLSearchParams(form));
        const action = federationAction(params);
        stats.requests[action] = (stats.requests[action] ?? 0) + 1;
        const r = handleFederation({
          store,
          tokens: federationTokens,
          params,
          now: knobs.now(),
        });
        return respond(r, req.method, false);
      }
      const service: SimService = auth
        ? (auth.service === "s3" ? "s3" : "sts")
        : (isFormPost(req) ? "sts" : "s3");
      let action: string;
      let params = new Map<string, string>();
      let route: S3Route | undefined;
      if (service === "sts") {
        // The Query API takes its parameters in a form POST or, as AWS also accepts, in the
        // query string of a GET.
        const form = req.method === "GET" ? query : new TextDecoder().decode(body);
        params = new Map(new URLSearchParams(form));
        action = params.get("Action") || "Unknown";
      } else {
        route = routeS3(
          req.method,
          req.headers.get("host") ?? "",
          path,
          query,
          (name) => index.bucket(name) !== undefined,
        );
        action = route.action === "Unsupported" ? "Unknown" : route.action;
      }
      stats.requests[action] = (stats.requests[action] ?? 0) + 1;

      addDelay(route?.bucket ? knobs.slowBuckets[route.bucket] ?? 0 : 0);

      if (
        service === "sts" && action === UNSIGNED_STS_ACTION && !req.headers.has("authorization")
      ) {
        const r = handleUnsignedSts({
          index,
          store,
          params,
          now: knobs.now(),
          requestId: id,
          credentialTtlSeconds: knobs.credentialTtlSeconds,
        });
        return respond(r, req.method);
      }

      const verified = verifySigV4(
        { method: req.method, path, query, headers: req.headers, body },
        (keyId) => store.lookup(keyId),
        knobs.now(),
        service,
      );
      if (!verified.ok) {
        const r = service === "sts"
          ? stsError(verified.status, verified.code, verified.message, id)
          : s3Error(verified.status, verified.code, verified.message, id);
        return respond(r, req.method);
      }
      const principal = verified.key.principal;
      if (service === "sts") {
        const r = handleSts({
          index,
          store,
          principal,
          params,
          now: knobs.now(),
          requestId: id,
          credentialTtlSeconds: knobs.credentialTtlSeconds,
        });
        return respond(r, req.method);
      }
      const s3Route = route as S3Route;
      if (action === "GetBucketLocation") {
        locationCalls++;
        const bucket = (route as S3Route).bucket ?? "";
        const retryAfterSlowDown = throttledBuckets.delete(bucket);
        if (
          knobs.throttleEvery > 0 && locationCalls % knobs.throttleEvery === 0 &&
          !retryAfterSlowDown
        ) {
          throttledBuckets.add(bucket);
          return respond(
            s3Error(503, "SlowDown", "Please reduce your request rate.", id),
            req.method,
          );
        }
      }
      if (knobs.failureRate > 0 && PER_BUCKET.has(action) && random() < knobs.failureRate) {
        return respond(
          s3Error(500, "InternalError", "We encountered an internal error. Please try again.", id),
          req.method,
        );
      }
      const r = handleS3({
        index,
        principal,
        signingRegion: verified.region,
        route: s3Route,
        requestId: id,
      });
      return respond(r, req.method);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return respond(
        s3Error(500, "InternalError", `We encountered an internal error: ${message}`, id),
        req.method,
      );
    }
  }

  return new Promise((resolve, reject) => {
    try {
      const server = Deno.serve({
        hostname: "127.0.0.1",
        port: options.port ?? 0,
        onListen: () => {},
        onError: () => new Response("internal error", { status: 500 }),
      }, handle);
      const port = server.addr.port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        world,
        knobs,
        stats,
        reindex() {
          index = indexWorld(world);
          store.setIndex(index);
        },
        close: () => server.shutdown(),
      });
    } catch (err) {
      reject(err);
    }
  });
}
