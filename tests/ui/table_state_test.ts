import assert from "node:assert/strict";
import type { ListedBucket, RowUpdate } from "../../src/core/model.ts";
import { decodeKeys, type Key } from "../../src/ui/table/keys.ts";
import {
  initialState,
  listHeight,
  regionsPresent,
  selectedRow,
  sortOrder,
  type TableState,
  update,
} from "../../src/ui/table/state.ts";
import { apply, NOW, press, startTable } from "./_table.ts";

const HEADER = { accountId: "222222222222", roleLabel: "prod", roleColor: "red" };

function buckets(n: number, prefix = "bucket"): ListedBucket[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `${prefix}-${String(i).padStart(3, "0")}`,
    created: new Date(Date.UTC(2020, 0, 1 + ((i * 7) % n))),
  }));
}

function start(list: ListedBucket[], size = { width: 80, height: 24 }): TableState {
  return startTable(HEADER, list, size);
}

function effectsOf(state: TableState, raw: string) {
  const key: Key = decodeKeys(raw)[0]!;
  return update(state, { type: "key", key }).effects;
}

function shownNames(state: TableState): string[] {
  return state.visible.map((i) => state.rows[i]!.name);
}

const UP = "\x1b[A";
const DOWN = "\x1b[B";
const PGUP = "\x1b[5~";
const PGDN = "\x1b[6~";
const HOME = "\x1b[H";
const END = "\x1b[F";
const ESC = "\x1b";

Deno.test("listed buckets appear at once with every region pending", () => {
  const s = start(buckets(5));
  assert.equal(s.rows.length, 5);
  assert.ok(s.rows.every((r) => r.state === "pending" && r.region === undefined));
  assert.equal(s.finished, 0);
  assert.equal(s.listed, true);
  assert.equal(s.done, false);
});

Deno.test("a region update fills that bucket's cell and counts the lookup as done", () => {
  let s = start(buckets(3));
  s = apply(s, { type: "region", name: "bucket-001", region: "eu-west-1", source: "location" });
  const row = s.rows.find((r) => r.name === "bucket-001")!;
  assert.equal(row.state, "done");
  assert.equal(row.region, "eu-west-1");
  assert.equal(row.regionSource, "location");
  assert.equal(s.finished, 1);
});

Deno.test("a failed lookup shows its error code and still counts as finished", () => {
  let s = start(buckets(2));
  s = apply(s, { type: "error", name: "bucket-000", code: "AccessDenied", message: "no" });
  const row = s.rows.find((r) => r.name === "bucket-000")!;
  assert.equal(row.state, "error");
  assert.equal(row.error, "AccessDenied");
  assert.equal(s.finished, 1);
  s = apply(s, { type: "done" });
  assert.equal(s.done, true);
});

Deno.test("a repeated update for the same bucket is not counted twice", () => {
  let s = start(buckets(2));
  const u: RowUpdate = { type: "region", name: "bucket-000", region: "us-east-1", source: "head" };
  s = apply(s, u, u);
  assert.equal(s.finished, 1);
});

Deno.test("updates for unknown buckets are ignored", () => {
  let s = start(buckets(2));
  s = apply(s, { type: "region", name: "nope", region: "us-east-1", source: "location" });
  assert.equal(s.finished, 0);
  assert.equal(s.rows.length, 2);
});

Deno.test("a batch of updates applies like the same updates one by one", () => {
  const s0 = start(buckets(10));
  const updates: RowUpdate[] = buckets(10).map((b, i) => ({
    type: "region",
    name: b.name,
    region: i % 2 ? "eu-west-1" : "us-east-1",
    source: "location",
  }));
  const batched = apply(s0, { type: "rows", updates });
  const single = apply(s0, ...updates);
  assert.deepEqual(batched.rows, single.rows);
  assert.equal(batched.finished, 10);
});

