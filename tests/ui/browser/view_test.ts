import assert from "node:assert/strict";
import stringWidth from "string-width";
import { openBrowser, updateBrowser } from "../../../src/ui/browser/state.ts";
import { browserView } from "../../../src/ui/browser/view.ts";
import { humanSize, parentPrefix } from "../../../src/ui/browser/format.ts";

function browsed(width = 100, height = 12) {
  const r = openBrowser(
    { bucket: "acme-dev-artifacts", region: "eu-west-1", account: "222222222222", role: "dev" },
    { width, height },
    "releases/",
  );
  return updateBrowser(r.state, {
    type: "page",
    request: 1,
    page: {
      prefixes: ["releases/2024/"],
      objects: [{
        key: "releases/notes.md",
        size: 8_734_112,
        lastModified: new Date("2024-03-02T10:00:00Z"),
      }],
    },
  }).state;
}

Deno.test("the browser shows the path in the header, folders first, then sizes and dates", () => {
  const lines = browserView(browsed(), { width: 100, height: 12, color: false });
  assert.equal(lines.length, 12);
  assert.match(lines[0]!, /s3:\/\/acme-dev-artifacts\/releases\/\s+region eu-west-1/);
  assert.match(lines[0]!, /account 222222222222\s+role dev/);
  assert.match(lines[1]!, /1 folder, 1 object/);
  assert.match(lines[3]!, /^› 2024\/\s+folder/);
  assert.match(lines[4]!, /^ {2}notes\.md\s+8\.3 MiB {2}2024-03-02 10:00$/);
  assert.match(lines[11]!, /open folder.*up.*filter.*buckets.*quit/);
  for (const l of lines) assert.ok(stringWidth(l) <= 100, l);
});

Deno.test("a narrow browser drops the date column and stays within its width", () => {
  const lines = browserView(browsed(40, 8), { width: 40, height: 8, color: false });
  assert.equal(lines.length, 8);
  assert.doesNotMatch(lines.join("\n"), /2024-03-02/);
  for (const l of lines) assert.ok(stringWidth(l) <= 40, l);
});

Deno.test("a refused folder shows its reason and the explanation in place of the rows", () => {
  const r = openBrowser({ bucket: "other" }, { width: 80, height: 10 });
  const s = updateBrowser(r.state, {
    type: "failed",
    request: 1,
    code: "PermanentRedirect",
    message: 'bucket "other" is in region "us-west-2"',
  }).state;
  const lines = browserView(s, {
    width: 80,
    height: 10,
    color: false,
    explain: (code) => code === "PermanentRedirect" ? "the bucket lives elsewhere" : undefined,
  });
  assert.match(lines[3]!, /PermanentRedirect: bucket "other" is in region "us-west-2"/);
  assert.match(lines[4]!, /the bucket lives elsewhere/);
});

Deno.test("while the first page is on its way the browser says it is listing", () => {
  const r = openBrowser({ bucket: "b" }, { width: 80, height: 10 });
  const lines = browserView(r.state, { width: 80, height: 10, color: false });
  assert.match(lines.join("\n"), /listing…/);
  assert.match(lines[1]!, /loading…/);
});

Deno.test("sizes read in binary units and the parent of a folder is one level up", () => {
  assert.equal(humanSize(0), "0 B");
  assert.equal(humanSize(1023), "1023 B");
  assert.equal(humanSize(1204), "1.2 KiB");
  assert.equal(humanSize(1024 * 1024 - 1), "1.0 MiB");
  assert.equal(humanSize(52_428_800), "50.0 MiB");
  assert.equal(humanSize(5 * 1024 ** 4), "5.0 TiB");
  assert.equal(parentPrefix("a/b/"), "a/");
  assert.equal(parentPrefix("a/"), "");
  assert.equal(parentPrefix(""), undefined);
});
