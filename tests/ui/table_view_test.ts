import assert from "node:assert/strict";
import stringWidth from "string-width";
import type { ListedBucket } from "../../src/core/model.ts";
import { initialState, type TableState } from "../../src/ui/table/state.ts";
import { timeLeft, view } from "../../src/ui/table/view.ts";
import { stripAnsi } from "../../src/ui/theme.ts";
import { apply, NOW, press, startTable } from "./_table.ts";

const HEADER = {
  accountId: "222222222222",
  roleLabel: "prod",
  roleColor: "red",
  expiresAt: new Date(NOW.getTime() + 59 * 60_000),
};

function start(list: ListedBucket[], size = { width: 80, height: 24 }): TableState {
  return startTable(HEADER, list, size);
}

function buckets(n: number): ListedBucket[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `bucket-${String(i).padStart(5, "0")}`,
    created: new Date(Date.UTC(2021, 2, 4, 5, 6)),
  }));
}

function plain(state: TableState, width = 80, height = 24): string[] {
  return view(state, { width, height, color: false });
}

// deno-lint-ignore no-control-regex
const ESCAPE = /\x1b/;

Deno.test("an 80x24 view is exactly 24 lines, none wider than 80 columns", () => {
  const s = start(buckets(100));
  const lines = view(s, { width: 80, height: 24, color: true });
  assert.equal(lines.length, 24);
  for (const l of lines) assert.ok(stringWidth(stripAnsi(l)) <= 80, `too wide: ${l}`);
});

Deno.test("the header shows account, role, time left, bucket count and lookup progress", () => {
  let s = start(buckets(3));
  s = apply(s, { type: "region", name: "bucket-00000", region: "eu-west-1", source: "location" });
  const header = plain(s)[0]!;
  assert.match(header, /account 222222222222/);
  assert.match(header, /role prod/);
  assert.match(header, /59m left/);
  assert.match(header, /3 buckets/);
  assert.match(header, /regions 1\/3/);
});

Deno.test("expired credentials say so in the header", () => {
  const s = apply(start(buckets(1)), { type: "tick", now: new Date(NOW.getTime() + 3600_000) });
  assert.match(plain(s)[0]!, /expired/);
});

Deno.test("time left reads in hours and minutes", () => {
  assert.equal(timeLeft(3_900_000), "1h 05m");
  assert.equal(timeLeft(12 * 60_000 + 5000), "12m");
  assert.equal(timeLeft(45_000), "45s");
});

Deno.test("pending regions show …, failed lookups their error code, HeadBucket regions a *", () => {
  let s = start(buckets(4));
  s = apply(
    s,
    { type: "region", name: "bucket-00000", region: "eu-west-1", source: "location" },
    { type: "error", name: "bucket-00001", code: "AccessDenied", message: "x" },
    { type: "region", name: "bucket-00002", region: "us-west-2", source: "head" },
  );
  const lines = plain(s);
  const rowOf = (name: string) => lines.find((l) => l.includes(name))!;
  assert.match(rowOf("bucket-00000"), /bucket-00000\s+eu-west-1\s+2021-03-04 05:06/);
  assert.match(rowOf("bucket-00001"), /bucket-00001\s+AccessDenied/);
  assert.match(rowOf("bucket-00002"), /us-west-2\s*\*/);
  assert.doesNotMatch(rowOf("bucket-00000"), /\*/);
  assert.match(rowOf("bucket-00003"), /bucket-00003\s+…/);
});

Deno.test("the selected row is marked so it is visible without colour", () => {
  const s = press(start(buckets(3)), "j");
  const lines = plain(s);
  assert.ok(lines.some((l) => l.startsWith("› bucket-00001")));
  assert.ok(lines.some((l) => l.startsWith("  bucket-00000")));
});

Deno.test("the footer lists the keys", () => {
  const footer = plain(start(buckets(3))).at(-1)!;
  for (const word of ["filter", "sort", "region", "details", "o console", "roles", "quit"]) {
    assert.ok(footer.includes(word), `footer mentions ${word}: ${footer}`);
  }
});

Deno.test("the filter being typed is shown with what it matches", () => {
  const s = press(start(buckets(30)), "/", "0", "0", "0", "1");
  const lines = plain(s);
  assert.match(lines[1]!, /filter: \/0001/);
  assert.match(lines.at(-1)!, /Esc clear/);
  const rows = lines.flatMap((l) => l.match(/bucket-\d+/) ?? []);
  assert.deepEqual(
    rows,
    [
      "bucket-00001",
      "bucket-00010",
      "bucket-00011",
      "bucket-00012",
      "bucket-00013",
      "bucket-00014",
      "bucket-00015",
      "bucket-00016",
      "bucket-00017",
      "bucket-00018",
      "bucket-00019",
    ],
  );
});

Deno.test("a filter that matches nothing says so", () => {
  const s = press(start(buckets(3)), "/", "z", "z");
  assert.ok(plain(s).some((l) => l.includes('no bucket where name contains "zz"')));
});

Deno.test("sort and region filter are shown in the status line", () => {
  let s = start(buckets(2));
  s = apply(s, { type: "region", name: "bucket-00000", region: "eu-west-1", source: "location" });
  s = press(s, "s", "r");
  const status = plain(s)[1]!;
  assert.match(status, /sort: name ↓/);
  assert.match(status, /region: eu-west-1/);
});