Deno.test("down/j and up/k move the cursor and stop at the ends", () => {
  let s = start(buckets(3));
  assert.equal(s.cursor, 0);
  s = press(s, DOWN, "j");
  assert.equal(s.cursor, 2);
  s = press(s, "j", DOWN);
  assert.equal(s.cursor, 2, "cursor stays on the last row");
  s = press(s, UP, "k");
  assert.equal(s.cursor, 0);
  s = press(s, "k");
  assert.equal(s.cursor, 0, "cursor stays on the first row");
});

Deno.test("PgDn/PgUp move by one screen of rows and Home/End jump to the ends", () => {
  let s = start(buckets(100));
  const page = listHeight(s);
  assert.equal(page, 20, "80x24 leaves 20 rows for buckets");
  s = press(s, PGDN);
  assert.equal(s.cursor, page);
  assert.ok(s.offset <= s.cursor && s.cursor < s.offset + page);
  s = press(s, PGUP);
  assert.equal(s.cursor, 0);
  s = press(s, END);
  assert.equal(s.cursor, 99);
  assert.equal(s.offset, 100 - page);
  s = press(s, HOME);
  assert.equal(s.cursor, 0);
  assert.equal(s.offset, 0);
});

Deno.test("the selected row always stays on screen while scrolling", () => {
  let s = start(buckets(50));
  for (let i = 0; i < 49; i++) {
    s = press(s, DOWN);
    assert.ok(s.cursor >= s.offset && s.cursor < s.offset + listHeight(s));
  }
  assert.equal(selectedRow(s)?.name, "bucket-049");
});

Deno.test("typing after / filters by name as you type; Enter keeps the filter", () => {
  let s = start([...buckets(3, "logs"), ...buckets(3, "data")]);
  s = press(s, "/");
  assert.equal(s.editing, true);
  s = press(s, "l", "o", "g");
  assert.equal(s.filter, "log");
  assert.deepEqual(shownNames(s), ["logs-000", "logs-001", "logs-002"]);
  s = press(s, "\r");
  assert.equal(s.editing, false);
  assert.equal(s.filter, "log");
  assert.equal(shownNames(s).length, 3);
});

Deno.test("the filter ignores case and Backspace widens it again", () => {
  let s = start([...buckets(2, "logs"), ...buckets(2, "data")]);
  s = press(s, "/", "D", "A", "x");
  assert.equal(shownNames(s).length, 0);
  s = press(s, "\x7f");
  assert.deepEqual(shownNames(s), ["data-000", "data-001"]);
});

Deno.test("Esc while filtering clears the filter and leaves editing", () => {
  let s = start([...buckets(2, "logs"), ...buckets(2, "data")]);
  s = press(s, "/", "d", "a");
  s = press(s, ESC);
  assert.equal(s.editing, false);
  assert.equal(s.filter, "");
  assert.equal(shownNames(s).length, 4);
});

Deno.test("letters typed into the filter do not trigger their commands", () => {
  const s = press(start(buckets(3)), "/");
  assert.deepEqual(effectsOf(s, "q"), [], "q types a letter while filtering");
  assert.deepEqual(effectsOf(s, "b"), []);
  const after = press(s, "s", "r", "q");
  assert.equal(after.filter, "srq");
  assert.equal(after.sortIndex, 0);
  assert.equal(after.regionFilter, null);
});

Deno.test("Ctrl-C interrupts even while filtering", () => {
  const s = press(start(buckets(3)), "/");
  assert.deepEqual(effectsOf(s, "\x03"), [{ type: "interrupt" }]);
});

