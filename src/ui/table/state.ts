/**
 * The bucket table as a pure reducer: `update(state, event) -> {state, effects}`. No terminal, no
 * clock, no I/O: the runtime (prompt.ts) feeds it events and performs the effects.
 *
 * Row updates can arrive thousands at a time; the runtime batches them into one `rows` event per
 * frame so the derived view (filter + sort) is recomputed once per frame, not once per bucket.
 */
import type { BucketRow, RowUpdate } from "../../core/model.ts";
import type { InventoryEvent } from "../../aws/inventory.ts";
import {
  type BrowserEffect,
  type BrowserEvent,
  type BrowserState,
  type BrowserTarget,
  openBrowser,
  updateBrowser,
} from "../browser/state.ts";
import { actionFor, type Key, typedText } from "./keys.ts";
import { clampCursor } from "../list_cursor.ts";

/** A row of the table; `account` and `role` are set in the combined table of several roles. */
export type TableRow = BucketRow & { account?: string; role?: string };

/** The session was assumed again (its credentials had expired): the header's new expiry. */
export interface SessionRenewed {
  type: "renewed";
  expiresAt: Date;
}

/**
 * What a listing feeds the table: one account's updates, or the combined listing's events, and
 * a renewed session.
 */
export type TableUpdate = RowUpdate | InventoryEvent | SessionRenewed;

/** A one-line message in place of the footer until the next key (e.g. what `o` did). */
export interface Notice {
  text: string;
  tone: "info" | "ok" | "error";
}

export type SortKey = "name" | "region" | "created";
export interface SortOrder {
  key: SortKey;
  dir: "asc" | "desc";
}

/** What `s` cycles through, in order. */
export const SORT_CYCLE: readonly SortOrder[] = [
  { key: "name", dir: "asc" },
  { key: "name", dir: "desc" },
  { key: "region", dir: "asc" },
  { key: "region", dir: "desc" },
  { key: "created", dir: "asc" },
  { key: "created", dir: "desc" },
];

/** What the header shows about the session. */
export interface TableHeader {
  accountId: string;
  roleLabel: string;
  roleColor?: string;
  /** When the temporary credentials expire. */
  expiresAt?: Date;
  /** arn partition for bucket ARNs ("aws", "aws-cn", …). */
  partition?: string;
  /** The combined table of several roles (account and role columns, `a` account filter). */
  multi?: boolean;
}

export interface Size {
  width: number;
  height: number;
}

export interface TableState {
  header: TableHeader;
  /** Every bucket, in listing order. */
  rows: readonly TableRow[];
  /** Positions in `rows` that pass the filters, in display order. */
  visible: readonly number[];
  /** Position of the selected row within `visible`. */
  cursor: number;
  /** First visible row shown (scroll position). */
  offset: number;
  filter: string;
  editing: boolean;
  sortIndex: number;
  regionFilter: string | null;
  /** The account `a` filters on (combined table), null for all. */
  accountFilter: string | null;
  detail: boolean;
  /** The object browser, while a bucket is open. */
  browser?: BrowserState;
  /** Browser request numbers used so far (so answers for a closed bucket are ignored). */
  browseRequests?: number;
  size: Size;
  now: Date;
  /** ListBuckets has answered. */
  listed: boolean;
  /** Every lookup has finished (or the listing ended). */
  done: boolean;
  /** Lookups finished / total. */
  finished: number;
  /** How many different accounts the rows belong to (the combined table's header). */
  accounts: number;
  /** Last listing-level error (e.g. ListBuckets denied). */
  failure?: string;
  /** Shown instead of the footer until the next key. */
  notice?: Notice;
}

export type TableEvent =
  | TableUpdate
  | { type: "rows"; updates: readonly TableUpdate[] }
  | { type: "browser"; event: BrowserEvent }
  | { type: "key"; key: Key }
  | { type: "resize"; size: Size }
  | { type: "tick"; now: Date }
  | { type: "failed"; message: string }
  | { type: "notice"; notice: Notice };

export type Effect =
  | { type: "quit" }
  | { type: "back" }
  | { type: "interrupt" }
  /** Open the console as the role (`role`: the selected row's, in the combined table). */
  | { type: "console"; role?: string }
  /** Load a page of a bucket's folder; answer with a `browser` page/failed event. */
  | { type: "browse"; request: number; target: BrowserTarget; prefix: string; token?: string };

