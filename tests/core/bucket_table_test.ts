import assert from "node:assert/strict";
import { formatBucketTable } from "../../src/core/bucket_table.ts";
import type { OutputRow } from "../../src/core/format.ts";
import { stripAnsi } from "../../src/core/colors.ts";
import { ROWS } from "./_rows.ts";

Deno.test("the table aligns columns and shows error codes and pending lookups in the region column", () => {
  const out = formatBucketTable(ROWS, { color: false });
  assert.equal(
    out,
    [
      "NAME          REGION        CREATED",
      "acme-logs     eu-west-1     2021-03-04 05:06",
      "acme-private  AccessDenied  2020-01-01 00:00",
      "acme-héad     us-west-2",
      "acme-slow     …             2022-12-31 23:59",
      "",
    ].join("\n"),
  );
});

Deno.test("the table measures wide characters and shortens names to fit the terminal", () => {
  const rows: OutputRow[] = [
    { name: "日本語のバケット", state: "done", region: "ap-northeast-1" },
    { name: "x", state: "done", region: "us-east-1" },
  ];
  const lines = formatBucketTable(rows, { color: false }).split("\n");
  assert.equal(lines[1]!.indexOf("ap-northeast-1"), lines[2]!.indexOf("us-east-1") - 8);
  const narrow = formatBucketTable(
    [{ name: "a-very-long-bucket-name-that-does-not-fit", state: "done", region: "eu-west-1" }],
    { color: false, columns: 40 },
  ).split("\n");
  assert.ok(narrow.every((l) => l.length <= 40), narrow.join("\n"));
  assert.ok(narrow[1]!.includes("…"));
});

Deno.test("colour adds ANSI codes only when asked, and nothing else changes", () => {
  const plain = formatBucketTable(ROWS, { color: false });
  const colored = formatBucketTable(ROWS, { color: true });
  assert.ok(!plain.includes("\x1b["));
  assert.ok(colored.includes("\x1b[31mAccessDenied"));
  assert.equal(stripAnsi(colored), plain);
});
