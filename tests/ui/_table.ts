/**
 * Driving the bucket table's reducer in tests (table_state_test, table_view_test): a listed table
 * at a fixed clock, events and keystrokes applied in turn.
 */
import type { ListedBucket } from "../../src/core/model.ts";
import { decodeKeys } from "../../src/ui/table/keys.ts";
import {
  initialState,
  type TableEvent,
  type TableHeader,
  type TableState,
  update,
} from "../../src/ui/table/state.ts";

/** The tables' clock. */
export const NOW = new Date("2024-05-01T12:00:00Z");

/** A table with `header` whose buckets have just been listed (every region pending). */
export function startTable(
  header: TableHeader,
  list: ListedBucket[],
  size = { width: 80, height: 24 },
): TableState {
  return apply(initialState({ header, size, now: NOW }), { type: "listed", buckets: list });
}

/** The state after `events`, in order. */
export function apply(state: TableState, ...events: TableEvent[]): TableState {
  for (const e of events) state = update(state, e).state;
  return state;
}

/** The state after typing `keys` (raw terminal input, escape sequences included). */
export function press(state: TableState, ...keys: string[]): TableState {
  for (const k of keys) {
    for (const key of decodeKeys(k)) state = update(state, { type: "key", key }).state;
  }
  return state;
}
