import assert from "node:assert/strict";
import { normalizeLocation, regionName, REGIONS } from "../../src/core/region.ts";
import { validateRegion } from "../../src/core/validate.ts";

Deno.test("an empty or missing location constraint means us-east-1", () => {
  assert.equal(normalizeLocation(undefined), "us-east-1");
  assert.equal(normalizeLocation(null), "us-east-1");
  assert.equal(normalizeLocation(""), "us-east-1");
});

Deno.test("the legacy EU constraint means eu-west-1, others pass through", () => {
  assert.equal(normalizeLocation("EU"), "eu-west-1");
  assert.equal(normalizeLocation("eu-central-1"), "eu-central-1");
  assert.equal(normalizeLocation("ap-southeast-2"), "ap-southeast-2");
});

Deno.test("every listed region is a valid, unique region code with a display name", () => {
  const codes = new Set<string>();
  for (const r of REGIONS) {
    assert.equal(validateRegion(r.code), r.code);
    assert.ok(!codes.has(r.code), `duplicate ${r.code}`);
    codes.add(r.code);
    assert.equal(regionName(r.code), r.name);
  }
  assert.equal(regionName("xx-nowhere-9"), undefined);
});
