import assert from "node:assert/strict";
import { InterruptedError } from "../../src/core/errors.ts";
import type { RowUpdate } from "../../src/core/model.ts";
import { type RowSource, runTable, type TableTerminal } from "../../src/ui/table/prompt.ts";
import type { TableState } from "../../src/ui/table/state.ts";

/** A terminal in memory: a screen buffer that understands the few sequences the table writes. */
function fakeTerminal(width = 80, height = 24) {
  let inputHandler: ((d: string) => void) | undefined;
  let resizeHandler: (() => void) | undefined;
  const size = { width, height };
  const screen: string[] = Array(height).fill("");
  let raw = false;
  let cursorVisible = true;
  let altScreen = false;
  let written = "";
  let row = 0;
  const term: TableTerminal = {
    write(text) {
      written += text;
      // Interpret cursor moves, erase and mode switches.
      // deno-lint-ignore no-control-regex
      const re = /\x1b\[(\?)?([0-9;]*)([A-Za-z])|([^\x1b]+)/g;
      for (const m of text.matchAll(re)) {
        if (m[4] !== undefined) {
          screen[row] = m[4];
          continue;
        }
        const [p, args, f] = [m[1], m[2] ?? "", m[3]];
        if (p === "?" && args === "25") cursorVisible = f === "h";
        else if (p === "?" && args === "1049") altScreen = f === "h";
        else if (f === "H") row = args ? Number(args.split(";")[0]) - 1 : 0;
        else if (f === "J") screen.fill("");
      }
    },
    size: () => ({ ...size }),
    onInput(h) {
      inputHandler = h;
      return () => (inputHandler = undefined);
    },
    onResize(h) {
      resizeHandler = h;
      return () => (resizeHandler = undefined);
    },
    setRaw(r) {
      raw = r;
    },
  };
  return {
    term,
    type(data: string) {
      assert.ok(inputHandler, "the table listens for keys");
      inputHandler(data);
    },
    resize(w: number, h: number) {
      size.width = w;
      size.height = h;
      screen.length = h;
      resizeHandler?.();
    },
    text: () => screen.join("\n"),
    get raw() {
      return raw;
    },
    get cursorVisible() {
      return cursorVisible;
    },
    get altScreen() {
      return altScreen;
    },
    get listening() {
      return inputHandler !== undefined;
    },
    get written() {
      return written;
    },
    clearWritten() {
      written = "";
    },
  };
}

const HEADER = { accountId: "222222222222", roleLabel: "prod" };

async function until(cond: () => boolean, what: string, timeoutMs = 2000) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A source that lists buckets and then resolves regions when told to. */
function controlledSource(names: string[]) {
  let emit: ((u: RowUpdate) => void) | undefined;
  let aborted = false;
  const source: RowSource = (signal, e) => {
    emit = e;
    e({ type: "listed", buckets: names.map((name) => ({ name })) });
    return new Promise((resolve) => {
      signal.addEventListener("abort", () => {
        aborted = true;
        resolve();
      });
    });
  };
  return {
    source,
    emit: (u: RowUpdate) => emit!(u),
    get aborted() {
      return aborted;
    },
  };
}

Deno.test("the table takes over the screen and gives it back on quit", async () => {
  const t = fakeTerminal();
  const src = controlledSource(["alpha", "beta"]);
  const done = runTable({ terminal: t.term, header: HEADER, source: src.source, color: false });
  await until(() => t.text().includes("alpha"), "rows on screen");
  assert.equal(t.raw, true);
  assert.equal(t.cursorVisible, false);
  assert.equal(t.altScreen, true);
  t.type("q");
  assert.equal(await done, "quit");
  assert.equal(t.raw, false, "raw mode is off again");
  assert.equal(t.cursorVisible, true, "the cursor is visible again");
  assert.equal(t.altScreen, false);
  assert.equal(t.listening, false, "keys are no longer read");
  assert.equal(src.aborted, true, "pending lookups are aborted");
});

Deno.test("b leaves the table asking for the role list", async () => {
  const t = fakeTerminal();
  const src = controlledSource(["alpha"]);
  const done = runTable({ terminal: t.term, header: HEADER, source: src.source, color: false });
  await until(() => t.text().includes("alpha"), "rows on screen");
  t.type("b");
  assert.equal(await done, "back");
  assert.equal(src.aborted, true);
});

Deno.test("Ctrl-C rejects with InterruptedError and still restores the terminal", async () => {
  const t = fakeTerminal();
  const src = controlledSource(["alpha"]);
  const done = runTable({ terminal: t.term, header: HEADER, source: src.source, color: false });
  await until(() => t.text().includes("alpha"), "rows on screen");
  t.type("\x03");
  await assert.rejects(done, InterruptedError);
  assert.equal(t.raw, false);
  assert.equal(t.cursorVisible, true);
  assert.equal(src.aborted, true);
});

Deno.test("regions fill in on screen as lookups finish, while no key is pressed", async () => {
  const t = fakeTerminal();
  const src = controlledSource(["alpha", "beta"]);
  const done = runTable({ terminal: t.term, header: HEADER, source: src.source, color: false });
  await until(() => t.text().includes("regions 0/2"), "progress 0/2");
  assert.match(t.text(), /alpha\s+…/);
  src.emit({ type: "region", name: "alpha", region: "eu-west-1", source: "location" });
  await until(() => /alpha\s+eu-west-1/.test(t.text()), "alpha's region");
  src.emit({ type: "error", name: "beta", code: "AccessDenied", message: "no" });
  await until(() => /beta\s+AccessDenied/.test(t.text()), "beta's error");
  assert.match(t.text(), /regions 2\/2/);
  t.type("q");
  await done;
});

Deno.test("a burst of updates is drawn in a few frames, not one frame per bucket", async () => {
  const t = fakeTerminal();
  const names = Array.from({ length: 2000 }, (_, i) => `b-${i}`);
  const src = controlledSource(names);
  let frames = 0;
  let last: TableState | undefined;
  const done = runTable({
    terminal: t.term,
    header: HEADER,
    source: src.source,
    color: false,
    onFrame: (s) => {
      frames++;
      last = s;
    },
  });
  await until(() => frames > 0, "first frame");
  const before = frames;
  for (const name of names) {
    src.emit({ type: "region", name, region: "us-east-1", source: "location" });
  }
  await until(() => last?.finished === 2000, "all updates drawn");
  assert.ok(frames - before <= 3, `${frames - before} frames for 2000 updates`);
  t.type("q");
  await done;
});

Deno.test("only lines that changed are rewritten", async () => {
  const t = fakeTerminal();
  const src = controlledSource(["alpha", "beta", "gamma"]);
  const done = runTable({ terminal: t.term, header: HEADER, source: src.source, color: false });
  await until(() => t.text().includes("gamma"), "rows on screen");
  t.clearWritten();
  src.emit({ type: "region", name: "beta", region: "eu-west-1", source: "location" });
  await until(() => t.written.includes("eu-west-1"), "the update drawn");
  assert.ok(!t.written.includes("alpha"), "alpha's line was not rewritten");
  assert.ok(!t.written.includes("gamma"), "gamma's line was not rewritten");
  t.type("q");
  await done;
});

Deno.test("keys typed into the terminal drive the table", async () => {
  const t = fakeTerminal();
  const src = controlledSource(["alpha", "beta", "gamma"]);
  const done = runTable({ terminal: t.term, header: HEADER, source: src.source, color: false });
  await until(() => t.text().includes("gamma"), "rows on screen");
  t.type("/ga");
  await until(() => !t.text().includes("alpha"), "filter applied");
  assert.match(t.text(), /› gamma/);
  t.type("\ri");
  await until(() => t.text().includes("arn:aws:s3:::gamma"), "detail pane");
  t.type("q");
  await done;
});

Deno.test("a resize redraws the table at the new size", async () => {
  const t = fakeTerminal(100, 30);
  const src = controlledSource(["alpha"]);
  let lastLines: readonly string[] = [];
  const done = runTable({
    terminal: t.term,
    header: HEADER,
    source: src.source,
    color: false,
    onFrame: (_s, lines) => (lastLines = lines),
  });
  await until(() => lastLines.length === 30, "first frame at 30 lines");
  t.resize(60, 12);
  await until(() => lastLines.length === 12, "frame at 12 lines");
  assert.ok(lastLines.every((l) => l.length <= 60));
  assert.match(t.text(), /alpha/);
  t.type("q");
  await done;
});

Deno.test("a listing failure is shown in the table instead of ending xrole", async () => {
  const t = fakeTerminal();
  const done = runTable({
    terminal: t.term,
    header: HEADER,
    color: false,
    source: () => Promise.reject(new Error("ListBuckets failed: AccessDenied: no")),
  });
  await until(() => t.text().includes("ListBuckets failed: AccessDenied"), "failure shown");
  t.type("q");
  assert.equal(await done, "quit");
});

Deno.test("the clock ticks the time left down", async () => {
  const t = fakeTerminal();
  let clock = new Date("2024-01-01T00:00:00Z").getTime();
  const done = runTable({
    terminal: t.term,
    header: { ...HEADER, expiresAt: new Date(clock + 10 * 60_000) },
    color: false,
    now: () => new Date(clock),
    tickMs: 5,
    source: () => new Promise(() => {}),
  });
  await until(() => t.text().includes("10m left"), "10m left");
  clock += 5 * 60_000;
  await until(() => t.text().includes("5m left"), "5m left");
  t.type("q");
  await done;
});

Deno.test("o shows what the console callback answers in the footer, and its failure as the reason", async () => {
  const t = fakeTerminal(100, 24);
  const src = controlledSource(["alpha"]);
  const roles: (string | undefined)[] = [];
  let fail = false;
  const done = runTable({
    terminal: t.term,
    header: HEADER,
    source: src.source,
    color: false,
    console: (role) => {
      roles.push(role);
      return fail
        ? Promise.reject(Object.assign(new Error("GetSigninToken failed: AccessDenied: no"), {
          code: "AccessDenied",
        }))
        : Promise.resolve("opened the console as prod in your browser");
    },
  });
  await until(() => t.text().includes("alpha"), "rows on screen");
  assert.match(t.text(), /o console/);
  t.type("o");
  await until(() => t.text().includes("✓ opened the console as prod"), "the answer");
  fail = true;
  t.type("o");
  await until(() => t.text().includes("✗ console link failed: AccessDenied: no"), "the failure");
  assert.deepEqual(roles, [undefined, undefined]);
  t.type("q");
  assert.equal(await done, "quit");
});

Deno.test("without a console callback o says the link is not available", async () => {
  const t = fakeTerminal(100, 24);
  const src = controlledSource(["alpha"]);
  const done = runTable({ terminal: t.term, header: HEADER, source: src.source, color: false });
  await until(() => t.text().includes("alpha"), "rows on screen");
  t.type("o");
  await until(() => t.text().includes("console link is not available here"), "the notice");
  t.type("q");
  await done;
});
