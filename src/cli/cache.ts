/**
 * `xrole cache clear`: delete every cached role session (the only secrets xrole keeps on disk).
 * No SDK import: clearing needs no network and no credentials.
 */
import { clearCache } from "../aws/cache.ts";
import { cacheDir } from "../config/dirs.ts";
import { quote } from "../core/arn.ts";
import { ExitCode, XroleError } from "../core/errors.ts";
import type { CliDeps } from "./deps.ts";

/** Removes the cached sessions; says how many on stderr (stdout stays empty). Exit 0. */
export async function cacheClearCommand(deps: CliDeps): Promise<number> {
  const dir = cacheDir(deps.io.env);
  let removed: number;
  try {
    removed = await clearCache(dir);
  } catch (err) {
    const why = err instanceof Deno.errors.PermissionDenied || err instanceof Deno.errors.NotCapable
      ? "permission denied"
      : err instanceof Error
      ? err.message
      : String(err);
    throw new XroleError(`Cannot clear the cache ${quote(dir)}: ${why}`, ExitCode.failure);
  }
  deps.io.stderr(
    `xrole: removed ${removed} cached session${removed === 1 ? "" : "s"} from ${quote(dir)}\n`,
  );
  return 0;
}
