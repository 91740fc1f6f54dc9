import assert from "node:assert/strict";
import { decodeKeys } from "../../../src/ui/table/keys.ts";
import {
  type BrowserEffect,
  type BrowserPage,
  type BrowserState,
  openBrowser,
  selectedEntry,
  updateBrowser,
} from "../../../src/ui/browser/state.ts";

const SIZE = { width: 80, height: 10 }; // 6 rows on screen
const TARGET = { bucket: "acme-dev-artifacts", region: "eu-west-1" };

function press(
  state: BrowserState,
  raw: string,
): { state: BrowserState; effects: BrowserEffect[] } {
  let effects: BrowserEffect[] = [];
  for (const key of decodeKeys(raw)) {
    const r = updateBrowser(state, { type: "key", key });
    state = r.state;
    effects = [...effects, ...r.effects];
  }
  return { state, effects };
}

function objects(prefix: string, n: number, from = 0): BrowserPage["objects"] {
  return Array.from({ length: n }, (_, i) => ({
    key: `${prefix}file-${String(from + i).padStart(3, "0")}.txt`,
    size: 100 * (i + 1),
    lastModified: new Date(Date.UTC(2024, 0, 1 + i)),
  }));
}

function answer(state: BrowserState, effects: BrowserEffect[], page: BrowserPage) {
  const load = effects.find((e) => e.type === "load");
  assert.ok(load && load.type === "load", "a load was asked for");
  return updateBrowser(state, { type: "page", request: load.request, page });
}

function names(state: BrowserState): string[] {
  return state.shown.map((e) => e.key);
}

Deno.test("opening a bucket asks for its top level and shows it loading", () => {
  const { state, effects } = openBrowser(TARGET, SIZE);
  assert.equal(state.prefix, "");
  assert.equal(state.loading, true);
  assert.deepEqual(effects, [{ type: "load", request: 1, target: TARGET, prefix: "" }]);
});

Deno.test("folders come first, then objects, even when a later page brings more folders", () => {
  let r = openBrowser(TARGET, SIZE);
  r = answer(r.state, r.effects, {
    prefixes: ["a/"],
    objects: [{ key: "b.txt", size: 1 }],
    nextToken: "t1",
  });
  // The cursor is near the end of a short list: the next page is asked for at once.
  const next = r.effects.find((e) => e.type === "load");
  assert.ok(next && next.type === "load");
  assert.equal(next.token, "t1");
  r = answer(r.state, r.effects, { prefixes: ["c/"], objects: [{ key: "d.txt", size: 2 }] });
  assert.deepEqual(names(r.state), ["a/", "c/", "b.txt", "d.txt"]);
  assert.equal(r.state.complete, true);
  assert.deepEqual(r.effects, [], "nothing more to load");
});

Deno.test("the next page is fetched only when the cursor nears the end", () => {
  let r = openBrowser(TARGET, SIZE);
  r = answer(r.state, r.effects, { prefixes: [], objects: objects("", 20), nextToken: "t1" });
  assert.deepEqual(r.effects, [], "20 rows, 6 on screen: no need yet");
  let s = r.state;
  let p = press(s, "\x1b[B".repeat(10));
  assert.deepEqual(p.effects, [], "row 11 of 20 is not near the end");
  p = press(p.state, "\x1b[B".repeat(4));
  const load = p.effects.find((e) => e.type === "load");
  assert.ok(load && load.type === "load" && load.token === "t1", "row 15 of 20 asks for more");
  assert.equal(p.state.loading, true);
  const again = press(p.state, "\x1b[B");
  assert.deepEqual(again.effects, [], "one request at a time");
  s = answer(again.state, p.effects, { prefixes: [], objects: objects("", 5, 20) }).state;
  assert.equal(s.shown.length, 25);
  assert.equal(selectedEntry(s)?.key, "file-015.txt", "the cursor stays on its object");
});

