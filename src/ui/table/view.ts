/**
 * Renders the table state to exactly `height` lines, each at most `width` columns wide. Only the
 * rows on screen are formatted, so the cost does not depend on how many buckets are off screen.
 */
import { displayWidth, padEnd, truncate } from "../../core/text_width.ts";
import type { BucketRow } from "../../core/model.ts";
import { makeTheme, type Theme } from "../theme.ts";
import { browserView } from "../browser/view.ts";
import {
  EDITING_KEYS,
  filterSegments,
  fitHeight,
  keySegments,
  line,
  type Segment,
} from "../view_common.ts";
import { footerItems } from "./keys.ts";
import {
  DETAIL_LINES,
  listHeight,
  selectedRow,
  sortOrder,
  type TableRow,
  type TableState,
} from "./state.ts";

export interface ViewOptions {
  width: number;
  height: number;
  color: boolean;
  /** One line explaining an AWS error code (shown by the object browser). */
  explain?: (code: string, message: string) => string | undefined;
}

const REGION_WIDTH = 15;
const CREATED_WIDTH = 16;

export function view(state: TableState, options: ViewOptions): string[] {
  const width = Math.max(10, options.width);
  const height = Math.max(1, options.height);
  if (state.browser) {
    return browserView(state.browser, {
      width,
      height,
      color: options.color,
      ...(options.explain ? { explain: options.explain } : {}),
    });
  }
  const t = makeTheme(options.color);
  const lines: string[] = [];
  lines.push(line(headerSegments(state, t), width));
  lines.push(line(statusSegments(state, t), width));
  const showCreated = width >= 60;
  const cols = accountColumns(state, width);
  const nameWidth = Math.max(
    4,
    width - 2 - cols.width - REGION_WIDTH - 1 - (showCreated ? CREATED_WIDTH + 1 : 0),
  );
  lines.push(line(
    [[
      "  " + cols.title + padEnd("NAME", nameWidth) + " " + padEnd("REGION", REGION_WIDTH) +
      (showCreated ? " " + "CREATED (UTC)" : ""),
      t.dim,
    ]],
    width,
  ));

  const rowsShown = listHeight(state);
  const body: string[] = [];
  if (state.visible.length === 0) {
    body.push(line([[emptyMessage(state), t.dim]], width));
  }
  const end = Math.min(state.visible.length, state.offset + rowsShown);
  for (let v = state.offset; v < end; v++) {
    const row = state.rows[state.visible[v]!]!;
    body.push(
      rowLine(row, v === state.cursor, nameWidth, showCreated, width, t, cols.cells(row)),
    );
  }
  while (body.length < rowsShown) body.push("");
  lines.push(...body.slice(0, rowsShown));

  if (state.detail) lines.push(...detailLines(state, width, t));
  lines.push(line(footerSegments(state, width, t), width));
  // Very small terminals: keep the header and the footer, cut rows.
  return fitHeight(lines, height);
}

/** The combined table's ACCOUNT and ROLE columns (nothing in a one-account table). */
function accountColumns(state: TableState, width: number) {
  if (!state.header.multi) return { width: 0, title: "", cells: (_row: TableRow) => "" };
  const roleWidth = Math.min(
    16,
    Math.max(4, ...state.rows.map((r) => displayWidth(r.role ?? ""))),
  );
  // Narrow terminals keep the role, drop the account.
  const showAccount = width >= 80;
  const title = (showAccount ? padEnd("ACCOUNT", ACCOUNT_WIDTH) + " " : "") +
    padEnd("ROLE", roleWidth) + " ";
  return {
    width: displayWidth(title),
    title,
    cells: (row: TableRow) =>
      (showAccount ? padEnd(row.account ?? "", ACCOUNT_WIDTH) + " " : "") +
      padEnd(truncate(row.role ?? "", roleWidth), roleWidth) + " ",
  };
}

const ACCOUNT_WIDTH = 12;

function emptyMessage(state: TableState): string {
  if (state.failure) return `  ${state.failure}`;
  if (!state.listed) return "  listing buckets…";
  if (state.rows.length === 0) return "  no buckets in this account";
  const parts: string[] = [];
  if (state.filter) parts.push(`name contains "${state.filter}"`);
  if (state.regionFilter !== null) parts.push(`region is "${state.regionFilter}"`);
  if (state.accountFilter !== null) parts.push(`account is "${state.accountFilter}"`);
  return `  no bucket where ${parts.join(" and ")}`;
}

function headerSegments(state: TableState, t: Theme): Segment[] {
  const h = state.header;
  const total = state.rows.length;
  const accounts = state.accounts;
  const segs: Segment[] = h.multi
    ? [["xrole", t.bold], ["  "], [h.roleLabel, t.bold], ["  "], [
      `${accounts} account${accounts === 1 ? "" : "s"}`,
    ]]
    : [
      ["xrole", t.bold],
      ["  account "],
      [h.accountId, t.bold],
      ["  role "],
      [h.roleLabel, (s) => t.role(s, h.roleColor)],
    ];
  if (h.expiresAt) {
    const left = h.expiresAt.getTime() - state.now.getTime();
    const style = left <= 0 ? t.red : left < 5 * 60_000 ? t.yellow : undefined;
    segs.push(["  "], [left <= 0 ? "expired" : `${timeLeft(left)} left`, style]);
  }
  segs.push(["  "], [`${total} bucket${total === 1 ? "" : "s"}`]);
  if (state.listed && total > 0) {
    const doneAll = state.finished >= total;
    segs.push(["  regions "], [
      `${state.finished}/${total}`,
      doneAll ? t.green : t.yellow,
    ]);
  }
  return segs;
}

