/**
 * What each command loads before it runs: the npm packages reachable from a module through static
 * imports (dynamic `import()` and type-only imports excluded), read from `deno info --json`.
 * Start-up time is measured by `deno task bench`; these tests keep the heavy packages where the
 * bench found them cheapest (the SDK only once a command runs, the text width library only for
 * tables).
 */
import assert from "node:assert/strict";
import { fileURLToPath as fromFileUrl } from "node:url";

interface InfoDependency {
  code?: { specifier?: string };
  isDynamic?: boolean;
}
interface InfoModule {
  specifier: string;
  dependencies?: InfoDependency[];
}

/** The npm packages (name@version) `entry` loads through static imports. */
async function staticNpmPackages(entry: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", fromFileUrl(new URL(`../../${entry}`, import.meta.url))],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: InfoModule[];
    redirects: Record<string, string>;
  };
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [...info.roots];
  while (queue.length > 0) {
    const specifier = queue.pop()!;
    const resolved = info.redirects[specifier] ?? specifier;
    if (seen.has(resolved)) continue;
    seen.add(resolved);
    const npm = /^npm:\/?(@?[^@/]+(?:\/[^@/]+)?)/.exec(resolved);
    if (npm) {
      packages.add(npm[1]!);
      continue;
    }
    for (const dep of bySpecifier.get(resolved)?.dependencies ?? []) {
      if (dep.code?.specifier && !dep.isDynamic) queue.push(dep.code.specifier);
    }
  }
  return [...packages].sort();
}

Deno.test("the entry point loads only the argument parser before a command runs", async () => {
  assert.deepEqual(await staticNpmPackages("src/main.ts"), ["@commander-js/extra-typings"]);
});

Deno.test("listing and credential commands load no text width library until a table is printed", async () => {
  for (const command of ["buckets", "inventory", "exec", "assume"]) {
    const packages = await staticNpmPackages(`src/cli/${command}.ts`);
    assert.ok(!packages.includes("string-width"), `${command}: ${packages.join(", ")}`);
    assert.ok(!packages.some((p) => p.startsWith("@aws-sdk/")), `${command}: ${packages}`);
  }
  // The check bites: the table module does load it.
  assert.ok((await staticNpmPackages("src/core/bucket_table.ts")).includes("string-width"));
});

Deno.test("assuming a role loads only the STS half of the SDK: S3 loads while STS answers", async () => {
  for (const module of ["src/cli/session.ts", "src/aws/session.ts"]) {
    const packages = await staticNpmPackages(module);
    assert.ok(packages.includes("@aws-sdk/client-sts"), `${module}: ${packages.join(", ")}`);
    assert.ok(!packages.includes("@aws-sdk/client-s3"), `${module}: ${packages.join(", ")}`);
  }
  assert.ok((await staticNpmPackages("src/aws/s3_client.ts")).includes("@aws-sdk/client-s3"));
});
