/**
 * The bucket table's combined mode ("All saved roles": account and role columns, `a` filter) and
 * its object browser (Enter on a bucket), through the pure reducer, the view and the runtime.
 */
import assert from "node:assert/strict";
import type { InventoryEvent } from "../../src/aws/inventory.ts";
import { decodeKeys } from "../../src/ui/table/keys.ts";
import {
  type Effect,
  initialState,
  selectedRow,
  type TableEvent,
  type TableState,
  update,
} from "../../src/ui/table/state.ts";
import { view } from "../../src/ui/table/view.ts";
import { runTable, type TableTerminal } from "../../src/ui/table/prompt.ts";

const NOW = new Date("2024-05-01T12:00:00Z");
const MULTI = { accountId: "", roleLabel: "All saved roles", multi: true };
const SINGLE = { accountId: "222222222222", roleLabel: "dev" };

function tagged(role: string, account: string, names: string[]): InventoryEvent[] {
  return [
    {
      type: "role-update",
      role,
      account,
      update: { type: "listed", buckets: names.map((name) => ({ name })) },
    },
    ...names.map((name): InventoryEvent => ({
      type: "role-update",
      role,
      account,
      update: { type: "region", name, region: "eu-west-1", source: "location" },
    })),
    { type: "role-update", role, account, update: { type: "done" } },
  ];
}

function combined(size = { width: 100, height: 20 }): TableState {
  let s = initialState({ header: MULTI, size, now: NOW });
  s = update(s, {
    type: "rows",
    updates: [
      ...tagged("prod", "444444444444", ["p-logs", "p-data"]),
      ...tagged("dev", "222222222222", ["d-assets"]),
      {
        type: "role-failed",
        role: "audit",
        account: "555555555555",
        code: "AccessDenied",
        message: "AssumeRole failed",
      },
    ],
  }).state;
  return s;
}

function press(state: TableState, raw: string): { state: TableState; effects: Effect[] } {
  let effects: Effect[] = [];
  for (const key of decodeKeys(raw)) {
    const r = update(state, { type: "key", key });
    state = r.state;
    effects = [...effects, ...r.effects];
  }
  return { state, effects };
}

function shown(s: TableState): string[] {
  return s.visible.map((i) => `${s.rows[i]!.role}/${s.rows[i]!.name}`);
}

Deno.test("the combined table groups rows by role with their account, a failed role as one row", () => {
  const s = combined();
  assert.deepEqual(shown(s), ["audit/", "dev/d-assets", "prod/p-data", "prod/p-logs"]);
  assert.equal(s.done, false, "one role's done is not the table's");
  const failed = s.rows.find((r) => r.role === "audit")!;
  assert.equal(failed.state, "error");
  assert.equal(failed.error, "AccessDenied");
  assert.equal(failed.account, "555555555555");
  assert.equal(update(s, { type: "done" }).state.done, true);
});

Deno.test("a cycles the account filter through the accounts present, then back to all", () => {
  let s = combined();
  s = press(s, "a").state;
  assert.equal(s.accountFilter, "222222222222");
  assert.deepEqual(shown(s), ["dev/d-assets"]);
  s = press(s, "a").state;
  assert.equal(s.accountFilter, "444444444444");
  assert.deepEqual(shown(s), ["prod/p-data", "prod/p-logs"]);
  s = press(s, "aa").state;
  assert.equal(s.accountFilter, null);
  assert.equal(s.visible.length, 4);
});

Deno.test("a does nothing in a one-account table", () => {
  let s = initialState({ header: SINGLE, size: { width: 100, height: 20 }, now: NOW });
  s = update(s, { type: "listed", buckets: [{ name: "x" }] }).state;
  assert.equal(press(s, "a").state.accountFilter, null);
});

Deno.test("the combined view shows account and role columns, the account filter and the a key", () => {
  const s = press(combined(), "a").state;
  const lines = view(s, { width: 100, height: 20, color: false });
  assert.match(lines[0]!, /All saved roles\s+3 accounts\s+4 buckets/);
  assert.match(lines[1]!, /account: 222222222222/);
  assert.match(lines[2]!, /^\s+ACCOUNT\s+ROLE\s+NAME\s+REGION/);
  assert.match(lines[3]!, /› 222222222222 dev\s+d-assets\s+eu-west-1/);
  assert.match(lines.at(-1)!, /a account/);
  const all = view(combined(), { width: 100, height: 20, color: false }).join("\n");
  assert.match(all, /555555555555 audit\s+\(role not listed\)\s+AccessDenied/);
});

Deno.test("a one-account view has no account column and no a key in the footer", () => {
  let s = initialState({ header: SINGLE, size: { width: 100, height: 20 }, now: NOW });
  s = update(s, { type: "listed", buckets: [{ name: "x" }] }).state;
  const lines = view(s, { width: 100, height: 20, color: false });
  assert.doesNotMatch(lines[2]!, /ACCOUNT/);
  assert.doesNotMatch(lines.at(-1)!, /a account/);
  assert.match(lines.at(-1)!, /⏎ open\s+i details/);
});

