import assert from "node:assert/strict";
import { explainAwsError } from "../../src/aws/explain.ts";

Deno.test("AccessDenied on assume is explained as trust policy, External ID or missing permission", () => {
  const hint = explainAwsError("AccessDenied") ?? "";
  assert.match(hint, /trust policy/);
  assert.match(hint, /External ID/);
  assert.match(hint, /sts:AssumeRole/);
});

Deno.test("common credential errors each get their own plain-words hint", () => {
  const codes = [
    "ExpiredToken",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "ValidationError",
    "timeout",
  ];
  const hints = codes.map((c) => explainAwsError(c));
  assert.ok(hints.every((h) => typeof h === "string" && h.length > 10), JSON.stringify(hints));
  assert.equal(new Set(hints).size, codes.length);
  assert.match(explainAwsError("ExpiredToken") ?? "", /expired/);
  assert.match(explainAwsError("SignatureDoesNotMatch") ?? "", /secret/);
});

Deno.test("an AccessDenied that mentions MFA is explained as an MFA requirement", () => {
  assert.match(
    explainAwsError("AccessDenied", "MultiFactorAuthentication failed, must provide token") ?? "",
    /MFA/,
  );
});

Deno.test("an unknown code has no hint rather than a misleading one", () => {
  assert.equal(explainAwsError("SomethingNew"), undefined);
});

Deno.test("a wrong MFA code is explained as a wrong code, not as a missing MFA device", () => {
  assert.match(
    explainAwsError(
      "AccessDenied",
      "MultiFactorAuthentication failed with invalid MFA one time pass code.",
    ) ?? "",
    /code was wrong/,
  );
});
