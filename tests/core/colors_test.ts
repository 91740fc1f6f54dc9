import assert from "node:assert/strict";
import {
  ansi256Of,
  paint,
  resolveColor,
  ROLE_COLORS,
  stripAnsi,
  style,
  tryResolveColor,
} from "../../src/core/colors.ts";
import { UsageError } from "../../src/core/errors.ts";

Deno.test("the console's five Switch Role colours resolve by name or hex", () => {
  assert.deepEqual(ROLE_COLORS.map((c) => c.name), ["red", "orange", "yellow", "green", "blue"]);
  assert.deepEqual(resolveColor("Red"), { name: "red", hex: "F2B0A9" });
  assert.deepEqual(resolveColor("#fbbf93"), { name: "orange", hex: "FBBF93" });
  assert.deepEqual(resolveColor(" FAD791 "), { name: "yellow", hex: "FAD791" });
  assert.deepEqual(resolveColor("green"), { name: "green", hex: "B7CA9D" });
  assert.deepEqual(resolveColor("BLUE"), { name: "blue", hex: "99BCE3" });
});

Deno.test("an unknown colour is refused listing the choices", () => {
  assert.throws(() => resolveColor("purple"), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.equal(
      e.message,
      'Invalid colour "purple": expected one of red, orange, yellow, green, blue',
    );
    return true;
  });
  assert.equal(tryResolveColor("purple"), undefined);
  assert.equal(tryResolveColor(undefined), undefined);
});

Deno.test("painting is a no-op when colour is off", () => {
  assert.equal(paint("prod", "red", { color: false }), "prod");
  assert.equal(style.bold("x", false), "x");
  assert.equal(paint("prod", "purple", { color: true }), "prod");
});

Deno.test("painting uses 24-bit or 256-colour sequences that strip back to the text", () => {
  assert.equal(paint("prod", "red", { color: true }), "\x1b[38;2;242;176;169mprod\x1b[0m");
  const badge = paint("prod", "blue", { color: true, background: true, trueColor: false });
  assert.ok(badge.startsWith(`\x1b[48;5;${ansi256Of("99BCE3")}m`));
  assert.equal(stripAnsi(badge), "prod");
  assert.equal(stripAnsi(style.red(style.bold("x", true), true)), "x");
});

Deno.test("256-colour indexes stay inside the colour cube", () => {
  assert.equal(ansi256Of("000000"), 16);
  assert.equal(ansi256Of("FFFFFF"), 231);
  for (const c of ROLE_COLORS) {
    const i = ansi256Of(c.hex);
    assert.ok(i >= 16 && i <= 231);
  }
});
