/**
 * The object browser as a pure reducer: one folder of one bucket at a time, folders first, then
 * objects, loaded a page at a time as the cursor nears the end. No terminal, no AWS: loading is an
 * effect (`load`) the runtime performs, answering with a `page` or `failed` event that carries the
 * request number (answers to requests that are no longer current are ignored).
 */
import type { Key } from "../table/keys.ts";
import { typedText } from "../table/keys.ts";
import { clampCursor } from "../list_cursor.ts";
import { parentPrefix, relativeName } from "./format.ts";

export interface BrowserSize {
  width: number;
  height: number;
}

/** The bucket being browsed, and whose credentials open it (the combined table's role). */
export interface BrowserTarget {
  bucket: string;
  /** The bucket's region when known (the listing uses a client for that region). */
  region?: string;
  account?: string;
  role?: string;
}

/** A row of the browser: a folder (common prefix) or an object. */
export interface BrowserEntry {
  kind: "folder" | "object";
  /** The full key or prefix. */
  key: string;
  size?: number;
  lastModified?: Date;
  storageClass?: string;
}

/** One page as the runtime hands it over (the shape of aws/objects.ts' ObjectPage). */
export interface BrowserPage {
  prefixes: readonly string[];
  objects: readonly { key: string; size: number; lastModified?: Date; storageClass?: string }[];
  nextToken?: string;
}

export interface BrowserState {
  target: BrowserTarget;
  /** The folder shown: "" at the top, else ending in "/". */
  prefix: string;
  folders: readonly BrowserEntry[];
  objects: readonly BrowserEntry[];
  /** Folders then objects that pass the filter. */
  shown: readonly BrowserEntry[];
  cursor: number;
  offset: number;
  filter: string;
  editing: boolean;
  /** The number of the latest load request; answers to others are stale. */
  request: number;
  loading: boolean;
  /** Every page of this folder has arrived. */
  complete: boolean;
  nextToken?: string;
  /** Pages received for this folder. */
  pages: number;
  /** Why the folder cannot be listed (shown in place of the rows). */
  error?: { code: string; message: string };
  /** Key to put the cursor on when it arrives (the folder we came up from). */
  want?: string;
  size: BrowserSize;
}

export type BrowserEvent =
  | { type: "key"; key: Key }
  | { type: "page"; request: number; page: BrowserPage }
  | { type: "failed"; request: number; code: string; message: string }
  | { type: "resize"; size: BrowserSize };

export type BrowserEffect =
  | { type: "load"; request: number; target: BrowserTarget; prefix: string; token?: string }
  | { type: "close" }
  | { type: "quit" }
  | { type: "interrupt" };

export interface BrowserResult {
  state: BrowserState;
  effects: BrowserEffect[];
}

/** Lines used by everything but the rows (header, status, column titles, footer). */
export const BROWSER_CHROME_LINES = 4;

/** The keys, for the footer and the help (same decoding as the bucket table). */
export const BROWSER_KEYS: readonly [label: string, description: string][] = [
  ["↑↓", "move"],
  ["⏎/→", "open folder"],
  ["⌫/←", "up"],
  ["/", "filter"],
  ["b/Esc", "buckets"],
  ["q", "quit"],
];

/** How many rows fit on screen. */
export function browserListHeight(state: Pick<BrowserState, "size">): number {
  return Math.max(1, state.size.height - BROWSER_CHROME_LINES);
}

/** The entry under the cursor. */
export function selectedEntry(state: BrowserState): BrowserEntry | undefined {
  return state.shown[state.cursor];
}

/** Start browsing `target` at `prefix` (default the top): the state and its first load. */
export function openBrowser(
  target: BrowserTarget,
  size: BrowserSize,
  prefix = "",
  request = 1,
): BrowserResult {
  const state: BrowserState = { target, ...folderStart(prefix, request), size };
  return { state, effects: [loadEffect(state)] };
}

/** A folder about to be listed by request `request`: nothing loaded, no filter, at the top. */
function folderStart(prefix: string, request: number) {
  return {
    prefix,
    folders: [],
    objects: [],
    shown: [],
    cursor: 0,
    offset: 0,
    filter: "",
    editing: false,
    request,
    loading: true,
    complete: false,
    pages: 0,
  } satisfies Partial<BrowserState>;
}

function loadEffect(state: BrowserState): BrowserEffect {
  return {
    type: "load",
    request: state.request,
    target: state.target,
    prefix: state.prefix,
    ...(state.nextToken ? { token: state.nextToken } : {}),
  };
}

/** Folders then objects whose name below the prefix contains the filter (case-insensitive). */
function derive(state: BrowserState, keepKey: string | undefined): BrowserState {
  const needle = state.filter.toLowerCase();
  const pass = (e: BrowserEntry) =>
    !needle || relativeName(e.key, state.prefix).toLowerCase().includes(needle);
  const shown = [...state.folders.filter(pass), ...state.objects.filter(pass)];
  let cursor = state.cursor;
  let want = state.want;
  const target = want ?? keepKey;
  if (target !== undefined) {
    const found = shown.findIndex((e) => e.key === target);
    if (found >= 0) {
      cursor = found;
      if (want === target) want = undefined;
    }
  }
  const next: BrowserState = { ...state, shown, cursor };
  if (want === undefined) delete next.want;
  else next.want = want;
  return clamp(next);
}

