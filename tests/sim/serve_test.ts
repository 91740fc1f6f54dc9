/** The standalone simulator command line (src/sim/serve.ts). */
import assert from "node:assert/strict";
import { parseServeArgs, worldFromSpec } from "../../src/sim/serve.ts";

Deno.test("serve.ts reads port, latency and a generated world from its flags", () => {
  const args = parseServeArgs(["--port", "4570", "--latency=20", "--world", "gen:120:3"]);
  assert.deepEqual(
    [args.port, args.latencyMs, args.world, args.throttleEvery, args.quiet],
    [4570, 20, "gen:120:3", 0, false],
  );
  const world = worldFromSpec(args.world);
  assert.equal(world.accounts.length, 4);
  assert.equal(world.accounts.flatMap((a) => a.buckets).length, 120);
  assert.equal(parseServeArgs([]).world, "demo");
});

Deno.test("serve.ts rejects unknown flags, missing values and bad worlds with one-line messages", () => {
  assert.throws(() => parseServeArgs(["--nope"]), /Unknown option "--nope"/);
  assert.throws(() => parseServeArgs(["--port"]), /Missing value for "--port"/);
  assert.throws(() => parseServeArgs(["--latency", "-5"]), /Invalid value for "--latency": "-5"/);
  assert.throws(() => parseServeArgs(["--world", "gen:x"]), /Invalid world "gen:x"/);
});

Deno.test("serve.ts run as a program prints the simulator's URL and answers on it", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--allow-net=127.0.0.1",
      new URL("../../src/sim/serve.ts", import.meta.url).pathname,
      "--port",
      "0",
      "--quiet",
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    reader.releaseLock();
    const url = text.trim();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/`);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /AccessDenied/);
  } finally {
    child.kill("SIGINT");
    await child.stdout.cancel().catch(() => {});
    await child.status;
  }
});