export interface UpdateResult {
  state: TableState;
  effects: Effect[];
}

export interface InitialOptions {
  header: TableHeader;
  size: Size;
  now: Date;
  rows?: readonly TableRow[];
}

export function initialState(options: InitialOptions): TableState {
  const rows = options.rows ?? [];
  const base: TableState = {
    header: options.header,
    rows,
    visible: [],
    cursor: 0,
    offset: 0,
    filter: "",
    editing: false,
    sortIndex: 0,
    regionFilter: null,
    accountFilter: null,
    detail: false,
    size: options.size,
    now: options.now,
    listed: options.rows !== undefined,
    done: false,
    finished: rows.filter((r) => r.state !== "pending").length,
    accounts: countAccounts(rows),
  };
  return derive(base, undefined);
}

/** Lines used by everything but the rows (header, status, column titles, footer). */
const CHROME_LINES = 4;
/** Lines of the detail pane, including its separator. */
export const DETAIL_LINES = 7;

/** How many rows fit on screen for a state (shared with view.ts). */
export function listHeight(state: Pick<TableState, "size" | "detail">): number {
  const detail = state.detail ? DETAIL_LINES : 0;
  return Math.max(1, state.size.height - CHROME_LINES - detail);
}

export function sortOrder(state: TableState): SortOrder {
  return SORT_CYCLE[state.sortIndex % SORT_CYCLE.length]!;
}

/** The selected row, if any. */
export function selectedRow(state: TableState): TableRow | undefined {
  const i = state.visible[state.cursor];
  return i === undefined ? undefined : state.rows[i];
}

/** Accounts present in the rows, sorted (what `a` cycles through). */
export function accountsPresent(rows: readonly TableRow[]): string[] {
  const set = new Set<string>();
  for (const r of rows) if (r.account) set.add(r.account);
  return [...set].sort();
}

function countAccounts(rows: readonly TableRow[]): number {
  const set = new Set<string>();
  for (const r of rows) if (r.account) set.add(r.account);
  return set.size;
}

/** Regions present in the rows, sorted (what `r` cycles through). */
export function regionsPresent(rows: readonly BucketRow[]): string[] {
  const set = new Set<string>();
  for (const r of rows) if (r.region) set.add(r.region);
  return [...set].sort();
}

/** What a row's region column sorts and filters by. */
function regionOf(row: BucketRow): string {
  if (row.state === "done" && row.region) return row.region;
  if (row.state === "error") return `~${row.error ?? "error"}`; // after real regions
  return "~~pending"; // last when ascending
}

