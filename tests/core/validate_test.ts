import assert from "node:assert/strict";
import {
  maskExternalId,
  sanitizeSessionName,
  validateDuration,
  validateExternalId,
  validateLabel,
  validateMfaCode,
  validateRegion,
  validateSessionName,
} from "../../src/core/validate.ts";
import { UsageError } from "../../src/core/errors.ts";

function refuses(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UsageError, `expected a UsageError, got ${e}`);
    assert.equal(e.message, message);
    assert.equal(e.exitCode, 2);
    return true;
  });
}

Deno.test("valid External IDs are returned trimmed", () => {
  assert.equal(validateExternalId(" xrole-prod "), "xrole-prod");
  assert.equal(validateExternalId("ab"), "ab");
  assert.equal(validateExternalId("a".repeat(1224)), "a".repeat(1224));
  assert.equal(validateExternalId("A_b+=,.@:/-9"), "A_b+=,.@:/-9");
});

Deno.test("bad External IDs are refused without revealing the whole value", () => {
  refuses(
    () => validateExternalId("a"),
    'Invalid External ID "…": must be 2-1224 characters (got 1)',
  );
  refuses(
    () => validateExternalId("a".repeat(1225)),
    'Invalid External ID "aa…aa": must be 2-1224 characters (got 1225)',
  );
  refuses(
    () => validateExternalId("secret id!"),
    'Invalid External ID "se…d!": character " " is not allowed (use letters, digits and +=,.@:/_-)',
  );
  refuses(
    () => validateExternalId("secret#id"),
    'Invalid External ID "se…id": character "#" is not allowed (use letters, digits and +=,.@:/_-)',
  );
  refuses(
    () => validateExternalId("ünïcode"),
    'Invalid External ID "ü…e": character "ü" is not allowed (use letters, digits and +=,.@:/_-)',
  );
});

Deno.test("session names must be 2-64 allowed characters", () => {
  assert.equal(validateSessionName("xrole-dev@corp.example"), "xrole-dev@corp.example");
  refuses(
    () => validateSessionName("x"),
    'Invalid session name "x": must be 2-64 characters (got 1)',
  );
  refuses(
    () => validateSessionName("s".repeat(65)),
    `Invalid session name "${"s".repeat(65)}": must be 2-64 characters (got 65)`,
  );
  refuses(
    () => validateSessionName("bad name!"),
    'Invalid session name "bad name!": character " " is not allowed (use letters, digits and +=,.@_-)',
  );
  refuses(
    () => validateSessionName("a/b"),
    'Invalid session name "a/b": character "/" is not allowed (use letters, digits and +=,.@_-)',
  );
});

Deno.test("any raw text becomes a valid session name", () => {
  assert.equal(sanitizeSessionName("xrole-dev"), "xrole-dev");
  assert.equal(sanitizeSessionName("xrole-jane doe/ops"), "xrole-jane-doe-ops");
  assert.equal(sanitizeSessionName("🙂"), "--x");
  assert.equal(sanitizeSessionName(""), "xrole");
  assert.equal(sanitizeSessionName("a"), "a-x");
  assert.equal(sanitizeSessionName("x".repeat(100)).length, 64);
  for (const raw of ["", "a", "é", " ", "xrole-" + "ü".repeat(80), "a:b:c", "\n\t"]) {
    assert.equal(validateSessionName(sanitizeSessionName(raw)), sanitizeSessionName(raw));
  }
});

Deno.test("durations are whole seconds between 900 and 43200, and within the given limit", () => {
  assert.equal(validateDuration(900), 900);
  assert.equal(validateDuration("3600"), 3600);
  assert.equal(validateDuration(43200), 43200);
  assert.equal(validateDuration(3600, 3600), 3600);
  refuses(
    () => validateDuration(899),
    "Invalid duration 899: must be between 900 and 43200 seconds",
  );
  refuses(
    () => validateDuration(43201),
    "Invalid duration 43201: must be between 900 and 43200 seconds",
  );
  refuses(() => validateDuration("1h"), 'Invalid duration "1h": must be a whole number of seconds');
  refuses(
    () => validateDuration(1000.5),
    'Invalid duration "1000.5": must be a whole number of seconds',
  );
  refuses(() => validateDuration(""), 'Invalid duration "": must be a whole number of seconds');
  refuses(
    () => validateDuration(7200, 3600),
    "Invalid duration 7200: the limit here is 3600 seconds",
  );
});

Deno.test("MFA codes must be 6 digits and are never echoed", () => {
  assert.equal(validateMfaCode(" 123456 "), "123456");
  for (const bad of ["12345", "1234567", "12a456", "", "１２３４５６"]) {
    refuses(() => validateMfaCode(bad), "Invalid MFA code: must be exactly 6 digits");
  }
});

Deno.test("regions must look like regions", () => {
  assert.equal(validateRegion("eu-west-1"), "eu-west-1");
  assert.equal(validateRegion("US-GOV-WEST-1"), "us-gov-west-1");
  refuses(
    () => validateRegion("europe"),
    'Invalid region "europe": expected a name like "eu-west-1"',
  );
  refuses(
    () => validateRegion("eu-west"),
    'Invalid region "eu-west": expected a name like "eu-west-1"',
  );
  refuses(() => validateRegion(""), 'Invalid region "": expected a name like "eu-west-1"');
});

Deno.test("labels are 1-64 characters without brackets, breaks or outer spaces", () => {
  assert.equal(validateLabel("prod readonly"), "prod readonly");
  assert.equal(validateLabel("ünï 🙂"), "ünï 🙂");
  refuses(() => validateLabel(""), 'Invalid label "": must not be empty');
  refuses(
    () => validateLabel("x".repeat(65)),
    `Invalid label "${"x".repeat(65)}": must be at most 64 characters (got 65)`,
  );
  refuses(() => validateLabel("a]b"), 'Invalid label "a]b": must not contain "]" or a line break');
  refuses(() => validateLabel("a\nb"), 'Invalid label "a b": must not contain "]" or a line break');
  refuses(
    () => validateLabel(" prod"),
    'Invalid label " prod": must not start or end with a space',
  );
  refuses(
    () => validateLabel("prod "),
    'Invalid label "prod ": must not start or end with a space',
  );
  refuses(
    () => validateLabel("a\x00b"),
    'Invalid label "a\\u0000b": must not contain control characters',
  );
});

Deno.test("masked External IDs never show the whole value", () => {
  assert.equal(maskExternalId("xrole-dev"), "xr…ev");
  assert.equal(maskExternalId("abcde"), "a…e");
  assert.equal(maskExternalId("abcd"), "…");
  assert.equal(maskExternalId(""), "…");
  for (const id of ["ab", "abc", "abcdef", "abcdefgh", "x".repeat(1224)]) {
    const masked = maskExternalId(id);
    assert.ok(!masked.includes(id), `${masked} reveals ${id}`);
    assert.ok(masked.replace("…", "").length <= 4);
  }
});