Deno.test("before ListBuckets answers the table says it is listing", () => {
  const s = initialState({ header: HEADER, size: { width: 80, height: 24 }, now: NOW });
  assert.ok(plain(s).some((l) => l.includes("listing buckets…")));
});

Deno.test("an account without buckets says so", () => {
  assert.ok(plain(start([])).some((l) => l.includes("no buckets in this account")));
});

Deno.test("the detail pane shows name, region and its source, created, ARN and console URL", () => {
  let s = start(buckets(2));
  s = apply(s, { type: "region", name: "bucket-00001", region: "eu-west-1", source: "head" });
  s = press(s, "j", "i");
  const text = plain(s).join("\n");
  assert.match(text, /name\s+bucket-00001/);
  assert.match(text, /region\s+eu-west-1/);
  assert.match(text, /source\s+HeadBucket/);
  assert.match(text, /created\s+2021-03-04 05:06 UTC/);
  assert.match(text, /ARN\s+arn:aws:s3:::bucket-00001/);
  assert.match(
    text,
    /https:\/\/s3\.console\.aws\.amazon\.com\/s3\/buckets\/bucket-00001\?region=eu-west-1/,
  );
  assert.equal(plain(s).length, 24);
});

Deno.test("bucket ARNs use the role's partition", () => {
  const s0 = initialState({
    header: { ...HEADER, partition: "aws-cn" },
    size: { width: 100, height: 24 },
    now: NOW,
  });
  const s = press(apply(s0, { type: "listed", buckets: buckets(1) }), "i");
  const text = plain(s, 100).join("\n");
  assert.match(text, /arn:aws-cn:s3:::bucket-00000/);
  assert.match(text, /console\.amazonaws\.cn/);
});

Deno.test("with colour off no escape codes are written, with colour on they are", () => {
  let s = start(buckets(5));
  s = apply(s, { type: "error", name: "bucket-00001", code: "AccessDenied", message: "x" });
  s = press(s, "i");
  assert.ok(view(s, { width: 80, height: 24, color: false }).every((l) => !ESCAPE.test(l)));
  assert.ok(view(s, { width: 80, height: 24, color: true }).some((l) => ESCAPE.test(l)));
});

Deno.test("the role label is painted in the role's colour", () => {
  const header = view(start(buckets(1)), { width: 80, height: 24, color: true })[0]!;
  assert.ok(header.includes("\x1b[1;38;2;242;176;169mprod"), JSON.stringify(header));
});

Deno.test("narrow terminals drop the created column and shorten names, never overflow", () => {
  const long: ListedBucket[] = [{ name: "a-very-long-bucket-name-that-goes-on-and-on-and-on" }];
  for (const width of [79, 60, 50, 40, 30, 20]) {
    const s = apply(start(long, { width, height: 12 }), {
      type: "resize",
      size: { width, height: 12 },
    });
    const lines = view(s, { width, height: 12, color: true });
    assert.equal(lines.length, 12);
    for (const l of lines) {
      assert.ok(stringWidth(stripAnsi(l)) <= width, `width ${width}: ${stripAnsi(l)}`);
    }
    if (width < 60) assert.ok(!lines.some((l) => l.includes("CREATED")));
  }
  const narrow = plain(start(long, { width: 40, height: 12 }), 40, 12);
  assert.ok(narrow.some((l) => /a-very-long-bucket-n\w*…/.test(l)), narrow.join("\n"));
});

Deno.test("tiny terminals keep the header and the footer", () => {
  const s = start(buckets(10), { width: 80, height: 4 });
  const lines = plain(s, 80, 4);
  assert.equal(lines.length, 4);
  assert.match(lines[0]!, /account/);
  assert.match(lines[3]!, /quit/);
});

Deno.test("only rows on screen are rendered: 10,000 buckets render as fast as 100", () => {
  const big = start(buckets(10_000));
  const small = start(buckets(100));
  const time = (s: TableState) => {
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) view(s, { width: 80, height: 24, color: true });
    return performance.now() - t0;
  };
  time(small);
  const tBig = time(big);
  const tSmall = time(small);
  assert.ok(tBig < tSmall * 5 + 20, `10k: ${tBig.toFixed(1)} ms, 100: ${tSmall.toFixed(1)} ms`);
  const lines = plain(press(big, "\x1b[F"));
  assert.ok(lines.some((l) => l.includes("bucket-09999")));
  assert.match(lines[1]!, /10000\/10000/);
});

Deno.test("a notice replaces the footer until the next key, then the keys are back", () => {
  const s = apply(start(buckets(3)), {
    type: "notice",
    notice: { text: "opened the console as prod in your browser", tone: "ok" },
  });
  assert.equal(plain(s).at(-1), "✓ opened the console as prod in your browser");
  assert.match(plain(press(s, "j")).at(-1)!, /q quit/);
  const failed = apply(s, {
    type: "notice",
    notice: { text: "console link failed: AccessDenied: no", tone: "error" },
  });
  assert.equal(plain(failed).at(-1), "✗ console link failed: AccessDenied: no");
});

Deno.test("a renewed session shows its new time left in the header", () => {
  const s = start(buckets(3));
  assert.match(plain(s)[0]!, /59m left/);
  const renewed = apply(s, {
    type: "renewed",
    expiresAt: new Date(NOW.getTime() + 3600_000),
  });
  assert.match(plain(renewed)[0]!, /1h 00m left/);
  assert.doesNotMatch(plain(renewed)[0]!, /59m left/);
});