Deno.test("s cycles the sort through name, region and created, each both ways", () => {
  let s = start(buckets(4));
  s = apply(
    s,
    { type: "region", name: "bucket-000", region: "us-west-2", source: "location" },
    { type: "region", name: "bucket-001", region: "ap-south-1", source: "location" },
    { type: "region", name: "bucket-002", region: "eu-west-1", source: "location" },
  );
  const seen: string[] = [];
  for (let i = 0; i < 6; i++) {
    const o = sortOrder(s);
    seen.push(`${o.key} ${o.dir}`);
    s = press(s, "s");
  }
  assert.deepEqual(seen, [
    "name asc",
    "name desc",
    "region asc",
    "region desc",
    "created asc",
    "created desc",
  ]);
  assert.equal(sortOrder(s).key, "name", "the cycle starts over");
});

Deno.test("sorting by region puts pending lookups last", () => {
  let s = start(buckets(4));
  s = apply(
    s,
    { type: "region", name: "bucket-000", region: "us-west-2", source: "location" },
    { type: "region", name: "bucket-001", region: "ap-south-1", source: "location" },
    { type: "error", name: "bucket-002", code: "AccessDenied", message: "x" },
  );
  s = press(s, "s", "s");
  assert.deepEqual(shownNames(s), ["bucket-001", "bucket-000", "bucket-002", "bucket-003"]);
  s = press(s, "s");
  assert.deepEqual(shownNames(s), ["bucket-003", "bucket-002", "bucket-000", "bucket-001"]);
});

Deno.test("sorting by name descending reverses the list", () => {
  const s = press(start(buckets(3)), "s");
  assert.deepEqual(shownNames(s), ["bucket-002", "bucket-001", "bucket-000"]);
});

Deno.test("sorting by created date orders oldest first, then newest first", () => {
  const list: ListedBucket[] = [
    { name: "b", created: new Date("2022-01-01") },
    { name: "a", created: new Date("2023-01-01") },
    { name: "c", created: new Date("2021-01-01") },
  ];
  let s = press(start(list), "s", "s", "s", "s");
  assert.deepEqual(shownNames(s), ["c", "b", "a"]);
  s = press(s, "s");
  assert.deepEqual(shownNames(s), ["a", "b", "c"]);
});

Deno.test("the selection follows the same bucket when the sort changes", () => {
  let s = start(buckets(5));
  s = press(s, DOWN); // bucket-001
  s = press(s, "s"); // name desc: bucket-001 is now 4th
  assert.equal(selectedRow(s)?.name, "bucket-001");
  assert.equal(s.cursor, 3);
});

Deno.test("the selection stays on its bucket when a region update re-sorts the rows", () => {
  let s = press(start(buckets(3)), "s", "s"); // region asc; all pending
  s = press(s, END); // bucket-002
  assert.equal(selectedRow(s)?.name, "bucket-002");
  s = apply(s, { type: "region", name: "bucket-002", region: "af-south-1", source: "location" });
  assert.equal(selectedRow(s)?.name, "bucket-002");
  assert.equal(s.cursor, 0);
});

Deno.test("r cycles the region filter through the regions present, then back to all", () => {
  let s = start(buckets(4));
  s = apply(
    s,
    { type: "region", name: "bucket-000", region: "us-west-2", source: "location" },
    { type: "region", name: "bucket-001", region: "eu-west-1", source: "location" },
    { type: "region", name: "bucket-002", region: "eu-west-1", source: "head" },
  );
  assert.deepEqual(regionsPresent(s.rows), ["eu-west-1", "us-west-2"]);
  s = press(s, "r");
  assert.equal(s.regionFilter, "eu-west-1");
  assert.deepEqual(shownNames(s), ["bucket-001", "bucket-002"]);
  s = press(s, "r");
  assert.equal(s.regionFilter, "us-west-2");
  assert.deepEqual(shownNames(s), ["bucket-000"]);
  s = press(s, "r");
  assert.equal(s.regionFilter, null);
  assert.equal(shownNames(s).length, 4);
});

Deno.test("r does nothing visible before any region is known", () => {
  const s = press(start(buckets(2)), "r");
  assert.equal(s.regionFilter, null);
  assert.equal(shownNames(s).length, 2);
});

