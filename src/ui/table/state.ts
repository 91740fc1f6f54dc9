/**
 * The bucket table as a pure reducer: `update(state, event) -> {state, effects}`. No terminal, no
 * clock, no I/O: the runtime (prompt.ts) feeds it events and performs the effects.
 *
 * Row updates can arrive thousands at a time; the runtime batches them into one `rows` event per
 * frame so the derived view (filter + sort) is recomputed once per frame, not once per bucket.
 */
import type { BucketRow, RowUpdate } from "../../core/model.ts";
import { actionFor, type Key, typedText } from "./keys.ts";

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
}

export interface Size {
  width: number;
  height: number;
}

export interface TableState {
  header: TableHeader;
  /** Every bucket, in listing order. */
  rows: readonly BucketRow[];
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
  detail: boolean;
  size: Size;
  now: Date;
  /** ListBuckets has answered. */
  listed: boolean;
  /** Every lookup has finished (or the listing ended). */
  done: boolean;
  /** Lookups finished / total. */
  finished: number;
  /** Last listing-level error (e.g. ListBuckets denied). */
  failure?: string;
}

export type TableEvent =
  | RowUpdate
  | { type: "rows"; updates: readonly RowUpdate[] }
  | { type: "key"; key: Key }
  | { type: "resize"; size: Size }
  | { type: "tick"; now: Date }
  | { type: "failed"; message: string };

export type Effect = { type: "quit" } | { type: "back" } | { type: "interrupt" };

export interface UpdateResult {
  state: TableState;
  effects: Effect[];
}

export interface InitialOptions {
  header: TableHeader;
  size: Size;
  now: Date;
  rows?: readonly BucketRow[];
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
    detail: false,
    size: options.size,
    now: options.now,
    listed: options.rows !== undefined,
    done: false,
    finished: rows.filter((r) => r.state !== "pending").length,
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
export function selectedRow(state: TableState): BucketRow | undefined {
  const i = state.visible[state.cursor];
  return i === undefined ? undefined : state.rows[i];
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

function compare(a: BucketRow, b: BucketRow, order: SortOrder): number {
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
    idx.push(i);
  });
  idx.sort((a, b) => compare(state.rows[a]!, state.rows[b]!, order));
  let cursor = state.cursor;
  if (keepName !== undefined) {
    const found = idx.findIndex((i) => state.rows[i]!.name === keepName);
    if (found >= 0) cursor = found;
  }
  return clamp({ ...state, visible: idx, cursor });
}

/** Keep the cursor inside the rows and on screen. */
function clamp(state: TableState): TableState {
  const n = state.visible.length;
  const cursor = n === 0 ? 0 : Math.min(Math.max(0, state.cursor), n - 1);
  const h = listHeight(state);
  let offset = state.offset;
  if (cursor < offset) offset = cursor;
  if (cursor >= offset + h) offset = cursor - h + 1;
  offset = Math.max(0, Math.min(offset, Math.max(0, n - h)));
  if (cursor === state.cursor && offset === state.offset) return state;
  return { ...state, cursor, offset };
}

function applyRows(state: TableState, updates: readonly RowUpdate[]): TableState {
  let rows: BucketRow[] | undefined;
  let byName: Map<string, number> | undefined;
  let { listed, done, finished } = state;
  const ensure = () => {
    if (!rows) {
      rows = [...state.rows];
      byName = new Map(rows.map((r, i) => [r.name, i]));
    }
    return { rows, byName: byName! };
  };
  for (const u of updates) {
    if (u.type === "listed") {
      const w = ensure();
      for (const b of u.buckets) {
        if (w.byName.has(b.name)) continue;
        const row: BucketRow = { name: b.name, state: "pending" };
        if (b.created) row.created = b.created;
        w.byName.set(b.name, w.rows.length);
        w.rows.push(row);
      }
      listed = true;
    } else if (u.type === "region" || u.type === "error") {
      const w = ensure();
      const i = w.byName.get(u.name);
      if (i === undefined) continue;
      const old = w.rows[i]!;
      if (old.state === "pending") finished++;
      const next: BucketRow = { name: old.name, state: u.type === "region" ? "done" : "error" };
      if (old.created) next.created = old.created;
      if (u.type === "region") {
        next.region = u.region;
        next.regionSource = u.source;
      } else {
        next.error = u.code;
      }
      w.rows[i] = next;
    } else if (u.type === "done") {
      done = true;
      listed = true;
    }
  }
  const next: TableState = { ...state, rows: rows ?? state.rows, listed, done, finished };
  return derive(next, selectedRow(state)?.name);
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
    case "resize":
      return { state: clamp({ ...state, size: event.size }), effects: [] };
    case "tick":
      return { state: { ...state, now: event.now }, effects: [] };
    case "failed":
      return { state: { ...state, failure: event.message, done: true }, effects: [] };
    case "key":
      return onKey(state, event.key);
  }
}

function onKey(state: TableState, key: Key): UpdateResult {
  const none = (s: TableState): UpdateResult => ({ state: s, effects: [] });
  if (key.ctrl && key.name === "c") return { state, effects: [{ type: "interrupt" }] };

  if (state.editing) {
    const keep = selectedRow(state)?.name;
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

  const action = actionFor(key);
  const page = listHeight(state);
  const last = state.visible.length - 1;
  // With the detail pane open, Enter and Esc close it instead of quitting.
  if (state.detail && (key.name === "escape" || key.name === "enter")) {
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
      const keep = selectedRow(state)?.name;
      return none(derive({ ...state, sortIndex: (state.sortIndex + 1) % SORT_CYCLE.length }, keep));
    }
    case "region": {
      const regions = regionsPresent(state.rows);
      const at = state.regionFilter === null ? -1 : regions.indexOf(state.regionFilter);
      const nextRegion = at + 1 < regions.length ? regions[at + 1]! : null;
      const keep = selectedRow(state)?.name;
      return none(derive({ ...state, regionFilter: nextRegion }, keep));
    }
    case "detail":
      return none(
        selectedRow(state) ? clamp({ ...state, detail: true }) : state,
      );
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
