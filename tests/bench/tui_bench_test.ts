import assert from "node:assert/strict";
import { replaceSection, tuiBench } from "./tui_bench.ts";

const OLD = "## Interactive table\n\nold numbers\n";
const NEW = "## Interactive table\n\nnew numbers\n";

Deno.test("rerunning the table bench replaces its section and keeps the others", () => {
  const text = `## Region lookups\n\ncli table\n\n${OLD}\n## Later\n\nkept\n`;
  const out = replaceSection(text, NEW);
  assert.match(out, /new numbers/);
  assert.doesNotMatch(out, /old numbers/);
  assert.ok(out.startsWith("## Region lookups\n\ncli table\n\n## Interactive table"));
  assert.ok(out.endsWith("## Later\n\nkept\n"), out);
});

Deno.test("the table bench section is appended to results that have none", () => {
  const out = replaceSection("## Region lookups\n\ncli table\n", NEW);
  assert.equal(out, `## Region lookups\n\ncli table\n\n${NEW}`);
  assert.equal(replaceSection(`intro\n\n${OLD}`, NEW), `intro\n\n${NEW}`);
});

Deno.test("the table bench drives the real table to every bucket's region and reports it", async () => {
  const logged: string[] = [];
  const md = await tuiBench({ sizes: [12], latencyMs: 0, runs: 1, log: (s) => logged.push(s) });
  assert.equal(logged.length, 1);
  assert.doesNotMatch(logged[0]!, /WRONG/);
  assert.doesNotMatch(md, /WRONG OUTPUT/);
  assert.match(md, /^## Interactive table/);
  assert.match(md, /\| measure \(median of 1 runs\) \| N = 12 \|/);
  // Every key pressed was answered by a frame.
  assert.match(md, /\| keys never answered by a frame \| 0 \|/);
  assert.match(md, /first frame with bucket names\*\* \| [\d.]+ m?s \|/);
});
