/** xrole entry point (placeholder until the CLI lands): --version and --help only. */
import denoJson from "../deno.json" with { type: "json" };

if (import.meta.main) {
  const args = Deno.args;
  if (args.includes("--version") || args.includes("-V")) {
    console.log(`xrole ${denoJson.version}`);
  } else {
    console.log("Usage: xrole [command] [options]");
  }
}
