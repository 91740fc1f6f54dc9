/**
 * `xrole buckets` as a script uses it: the real entry point with the start task's permissions,
 * stdout piped (so JSON by default), checked with jq as a CI job would.
 */
import assert from "node:assert/strict";
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { locationConstraintOf } from "../../src/sim/world.ts";
import { makeHome, startSimProcess, xrole } from "../security/_child.ts";

async function jq(
  filter: string,
  input: string,
  raw = false,
): Promise<{ ok: boolean; out: string }> {
  const child = new Deno.Command("jq", {
    args: [...(raw ? ["-r"] : []), "-e", filter],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  const out = await child.output();
  return { ok: out.success, out: new TextDecoder().decode(out.stdout) };
}

Deno.test("buckets --role prod piped to jq: every bucket once, sorted, regions right, byte-stable", async () => {
  const sim = await startSimProcess(0);
  const home = await makeHome();
  try {
    const args = ["buckets", "--role", "prod", "--mfa-code", DEMO.mfaCode, "--no-cache"];
    const env = { AWS_ENDPOINT_URL: sim.url };
    const first = await xrole(home, args, env);
    assert.equal(first.code, 0, first.stderr);

    const prod = demoWorld().accounts.find((a) => a.id === DEMO.roles.prod.accountId)!;
    const expected = new Map(prod.buckets.map((b) => [b.name, b.region]));
    assert.ok((await jq(`length == ${expected.size}`, first.stdout)).ok, "one row per bucket");
    assert.ok((await jq("[.[].name] == ([.[].name] | sort)", first.stdout)).ok, "sorted by name");
    assert.ok(
      (await jq('all(.[]; (.created | test("^\\\\d{4}-\\\\d\\\\d-\\\\d\\\\dT")))', first.stdout))
        .ok,
      "ISO dates",
    );
    const pairs = (await jq('.[] | "\\(.name) \\(.region)"', first.stdout, true)).out.trim()
      .split("\n").map((l) => l.split(" ") as [string, string]);
    assert.deepEqual(new Map(pairs), expected);
    // The world's quirks reached the output normalised: no empty or "EU" regions.
    assert.ok(
      prod.buckets.some((b) => locationConstraintOf(b) === ""),
      "the prod account has a us-east-1 bucket (empty constraint)",
    );
    assert.ok((await jq('all(.[]; .region != "" and .region != "EU")', first.stdout)).ok);

    const second = await xrole(home, args, env);
    assert.equal(second.stdout, first.stdout, "same world, same bytes");
  } finally {
    sim.kill();
    await Deno.remove(home, { recursive: true });
  }
});
