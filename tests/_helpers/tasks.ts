/**
 * The permission flags of a `deno task` in deno.json, so that tests run xrole with exactly the
 * permissions users and the compiled binary get (one source of truth).
 */
import denoJson from "../../deno.json" with { type: "json" };

export const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * The flags between `deno run`/`deno compile` and the script, with $HOME expanded (to `home`,
 * default this process' HOME, as `deno task` would).
 */
export function taskPermissions(
  task: "start" | "demo" | "compile" | "install",
  home: string = Deno.env.get("HOME") ?? "",
): string[] {
  const line = (denoJson.tasks as Record<string, string>)[task];
  if (!line) throw new Error(`no task "${task}" in deno.json`);
  const words = line.split(/\s+/);
  const flags = words.slice(2).filter((w) => w.startsWith("--") && w !== "-o");
  return flags.map((f) => f.replaceAll("$HOME", home));
}