Deno.test("region filter and name filter combine", () => {
  let s = start([...buckets(2, "logs"), ...buckets(2, "data")]);
  s = apply(
    s,
    { type: "region", name: "logs-000", region: "eu-west-1", source: "location" },
    { type: "region", name: "data-000", region: "eu-west-1", source: "location" },
    { type: "region", name: "data-001", region: "us-east-1", source: "location" },
  );
  s = press(s, "r", "/", "d", "\r");
  assert.deepEqual(shownNames(s), ["data-000"]);
});

Deno.test("i opens the detail pane for the selected bucket; i or Esc closes it", () => {
  let s = press(start(buckets(3)), DOWN, "i");
  assert.equal(s.detail, true);
  assert.equal(selectedRow(s)?.name, "bucket-001");
  assert.ok(listHeight(s) < 20, "the pane takes room from the list");
  s = press(s, "i");
  assert.equal(s.detail, false);
  s = press(s, "i", ESC);
  assert.equal(s.detail, false);
  assert.deepEqual(effectsOf(press(s, "i"), ESC), [], "Esc closes the pane, not xrole");
});

Deno.test("i on an empty list opens no detail pane, and Enter opens no bucket", () => {
  const s = press(start([]), "i");
  assert.equal(s.detail, false);
  assert.deepEqual(effectsOf(s, "\r"), []);
  assert.equal(press(s, "\r").browser, undefined);
});

Deno.test("the detail pane follows the cursor", () => {
  const s = press(start(buckets(3)), "i", DOWN, DOWN);
  assert.equal(s.detail, true);
  assert.equal(selectedRow(s)?.name, "bucket-002");
});

Deno.test("b asks to go back to the role list, q and Esc ask to quit, Ctrl-C interrupts", () => {
  const s = start(buckets(2));
  assert.deepEqual(effectsOf(s, "b"), [{ type: "back" }]);
  assert.deepEqual(effectsOf(s, "q"), [{ type: "quit" }]);
  assert.deepEqual(effectsOf(s, ESC), [{ type: "quit" }]);
  assert.deepEqual(effectsOf(s, "\x03"), [{ type: "interrupt" }]);
});

Deno.test("unbound keys change nothing", () => {
  const s = start(buckets(2));
  const r = update(s, { type: "key", key: { name: "z" } });
  assert.equal(r.state, s);
  assert.deepEqual(r.effects, []);
});

Deno.test("a smaller terminal keeps the cursor on screen", () => {
  let s = press(start(buckets(100), { width: 100, height: 40 }), END);
  assert.equal(s.offset, 100 - 36);
  s = apply(s, { type: "resize", size: { width: 80, height: 10 } });
  assert.equal(listHeight(s), 6);
  assert.equal(s.cursor, 99);
  assert.ok(s.cursor >= s.offset && s.cursor < s.offset + 6);
  s = apply(s, { type: "resize", size: { width: 80, height: 200 } });
  assert.equal(s.offset, 0, "everything fits, no scrolling");
});

Deno.test("a tick updates the clock used for time left", () => {
  const later = new Date(NOW.getTime() + 60_000);
  const s = apply(start(buckets(1)), { type: "tick", now: later });
  assert.equal(s.now, later);
});

Deno.test("a listing failure ends the lookups and keeps the message", () => {
  const s = apply(initialState({ header: HEADER, size: { width: 80, height: 24 }, now: NOW }), {
    type: "failed",
    message: "ListBuckets failed: AccessDenied",
  });
  assert.equal(s.done, true);
  assert.equal(s.failure, "ListBuckets failed: AccessDenied");
});

Deno.test("10,000 buckets update in one batch quickly", () => {
  const list = buckets(10_000);
  let s = start(list);
  const updates: RowUpdate[] = list.map((b, i) => ({
    type: "region",
    name: b.name,
    region: `r-${i % 17}`,
    source: "location",
  }));
  const t0 = performance.now();
  s = apply(s, { type: "rows", updates });
  s = press(s, "s", "s");
  const ms = performance.now() - t0;
  assert.equal(s.finished, 10_000);
  assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
});

