/**
 * The real services behind the object browser and the combined "All saved roles" table: S3
 * clients in each bucket's own region, and the inventory of aws/inventory.ts. Loaded lazily by
 * app.ts (static-string import) so tests of the flow need none of it.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import {
  type InventoryItem,
  prepareInventory,
  runInventory,
  sdkInventoryServices,
} from "../../aws/inventory.ts";
import { listObjectsPage } from "../../aws/objects.ts";
import { checkedChain } from "../../cli/chain.ts";
import { sharedSources, type Source } from "../../aws/session.ts";
import { s3For } from "../../aws/s3_client.ts";
import type { Env } from "../../core/env.ts";
import type { AssumedSession } from "../../core/model.ts";
import type { AppServices, SourceHandle } from "../app.ts";
import { usableCacheDir } from "../adapters.ts";
import type { BrowserPage, BrowserTarget } from "./state.ts";

interface Endpoint {
  env: Env;
  endpointUrl?: string;
}

/** The handle's profile name; none for the environment or the default chain ("(…)" names). */
function profileOf(handle: SourceHandle): string | undefined {
  return handle.profileName.startsWith("(") ? undefined : handle.profileName;
}

/** `browse` and `inventory` for AppServices. */
export function browserServices(): Required<Pick<AppServices, "browse" | "inventory">> {
  const open = sharedSources();
  const clients = new Map<string, S3Client>();

  // The handle's own Source lives in ui/adapters.ts; opening the same profile again is free (no
  // request) and gives the S3 endpoint of its profile.
  const sourceFor = (handle: SourceHandle, opts: Endpoint): Promise<Source> => {
    const profile = profileOf(handle);
    return open({
      env: opts.env,
      ...(profile ? { profile } : {}),
      ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
    });
  };

  const page = async (
    source: Source,
    session: AssumedSession,
    opts: Endpoint,
    target: BrowserTarget,
    request: { prefix: string; token?: string; signal: AbortSignal },
  ): Promise<BrowserPage> => {
    // A client in the bucket's own region (known from the table), one per session and region.
    const region = target.region ?? session.region;
    const key = `${session.credentials.accessKeyId}\n${region}`;
    let s3 = clients.get(key);
    if (!s3) {
      s3 = s3For(session, region, {
        env: opts.env,
        source,
        ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
      });
      clients.set(key, s3);
    }
    return await listObjectsPage(s3, {
      bucket: target.bucket,
      prefix: request.prefix,
      ...(request.token ? { token: request.token } : {}),
      signal: request.signal,
    });
  };

  return {
    async browse(handle, session, opts, target, request) {
      return await page(await sourceFor(handle, opts), session, opts, target, request);
    },
    async inventory(handle, roles, opts) {
      const source = await sourceFor(handle, opts);
      const profile = profileOf(handle);
      // The same credential cache as the single-role flow: a role assumed there is not assumed
      // (nor its MFA code asked) again here, and the other way round.
      const dir = usableCacheDir(opts.env);
      const services = sdkInventoryServices({
        env: opts.env,
        ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
        ...(dir ? { cacheDir: dir } : {}),
        ...(opts.now ? { now: opts.now } : {}),
        mfaCode: opts.askMfaCode,
      });
      const sessions = new Map<string, AssumedSession>();
      // Chained roles go through their chain as in the one-role flow (from the same source); a
      // chain that cannot be resolved is that role's failure row.
      const items: InventoryItem[] = roles.map((role) => {
        const base = profile ? { role, profile } : { role };
        try {
          const chain = checkedChain(role, opts.known ?? roles);
          return chain.length > 1 ? { ...base, chain } : base;
        } catch (error) {
          return { ...base, error };
        }
      });
      const prepared = await prepareInventory(items, services);
      for (const p of prepared) if (p.cached) sessions.set(p.item.role.label, p.cached);
      return {
        async run(signal, emit) {
          await runInventory(
            prepared,
            {
              assume: async (item, mfa) => {
                const session = await services.assume(item, mfa);
                sessions.set(item.role.label, session);
                return session;
              },
              listBuckets: services.listBuckets,
            },
            { signal },
            emit,
          );
        },
        sessionOf: (role) => sessions.get(role),
        async browse(target, request) {
          const session = target.role ? sessions.get(target.role) : undefined;
          if (!session) throw new Error(`No session for role "${target.role ?? ""}"`);
          return await page(source, session, opts, target, request);
        },
      };
    },
  };
}