Deno.test("Enter opens the selected bucket in the browser with its region, account and role", () => {
  const s = combined();
  const down = press(s, "\x1b[B").state; // dev/d-assets
  const { state, effects } = press(down, "\r");
  assert.ok(state.browser);
  assert.deepEqual(effects, [{
    type: "browse",
    request: 1,
    target: { bucket: "d-assets", region: "eu-west-1", account: "222222222222", role: "dev" },
    prefix: "",
  }]);
  const lines = view(state, { width: 100, height: 20, color: false });
  assert.match(lines[0]!, /s3:\/\/d-assets\//);
});

Deno.test("Enter on a failed role's row opens nothing", () => {
  const { state, effects } = press(combined(), "\r"); // audit/ is first
  assert.equal(state.browser, undefined);
  assert.deepEqual(effects, []);
});

Deno.test("pages reach the browser; Esc at the top returns to the table on the same bucket", () => {
  let { state } = press(press(combined(), "\x1b[B").state, "\r");
  const page: TableEvent = {
    type: "browser",
    event: {
      type: "page",
      request: 1,
      page: { prefixes: ["logs/"], objects: [{ key: "a.txt", size: 2048 }] },
    },
  };
  state = update(state, page).state;
  assert.deepEqual(state.browser!.shown.map((e) => e.key), ["logs/", "a.txt"]);
  const into = press(state, "\r");
  assert.equal(into.state.browser!.prefix, "logs/");
  assert.equal(into.effects[0]?.type, "browse");
  const back = press(into.state, "\x7f");
  assert.equal(back.state.browser!.prefix, "");
  const closed = press(back.state, "\x1b");
  assert.equal(closed.state.browser, undefined);
  assert.deepEqual(closed.effects, []);
  assert.equal(selectedRow(closed.state)?.name, "d-assets");
  // q in the browser quits xrole.
  assert.deepEqual(press(state, "q").effects, [{ type: "quit" }]);
});

Deno.test("a page for a bucket that was closed and reopened is ignored", () => {
  const s = press(press(combined(), "\x1b[B").state, "\r").state;
  const reopened = press(press(s, "\x1b").state, "\r");
  const effect = reopened.effects[0];
  assert.ok(effect?.type === "browse");
  assert.ok(effect.request > 1, "a new request number");
  const stale = update(reopened.state, {
    type: "browser",
    event: { type: "page", request: 1, page: { prefixes: ["old/"], objects: [] } },
  }).state;
  assert.deepEqual(stale.browser!.shown, []);
});

function fakeTerminal(width = 100, height = 20) {
  let input: (data: string) => void = () => {};
  let written = "";
  const term: TableTerminal = {
    write(text) {
      written += text;
    },
    size: () => ({ width, height }),
    onInput(handler) {
      input = handler;
      return () => {};
    },
    onResize: () => () => {},
    setRaw() {},
  };
  return { term, type: (s: string) => input(s), written: () => written };
}

async function until(check: () => boolean, what: string) {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > 3000) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

Deno.test("the runtime loads the browser's pages through the injected source and shows refusals", async () => {
  const t = fakeTerminal();
  const asked: string[] = [];
  let last: TableState | undefined;
  const done = runTable({
    terminal: t.term,
    header: SINGLE,
    color: false,
    source: (_signal, emit) => {
      emit({ type: "listed", buckets: [{ name: "open-me" }, { name: "secret" }] });
      emit({ type: "done" });
      return Promise.resolve();
    },
    browse: (target, request) => {
      asked.push(`${target.bucket}:${request.prefix}`);
      if (target.bucket === "secret") {
        return Promise.reject(
          Object.assign(new Error("ListObjectsV2 failed: AccessDenied: Access Denied"), {
            code: "AccessDenied",
          }),
        );
      }
      return Promise.resolve(
        request.prefix === ""
          ? { prefixes: ["docs/"], objects: [] }
          : { prefixes: [], objects: [{ key: "docs/a.md", size: 5 }] },
      );
    },
    explain: (code) => code === "AccessDenied" ? "the role may not list this bucket" : undefined,
    onFrame: (s) => {
      last = s;
    },
  });
  await until(() => last?.rows.length === 2, "rows");
  t.type("\r");
  await until(() => last?.browser?.shown.length === 1, "top level");
  t.type("\r");
  await until(() => last?.browser?.shown[0]?.key === "docs/a.md", "inside docs/");
  t.type("\x7f");
  await until(() => last?.browser?.prefix === "" && last.browser.shown.length === 1, "back up");
  t.type("\x1b");
  await until(() => last?.browser === undefined, "closed");
  t.type("j\r");
  await until(() => last?.browser?.error?.code === "AccessDenied", "refusal");
  await until(() => t.written().includes("the role may not list this bucket"), "explained");
  assert.equal(last?.browser?.error?.message, "Access Denied");
  t.type("q");
  assert.equal(await done, "quit");
  assert.deepEqual(asked, ["open-me:", "open-me:docs/", "open-me:", "secret:"]);
});

Deno.test("o in the combined table asks for the console of the selected row's role", () => {
  const s = combined();
  const first = press(s, "o");
  const role = s.rows[s.visible[0]!]!.role;
  assert.deepEqual(first.effects, [{ type: "console", role }]);
  assert.match(first.state.notice?.text ?? "", new RegExp(`preparing the link for ${role}`));
  const down = press(s, "j");
  const other = press(down.state, "o");
  const next = down.state.rows[down.state.visible[1]!]!.role;
  assert.deepEqual(other.effects, [{ type: "console", role: next }]);
});