Deno.test("o asks for the console of the role in use and says it is preparing the link", () => {
  const s = start(buckets(3));
  const r = update(s, { type: "key", key: { name: "o" } });
  assert.deepEqual(r.effects, [{ type: "console" }]);
  assert.match(r.state.notice?.text ?? "", /preparing the link for prod/);
  // The next key clears the notice.
  assert.equal(press(r.state, DOWN).notice, undefined);
});

Deno.test("o while typing a filter types an o", () => {
  const s = press(start(buckets(3)), "/");
  const r = update(s, { type: "key", key: { name: "o" } });
  assert.deepEqual(r.effects, []);
  assert.equal(r.state.filter, "o");
});

Deno.test("a renewed session replaces the header's expiry and keeps the rows", () => {
  const s = start(buckets(3));
  const at = new Date(NOW.getTime() + 2 * 3600_000);
  const r = apply(s, { type: "rows", updates: [{ type: "renewed", expiresAt: at }] });
  assert.equal(r.header.expiresAt?.getTime(), at.getTime());
  assert.equal(r.header.roleLabel, "prod");
  assert.equal(r.rows.length, 3);
});

Deno.test("regions arriving in batches leave every sort and filter in the same order as sorting afresh", () => {
  // A seeded generator: the same batches every run.
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const regions = ["us-east-1", "eu-west-1", "ap-south-1", "us-west-2"];
  const setups: { keys: string[]; label: string }[] = [
    { keys: [], label: "name asc" },
    { keys: ["s", "s"], label: "region asc" },
    { keys: ["s", "s", "s"], label: "region desc" },
    { keys: ["s", "s", "/", "1", "\r"], label: "region asc, name contains 1" },
    { keys: ["s", "s", "s", "s"], label: "created asc" },
  ];
  for (const setup of setups) {
    let s = press(start(buckets(300)), ...setup.keys);
    // Put the cursor somewhere in the middle, so keeping the selection is tested too.
    for (let i = 0; i < 40; i++) s = press(s, DOWN);
    for (let batch = 0; batch < 40; batch++) {
      const updates: RowUpdate[] = Array.from({ length: 1 + random(12) }, () => {
        const name = `bucket-${String(random(300)).padStart(3, "0")}`;
        return random(10) === 0
          ? { type: "error", name, code: "AccessDenied", message: "denied" }
          : { type: "region", name, region: regions[random(regions.length)]!, source: "location" };
      });
      const before = selectedRow(s)?.name;
      s = apply(s, { type: "rows", updates });
      // Six presses of s go once round the sort cycle: a full re-sort of the same rows.
      const afresh = press(s, "s", "s", "s", "s", "s", "s");
      assert.deepEqual(shownNames(s), shownNames(afresh), `${setup.label}, batch ${batch}`);
      assert.equal(selectedRow(s)?.name, selectedRow(afresh)?.name, setup.label);
      if (before && s.visible.some((i) => s.rows[i]!.name === before)) {
        assert.equal(selectedRow(s)?.name, before, `${setup.label}: the selection stays`);
      }
    }
    // The region filter too: rows enter and leave it as their regions arrive.
    let f = press(s, "r");
    assert.notEqual(f.regionFilter, null);
    for (let batch = 0; batch < 20; batch++) {
      const name = `bucket-${String(random(300)).padStart(3, "0")}`;
      f = apply(f, {
        type: "rows",
        updates: [{ type: "region", name, region: regions[random(2)]!, source: "location" }],
      });
      const afresh = press(f, "s", "s", "s", "s", "s", "s");
      assert.deepEqual(shownNames(f), shownNames(afresh), `${setup.label}, filtered ${batch}`);
      assert.ok(f.visible.every((i) => f.rows[i]!.region === f.regionFilter));
    }
  }
});