function statusSegments(state: TableState, t: Theme): Segment[] {
  const order = sortOrder(state);
  const segs = filterSegments(state.editing, state.filter, t);
  segs.push(["  region: "], [
    state.regionFilter ?? "all",
    state.regionFilter ? t.cyan : t.dim,
  ]);
  if (state.header.multi) {
    segs.push(["  account: "], [
      state.accountFilter ?? "all",
      state.accountFilter ? t.cyan : t.dim,
    ]);
  }
  segs.push(["  sort: "], [`${order.key} ${order.dir === "asc" ? "↑" : "↓"}`]);
  if (state.visible.length > 0) {
    segs.push(["  "], [`${state.cursor + 1}/${state.visible.length}`, t.dim]);
  }
  return segs;
}

function footerSegments(state: TableState, width: number, t: Theme): Segment[] {
  if (state.notice && !state.editing) {
    const { text, tone } = state.notice;
    const style = tone === "error" ? t.red : tone === "ok" ? t.green : t.cyan;
    return [[tone === "error" ? `✗ ${text}` : tone === "ok" ? `✓ ${text}` : text, style]];
  }
  const items: readonly (readonly [string, string])[] = state.editing
    ? EDITING_KEYS
    : state.detail
    ? [["i/Esc", "close details"], ["⏎", "open"], ["↑↓", "move"], ["b", "roles"], ["q", "quit"]]
    : footerItems(state.header.multi === true);
  return keySegments(items, width, t);
}

function rowLine(
  row: TableRow,
  selected: boolean,
  nameWidth: number,
  showCreated: boolean,
  width: number,
  t: Theme,
  accountCells = "",
): string {
  const region = regionCell(row);
  const regionStyle = row.state === "pending" ? t.dim : row.state === "error" ? t.red : undefined;
  // A role that could not be listed has one row and no bucket name.
  const name = row.name || "(role not listed)";
  const segs: Segment[] = [
    [selected ? "› " : "  ", selected ? t.bold : undefined],
    [accountCells],
    [padEnd(truncate(name, nameWidth), nameWidth) + " ", row.name ? undefined : t.dim],
    [padEnd(region.text, REGION_WIDTH - (region.mark ? 1 : 0)), regionStyle],
  ];
  if (region.mark) segs.push([region.mark, t.dim]);
  if (showCreated) segs.push([" " + (row.created ? formatDate(row.created) : "")]);
  const text = line(segs, width);
  return selected ? t.inverse(text) : text;
}

/** The region cell: `…` while pending, the error code on failure, a `*` for HeadBucket regions. */
export function regionCell(row: BucketRow): { text: string; mark: string } {
  if (row.state === "pending") return { text: "…", mark: "" };
  if (row.state === "error") return { text: row.error ?? "error", mark: "" };
  return { text: row.region ?? "?", mark: row.regionSource === "head" ? "*" : "" };
}

function detailLines(state: TableState, width: number, t: Theme): string[] {
  const row = selectedRow(state);
  const out: string[] = [line([["─── details ", t.dim], ["─".repeat(width), t.dim]], width)];
  if (row) {
    const partition = state.header.partition ?? "aws";
    const region = row.state === "done" ? row.region : undefined;
    const source = row.regionSource === "head"
      ? "HeadBucket (GetBucketLocation was refused)"
      : row.regionSource === "list"
      ? "ListBuckets"
      : row.regionSource === "location"
      ? "GetBucketLocation"
      : row.state === "error"
      ? `lookup failed: ${row.error ?? "error"}`
      : "lookup pending";
    const field = (label: string, value: string, style?: (s: string) => string): string =>
      line([[padEnd(label, 9), t.dim], [value, style]], width);
    out.push(field("name", row.name, t.bold));
    out.push(
      field("region", region ?? regionCell(row).text, row.state === "error" ? t.red : undefined),
    );
    out.push(field("source", source));
    out.push(field("created", row.created ? `${formatDate(row.created)} UTC` : "unknown"));
    out.push(field("ARN", `arn:${partition}:s3:::${row.name}`));
    // A cut URL is useless: drop the label when that makes the URL fit.
    const url = consoleUrl(row.name, region, partition);
    out.push(
      9 + displayWidth(url) > width ? line([[url, t.cyan]], width) : field("console", url, t.cyan),
    );
  }
  while (out.length < DETAIL_LINES) out.push("");
  return out;
}

/** The S3 console page of a bucket. */
export function consoleUrl(name: string, region: string | undefined, partition: string): string {
  const host = partition === "aws-cn"
    ? "console.amazonaws.cn"
    : partition === "aws-us-gov"
    ? "console.amazonaws-us-gov.com"
    : "s3.console.aws.amazon.com";
  const query = region ? `?region=${encodeURIComponent(region)}` : "";
  return `https://${host}/s3/buckets/${encodeURIComponent(name)}${query}`;
}

/** "1h 05m", "12m", "45s". */
export function timeLeft(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m`;
  return `${s}s`;
}

/** "2024-03-01 09:05" in UTC. */
export function formatDate(d: Date): string {
  return d.toISOString().slice(0, 16).replace("T", " ");
}