function clamp(state: BrowserState): BrowserState {
  return clampCursor(state, state.shown.length, browserListHeight(state));
}

/**
 * Ask for the next page when the cursor is within a screen of the end of what is shown (so the
 * list keeps filling as you scroll, and a filter with few matches keeps loading until the end).
 */
function more(state: BrowserState): BrowserResult {
  if (state.loading || state.complete || state.error) return { state, effects: [] };
  const near = state.shown.length - state.cursor <= browserListHeight(state);
  if (!near) return { state, effects: [] };
  const next = { ...state, loading: true, request: state.request + 1 };
  return { state: next, effects: [loadEffect(next)] };
}

/** Show another folder of the same bucket (going in, or up). */
function goTo(state: BrowserState, prefix: string, want?: string): BrowserResult {
  const next: BrowserState = { ...state, ...folderStart(prefix, state.request + 1) };
  delete next.nextToken;
  delete next.error;
  delete next.want;
  if (want !== undefined) next.want = want;
  return { state: next, effects: [loadEffect(next)] };
}

export function updateBrowser(state: BrowserState, event: BrowserEvent): BrowserResult {
  switch (event.type) {
    case "resize":
      return more(clamp({ ...state, size: event.size }));
    case "page": {
      if (event.request !== state.request) return { state, effects: [] };
      const keep = selectedEntry(state)?.key;
      const folders = [
        ...state.folders,
        ...event.page.prefixes.map((key): BrowserEntry => ({ kind: "folder", key })),
      ];
      const objects = [
        ...state.objects,
        ...event.page.objects
          // S3 lists a folder's own placeholder object ("releases/") under its prefix: skip it.
          .filter((o) => o.key !== state.prefix)
          .map((o): BrowserEntry => {
            const e: BrowserEntry = { kind: "object", key: o.key, size: o.size };
            if (o.lastModified) e.lastModified = o.lastModified;
            if (o.storageClass) e.storageClass = o.storageClass;
            return e;
          }),
      ];
      const next: BrowserState = {
        ...state,
        folders,
        objects,
        loading: false,
        complete: !event.page.nextToken,
        pages: state.pages + 1,
      };
      if (event.page.nextToken) next.nextToken = event.page.nextToken;
      else delete next.nextToken;
      return more(derive(next, keep));
    }
    case "failed":
      if (event.request !== state.request) return { state, effects: [] };
      return {
        state: { ...state, loading: false, error: { code: event.code, message: event.message } },
        effects: [],
      };
    case "key":
      return onKey(state, event.key);
  }
}

function onKey(state: BrowserState, key: Key): BrowserResult {
  const none = (s: BrowserState): BrowserResult => ({ state: s, effects: [] });
  if (key.ctrl && key.name === "c") return { state, effects: [{ type: "interrupt" }] };

  if (state.editing) {
    const keep = selectedEntry(state)?.key;
    if (key.name === "enter") return none({ ...state, editing: false });
    if (key.name === "escape") return more(derive({ ...state, editing: false, filter: "" }, keep));
    if (key.name === "backspace") {
      return more(derive({ ...state, filter: state.filter.slice(0, -1) }, keep));
    }
    if (key.ctrl && key.name === "u") return more(derive({ ...state, filter: "" }, keep));
    const text = typedText(key);
    if (text !== undefined) {
      return more(derive({ ...state, filter: state.filter + text, cursor: 0 }, undefined));
    }
  }

  const page = browserListHeight(state);
  const move = (s: BrowserState, to: number) => more(clamp({ ...s, cursor: to }));
  const up = (): BrowserResult => {
    const parent = parentPrefix(state.prefix);
    if (parent === undefined) return { state, effects: [{ type: "close" }] };
    return goTo(state, parent, state.prefix);
  };
  switch (key.name) {
    case "up":
    case "k":
      return move(state, state.cursor - 1);
    case "down":
    case "j":
      return move(state, state.cursor + 1);
    case "pageup":
      return move({ ...state, offset: state.offset - page }, state.cursor - page);
    case "pagedown":
    case "space":
      return move({ ...state, offset: state.offset + page }, state.cursor + page);
    case "home":
    case "g":
      return move(state, 0);
    case "end":
    case "G":
      return move(state, state.shown.length - 1);
    case "enter":
    case "right":
    case "l": {
      const entry = selectedEntry(state);
      if (entry?.kind !== "folder") return none(state);
      return goTo(state, entry.key);
    }
    case "backspace":
    case "left":
    case "h":
    case "escape":
    case "b":
      return up();
    case "/":
      return none({ ...state, editing: true });
    case "q":
      return { state, effects: [{ type: "quit" }] };
    default:
      return none(state);
  }
}