function compare(a: TableRow, b: TableRow, order: SortOrder): number {
  // The combined table groups by role first (like `xrole buckets --all-roles`).
  const byRole = cmp(a.role ?? "", b.role ?? "");
  if (byRole !== 0) return byRole;
  let c = 0;
  if (order.key === "region") c = cmp(regionOf(a), regionOf(b));
  else if (order.key === "created") {
    c = (a.created?.getTime() ?? 0) - (b.created?.getTime() ?? 0);
  }
  if (c === 0) c = cmp(a.name, b.name);
  return order.dir === "asc" ? c : -c;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Recompute `visible` from rows, filter, region filter and sort, keeping the selection on the
 * same bucket when it is still shown, then clamp cursor and scroll.
 */
function derive(state: TableState, keepName: string | undefined): TableState {
  const needle = state.filter.toLowerCase();
  const order = sortOrder(state);
  const idx: number[] = [];
  state.rows.forEach((row, i) => {
    if (needle && !row.name.toLowerCase().includes(needle)) return;
    if (state.regionFilter !== null && row.region !== state.regionFilter) return;
    if (state.accountFilter !== null && row.account !== state.accountFilter) return;
    idx.push(i);
  });
  idx.sort((a, b) => compare(state.rows[a]!, state.rows[b]!, order));
  let cursor = state.cursor;
  if (keepName !== undefined) {
    const found = idx.findIndex((i) => rowKey(state.rows[i]!) === keepName);
    if (found >= 0) cursor = found;
  }
  return clamp({ ...state, visible: idx, cursor });
}

/** Keep the cursor inside the rows and on screen. */
function clamp(state: TableState): TableState {
  return clampCursor(state, state.visible.length, listHeight(state));
}

/** The row's identity: its bucket name (global in S3), or its role for a failed role's row. */
export function rowKey(row: TableRow): string {
  return row.name || `\u0000role ${row.role ?? ""}`;
}

function selectedKey(state: TableState): string | undefined {
  const row = selectedRow(state);
  return row ? rowKey(row) : undefined;
}

/**
 * Each rows array's index of row key → position. Rows are only ever appended or replaced at their
 * position, so an array made by replacing rows shares its predecessor's index; appending makes a
 * new one. An index is never changed once it belongs to an array.
 */
const rowIndexes = new WeakMap<readonly TableRow[], ReadonlyMap<string, number>>();

function rowIndex(rows: readonly TableRow[]): ReadonlyMap<string, number> {
  let index = rowIndexes.get(rows);
  if (!index) {
    index = new Map(rows.map((r, i) => [rowKey(r), i]));
    rowIndexes.set(rows, index);
  }
  return index;
}

/**
 * Apply a batch of updates. Cost grows with the rows the batch changes, not with the table: the
 * rows array is copied once (pointers), the key index is shared, and the visible order is kept
 * when the changed rows cannot move in it (or they are moved one by one), re-sorting everything
 * only when rows were added.
 */
function applyRows(state: TableState, updates: readonly TableUpdate[]): TableState {
  let rows: TableRow[] | undefined;
  let appended: Map<string, number> | undefined;
  const changed: number[] = [];
  const index = rowIndex(state.rows);
  let { listed, done, finished, header } = state;
  const ensure = (): TableRow[] => (rows ??= [...state.rows]);
  const positionOf = (key: string): number | undefined => appended?.get(key) ?? index.get(key);
  const append = (row: TableRow): void => {
    const w = ensure();
    appended ??= new Map();
    appended.set(rowKey(row), w.length);
    w.push(row);
  };
  for (const item of updates) {
    let u: RowUpdate;
    let tag: { account: string; role: string } | undefined;
    if (item.type === "renewed") {
      header = { ...header, expiresAt: item.expiresAt };
      continue;
    }
    if (item.type === "role-failed") {
      const row: TableRow = {
        name: "",
        state: "error",
        error: item.code,
        account: item.account,
        role: item.role,
      };
      if (positionOf(rowKey(row)) === undefined) append(row);
      listed = true;
      continue;
    } else if (item.type === "role-update") {
      u = item.update;
      tag = { account: item.account, role: item.role };
      // One role finishing is not the whole table finishing (the source sends a last "done").
      if (u.type === "done") continue;
    } else {
      u = item;
    }
    if (u.type === "listed") {
      for (const b of u.buckets) {
        if (positionOf(b.name) !== undefined) continue;
        const row: TableRow = { name: b.name, state: "pending" };
        if (b.created) row.created = b.created;
        if (tag) {
          row.account = tag.account;
          row.role = tag.role;
        }
        append(row);
      }
      listed = true;
    } else if (u.type === "region" || u.type === "error") {
      const i = positionOf(u.name);
      if (i === undefined) continue;
      const w = ensure();
      const old = w[i]!;
      if (old.state === "pending") finished++;
      const next: TableRow = { name: old.name, state: u.type === "region" ? "done" : "error" };
      if (old.created) next.created = old.created;
      if (old.account !== undefined) next.account = old.account;
      if (old.role !== undefined) next.role = old.role;
      if (u.type === "region") {
        next.region = u.region;
        next.regionSource = u.source;
      } else {
        next.error = u.code;
      }
      w[i] = next;
      if (i < state.rows.length) changed.push(i);
    } else if (u.type === "done") {
      done = true;
      listed = true;
    }
  }
  if (rows) {
    if (appended) {
      const grown = new Map(index);
      for (const [k, i] of appended) grown.set(k, i);
      rowIndexes.set(rows, grown);
    } else {
      rowIndexes.set(rows, index);
    }
  }
  const next: TableState = {
    ...state,
    header,
    rows: rows ?? state.rows,
    listed,
    done,
    finished,
    accounts: appended ? countAccounts(rows!) : state.accounts,
  };
  if (appended) return derive(next, selectedKey(state));
  return reorder(next, state, changed);
}

/**
 * The visible order after rows at `changed` got a new state (no row added): kept as it is when
 * neither the filters nor the sort look at the region, else the changed rows are taken out and
 * put back at their sorted place. Same result as `derive`, in O(rows changed × log rows) compares.
 */
function reorder(next: TableState, before: TableState, changed: readonly number[]): TableState {
  const order = sortOrder(next);
  if (changed.length === 0 || (next.regionFilter === null && order.key !== "region")) {
    return clamp(next);
  }
  if (changed.length * 8 > next.rows.length) return derive(next, selectedKey(before));
  const moved = new Set(changed);
  const selected = before.visible[before.cursor];
  const visible = [...before.visible];
  // Where `row` goes among `rows` in `visible` (the first place not before it).
  const place = (rows: readonly TableRow[], row: TableRow): number => {
    let lo = 0;
    let hi = visible.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(rows[visible[mid]!]!, row, order) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // Out at their old place (the unchanged rows stay sorted), then in at their new one.
  for (const i of moved) {
    const at = place(before.rows, before.rows[i]!);
    if (visible[at] === i) visible.splice(at, 1);
  }
  const needle = next.filter.toLowerCase();
  for (const i of moved) {
    const row = next.rows[i]!;
    if (needle && !row.name.toLowerCase().includes(needle)) continue;
    if (next.regionFilter !== null && row.region !== next.regionFilter) continue;
    if (next.accountFilter !== null && row.account !== next.accountFilter) continue;
    visible.splice(place(next.rows, row), 0, i);
  }
  let cursor = next.cursor;
  if (selected !== undefined) {
    const found = visible.indexOf(selected);
    if (found >= 0) cursor = found;
  }
  return clamp({ ...next, visible, cursor });
}

function move(state: TableState, to: number): TableState {
  return clamp({ ...state, cursor: to });
}

export function update(state: TableState, event: TableEvent): UpdateResult {
  switch (event.type) {
    case "listed":
    case "region":
    case "error":
    case "done":
      return { state: applyRows(state, [event]), effects: [] };
    case "rows":
      return { state: applyRows(state, event.updates), effects: [] };
    case "resize": {
      const resized = clamp({ ...state, size: event.size });
      if (!resized.browser) return { state: resized, effects: [] };
      return withBrowser(resized, updateBrowser(resized.browser, event));
    }
    case "browser":
      if (!state.browser) return { state, effects: [] };
      return withBrowser(state, updateBrowser(state.browser, event.event));
    case "role-update":
    case "role-failed":
    case "renewed":
      return { state: applyRows(state, [event]), effects: [] };
    case "notice":
      return { state: { ...state, notice: event.notice }, effects: [] };
    case "tick":
      return { state: { ...state, now: event.now }, effects: [] };
    case "failed":
      return { state: { ...state, failure: event.message, done: true }, effects: [] };
    case "key":
      if (state.browser) return withBrowser(state, updateBrowser(state.browser, event));
      return onKey(state, event.key);
  }
}

/** Fold the browser's result into the table: loads become `browse` effects, `close` closes it. */
function withBrowser(
  state: TableState,
  result: { state: BrowserState; effects: readonly BrowserEffect[] },
): UpdateResult {
  let next: TableState = {
    ...state,
    browser: result.state,
    browseRequests: Math.max(state.browseRequests ?? 0, result.state.request),
  };
  const effects: Effect[] = [];
  for (const e of result.effects) {
    if (e.type === "close") {
      next = { ...next };
      delete next.browser;
    } else if (e.type === "load") {
      effects.push({
        type: "browse",
        request: e.request,
        target: e.target,
        prefix: e.prefix,
        ...(e.token ? { token: e.token } : {}),
      });
    } else {
      effects.push(e);
    }
  }
  return { state: next, effects };
}

/** Open the selected bucket in the object browser (not a failed role's row). */
function openSelected(state: TableState): UpdateResult {
  const row = selectedRow(state);
  if (!row || !row.name) return { state, effects: [] };
  const target: BrowserTarget = { bucket: row.name };
  if (row.state === "done" && row.region) target.region = row.region;
  if (row.account) target.account = row.account;
  else if (state.header.accountId) target.account = state.header.accountId;
  if (row.role) target.role = row.role;
  else if (state.header.roleLabel) target.role = state.header.roleLabel;
  // Request numbers keep growing across buckets, so a late page of the last bucket is ignored.
  const request = (state.browseRequests ?? 0) + 1;
  const opened = openBrowser(target, state.size, "", request);
  return withBrowser({ ...state, detail: false }, opened);
}

function onKey(current: TableState, key: Key): UpdateResult {
  const none = (s: TableState): UpdateResult => ({ state: s, effects: [] });
  // A notice lasts until the next key.
  let state = current;
  if (state.notice) {
    state = { ...state };
    delete state.notice;
  }
  if (key.ctrl && key.name === "c") return { state, effects: [{ type: "interrupt" }] };

  if (state.editing) {
    const keep = selectedKey(state);
    if (key.name === "enter") return none({ ...state, editing: false });
    if (key.name === "escape") {
      return none(derive({ ...state, editing: false, filter: "" }, keep));
    }
    if (key.name === "backspace") {
      return none(derive({ ...state, filter: state.filter.slice(0, -1) }, keep));
    }
    if (key.ctrl && key.name === "u") return none(derive({ ...state, filter: "" }, keep));
    const text = typedText(key);
    if (text !== undefined) {
      return none(derive({ ...state, filter: state.filter + text, cursor: 0 }, undefined));
    }
    // Arrows and paging still move while typing.
  }

  const action = actionFor(key, state.header.multi === true);
  const page = listHeight(state);
  const last = state.visible.length - 1;
  // With the detail pane open, Esc and i close it instead of quitting (Enter opens the bucket).
  if (state.detail && (key.name === "escape" || action === "detail")) {
    return none(clamp({ ...state, detail: false }));
  }
  switch (action) {
    case "up":
      return none(move(state, state.cursor - 1));
    case "down":
      return none(move(state, state.cursor + 1));
    case "pageUp":
      return none(move({ ...state, offset: state.offset - page }, state.cursor - page));
    case "pageDown":
      return none(move({ ...state, offset: state.offset + page }, state.cursor + page));
    case "home":
      return none(move(state, 0));
    case "end":
      return none(move(state, last));
    case "filter":
      return none({ ...state, editing: true, detail: false });
    case "sort": {
      const keep = selectedKey(state);
      return none(derive({ ...state, sortIndex: (state.sortIndex + 1) % SORT_CYCLE.length }, keep));
    }
    case "region": {
      const regions = regionsPresent(state.rows);
      const at = state.regionFilter === null ? -1 : regions.indexOf(state.regionFilter);
      const nextRegion = at + 1 < regions.length ? regions[at + 1]! : null;
      const keep = selectedKey(state);
      return none(derive({ ...state, regionFilter: nextRegion }, keep));
    }
    case "account": {
      const accounts = accountsPresent(state.rows);
      const at = state.accountFilter === null ? -1 : accounts.indexOf(state.accountFilter);
      const nextAccount = at + 1 < accounts.length ? accounts[at + 1]! : null;
      const keep = selectedKey(state);
      return none(derive({ ...state, accountFilter: nextAccount }, keep));
    }
    case "open":
      return openSelected(state);
    case "detail":
      return none(
        selectedRow(state) ? clamp({ ...state, detail: true }) : state,
      );
    case "console": {
      // In the combined table, the console of the selected row's role.
      const role = state.header.multi ? selectedRow(state)?.role : undefined;
      if (state.header.multi && !role) {
        return none({
          ...state,
          notice: { text: "select a bucket of a role first", tone: "info" },
        });
      }
      return {
        state: {
          ...state,
          notice: {
            text: `console: preparing the link for ${role ?? state.header.roleLabel}…`,
            tone: "info",
          },
        },
        effects: [{ type: "console", ...(role ? { role } : {}) }],
      };
    }
    case "back":
      return { state, effects: [{ type: "back" }] };
    case "quit":
      return { state, effects: [{ type: "quit" }] };
    case "interrupt":
      return { state, effects: [{ type: "interrupt" }] };
    case undefined:
      return none(state);
  }
}
