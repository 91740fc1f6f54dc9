import assert from "node:assert/strict";
import { displayWidth, padEnd, padStart, truncate } from "../../src/core/text_width.ts";

Deno.test("wide characters and emoji take two columns, ANSI escapes none", () => {
  assert.equal(displayWidth("acme-logs"), 9);
  assert.equal(displayWidth("日本語"), 6);
  assert.equal(displayWidth("🪣 b"), 4);
  assert.equal(displayWidth("\x1b[31mred\x1b[39m"), 3);
  assert.equal(displayWidth("héad"), 4);
});

Deno.test("padding fills to a display width on either side and never cuts", () => {
  assert.equal(padEnd("日本", 6), "日本  ");
  assert.equal(padStart("日本", 6), "  日本");
  assert.equal(padEnd("abc", 2), "abc");
  assert.equal(padStart("", 3), "   ");
});

Deno.test("truncation ends in … within the width and never splits a character", () => {
  assert.equal(truncate("acme-logs", 20), "acme-logs");
  assert.equal(truncate("acme-logs", 5), "acme…");
  assert.equal(truncate("日本語", 4), "日…");
  assert.equal(truncate("日本語", 5), "日本…");
  // A family emoji is one grapheme of several code points: kept whole or dropped whole.
  const family = "👨‍👩‍👧";
  assert.equal(truncate(`${family}${family}x`, 4), `${family}…`);
  assert.equal(truncate("abc", 0), "");
  for (const text of ["acme-logs", "日本語のバケット", `a${family}b`]) {
    for (let width = 1; width <= 12; width++) {
      assert.ok(displayWidth(truncate(text, width)) <= width, `${text} at ${width}`);
    }
  }
});
