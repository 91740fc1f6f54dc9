/**
 * Cursor and scrolling of a full-screen list (the bucket table, the object browser), as pure state.
 */

/**
 * The cursor kept inside the list's `count` rows and the scroll offset moved just enough to keep it
 * on a screen of `height` rows (never past the end). The same state object when nothing moved.
 */
export function clampCursor<S extends { cursor: number; offset: number }>(
  state: S,
  count: number,
  height: number,
): S {
  const cursor = count === 0 ? 0 : Math.min(Math.max(0, state.cursor), count - 1);
  let offset = state.offset;
  if (cursor < offset) offset = cursor;
  if (cursor >= offset + height) offset = cursor - height + 1;
  offset = Math.max(0, Math.min(offset, Math.max(0, count - height)));
  if (cursor === state.cursor && offset === state.offset) return state;
  return { ...state, cursor, offset };
}