Deno.test("Enter on a folder goes in, Backspace goes up and lands on the folder it came from", () => {
  let r = openBrowser(TARGET, SIZE);
  r = answer(r.state, r.effects, { prefixes: ["releases/", "snapshots/"], objects: [] });
  let p = press(r.state, "\x1b[B"); // snapshots/
  p = press(p.state, "\r");
  assert.equal(p.state.prefix, "snapshots/");
  assert.deepEqual(p.state.shown, []);
  const load = p.effects.find((e) => e.type === "load");
  assert.ok(load && load.type === "load" && load.prefix === "snapshots/");
  r = answer(p.state, p.effects, { prefixes: ["snapshots/nightly/"], objects: [] });
  p = press(r.state, "\r");
  assert.equal(p.state.prefix, "snapshots/nightly/");
  r = answer(p.state, p.effects, { prefixes: [], objects: objects("snapshots/nightly/", 2) });

  p = press(r.state, "\x7f");
  assert.equal(p.state.prefix, "snapshots/");
  r = answer(p.state, p.effects, { prefixes: ["snapshots/nightly/"], objects: [] });
  p = press(r.state, "\x7f");
  assert.equal(p.state.prefix, "");
  r = answer(p.state, p.effects, { prefixes: ["releases/", "snapshots/"], objects: [] });
  assert.equal(selectedEntry(r.state)?.key, "snapshots/", "back on the folder we left");
});

Deno.test("Enter on an object does nothing; Backspace, Esc or b at the top close the browser", () => {
  let r = openBrowser(TARGET, SIZE);
  r = answer(r.state, r.effects, { prefixes: [], objects: objects("", 2) });
  const enter = press(r.state, "\r");
  assert.deepEqual(enter.effects, []);
  assert.equal(enter.state.prefix, "");
  for (const key of ["\x7f", "\x1b", "b"]) {
    assert.deepEqual(press(r.state, key).effects, [{ type: "close" }], JSON.stringify(key));
  }
  assert.deepEqual(press(r.state, "q").effects, [{ type: "quit" }]);
  assert.deepEqual(press(r.state, "\x03").effects, [{ type: "interrupt" }]);
});

Deno.test("Esc below the top goes up a level instead of closing", () => {
  let r = openBrowser(TARGET, SIZE, "a/b/");
  r = answer(r.state, r.effects, { prefixes: [], objects: [] });
  const p = press(r.state, "\x1b");
  assert.equal(p.state.prefix, "a/");
  assert.ok(p.effects.some((e) => e.type === "load"));
});

Deno.test("/ filters the loaded entries by name below the folder, and keeps loading for matches", () => {
  let r = openBrowser(TARGET, SIZE, "logs/");
  r = answer(r.state, r.effects, {
    prefixes: ["logs/app/", "logs/web/"],
    objects: objects("logs/", 12),
    nextToken: "t1",
  });
  let p = press(r.state, "/logs");
  assert.equal(p.state.filter, "logs");
  assert.deepEqual(names(p.state), [], "'logs' is in the prefix, not in any name");
  assert.ok(p.effects.some((e) => e.type === "load"), "no match on screen: load more");
  p = press(p.state, "\x7f\x7f\x7f\x7fweb");
  assert.deepEqual(names(p.state), ["logs/web/"]);
  p = press(p.state, "\r");
  assert.equal(p.state.editing, false);
  assert.equal(p.state.filter, "web");
  p = press(p.state, "/\x1b");
  assert.equal(p.state.filter, "");
  assert.equal(p.state.shown.length, 14);
});

Deno.test("a refusal shows in place and stops loading; stale answers are ignored", () => {
  let r = openBrowser(TARGET, SIZE);
  const failed = updateBrowser(r.state, {
    type: "failed",
    request: 1,
    code: "AccessDenied",
    message: "Access Denied",
  });
  assert.deepEqual(failed.state.error, { code: "AccessDenied", message: "Access Denied" });
  assert.equal(failed.state.loading, false);
  assert.deepEqual(press(failed.state, "\x1b[F").effects, []);

  r = answer(r.state, r.effects, { prefixes: ["a/"], objects: [] });
  const into = press(r.state, "\r");
  const stale = updateBrowser(into.state, {
    type: "page",
    request: 1,
    page: { prefixes: ["zzz/"], objects: [] },
  });
  assert.deepEqual(stale.state.shown, [], "the old folder's page does not land in the new one");
});

Deno.test("a folder's own placeholder object is not listed as an entry", () => {
  let r = openBrowser(TARGET, SIZE, "docs/");
  r = answer(r.state, r.effects, {
    prefixes: [],
    objects: [{ key: "docs/", size: 0 }, { key: "docs/a.md", size: 5 }],
  });
  assert.deepEqual(names(r.state), ["docs/a.md"]);
});
