import assert from "node:assert/strict";
import {
  parseRolesFile,
  removeRole,
  type RoleEntry,
  upsertRole,
  validateSavedRole,
} from "../../src/core/roles_file.ts";
import { ConfigParseError, UsageError } from "../../src/core/errors.ts";
import { mulberry32, randomString } from "./_random.ts";

const FILE = "/tmp/x/roles.ini";
const PROD_ARN = "arn:aws:iam::222222222222:role/ops/ReadOnly";

const SAMPLE = [
  "# xrole roles",
  "; written by hand",
  "",
  "[role prod]",
  "role_arn = arn:aws:iam::222222222222:role/ops/ReadOnly",
  "# the External ID from the vendor",
  "external_id=xrole-prod",
  "  duration_seconds =   3600  ",
  "mfa_serial = arn:aws:iam::111111111111:mfa/dev",
  "favourite = yes",
  "color = Red",
  "",
  "[role  dev sandbox ]",
  "role_arn = arn:aws-cn:iam::333333333333:role/Dev",
  "region = cn-north-1",
  "source_profile = dev",
  "session_name = me@corp",
  "via = prod",
  "",
].join("\n");

Deno.test("a roles file with comments, spacing and unknown keys parses into roles", () => {
  const roles = parseRolesFile(SAMPLE, FILE);
  assert.deepEqual(roles, [
    {
      label: "prod",
      roleArn: PROD_ARN,
      externalId: "xrole-prod",
      durationSeconds: 3600,
      mfaSerial: "arn:aws:iam::111111111111:mfa/dev",
      color: "red",
      origin: "xrole",
    },
    {
      label: "dev sandbox",
      roleArn: "arn:aws-cn:iam::333333333333:role/Dev",
      region: "cn-north-1",
      sourceProfile: "dev",
      sessionName: "me@corp",
      via: "prod",
      origin: "xrole",
    },
  ]);
});

Deno.test("an empty or comment-only file has no roles", () => {
  assert.deepEqual(parseRolesFile("", FILE), []);
  assert.deepEqual(parseRolesFile("\uFEFF# nothing yet\r\n\r\n", FILE), []);
});

Deno.test("BOM and CRLF files parse like plain ones", () => {
  const crlf = "\uFEFF" + SAMPLE.replaceAll("\n", "\r\n");
  assert.deepEqual(parseRolesFile(crlf, FILE), parseRolesFile(SAMPLE, FILE));
});

const BAD_FILES: [string, number, string][] = [
  ["[role prod\nrole_arn = x", 1, 'missing "]" in section header "[role prod"'],
  ["role_arn = " + PROD_ARN, 1, 'key "role_arn" is outside a [role LABEL] section'],
  ["[role a]\nrole_arn " + PROD_ARN, 2, `expected "key = value", got "role_arn ${PROD_ARN}"`],
  ["[role a]\n= x", 2, 'missing key before "="'],
  [
    `[role a]\nrole_arn = ${PROD_ARN}\n[role a]\nrole_arn = ${PROD_ARN}`,
    3,
    "duplicate section [role a] (first on line 1)",
  ],
  [
    `[role a]\nrole_arn = ${PROD_ARN}\nROLE_ARN = ${PROD_ARN}`,
    3,
    'duplicate key "role_arn" in [role a] (first on line 2)',
  ],
  ["# c\n[role a]\nregion = eu-west-1", 2, "section [role a] has no role_arn"],
  [`[role a]\nrole_arn = ${PROD_ARN}\n[role b]\n`, 3, "section [role b] has no role_arn"],
  ["[profile a]\n", 1, "unknown section [profile a]: expected [role LABEL]"],
  ["[role]\n", 1, "section [role] has no label"],
  ["[role a] junk\n", 1, 'unexpected text "junk" after "]"'],
  [
    "[role a]\nrole_arn = arn:aws:iam::1:role/R",
    2,
    'role_arn: Invalid role ARN "arn:aws:iam::1:role/R": account id must be 12 digits',
  ],
  [
    `[role a]\nrole_arn = ${PROD_ARN}\nexternal_id = bad id`,
    3,
    'external_id: Invalid External ID "b…d": character " " is not allowed (use letters, digits and +=,.@:/_-)',
  ],
  [
    `[role a]\nrole_arn = ${PROD_ARN}\nduration_seconds = 60`,
    3,
    "duration_seconds: Invalid duration 60: must be between 900 and 43200 seconds",
  ],
  [
    `[role a]\nrole_arn = ${PROD_ARN}\ncolor = purple`,
    3,
    'color: Invalid colour "purple": expected one of red, orange, yellow, green, blue',
  ],
  [
    `[role a]\nrole_arn = ${PROD_ARN}\nregion = moon`,
    3,
    'region: Invalid region "moon": expected a name like "eu-west-1"',
  ],
  [
    `[role a]\r\nrole_arn = ${PROD_ARN}\r\nsession_name = a b`,
    3,
    'session_name: Invalid session name "a b": character " " is not allowed (use letters, digits and +=,.@_-)',
  ],
  ["\u0000\u0001\u0002binary", 1, "binary data, not a text file"],
  [
    "[role a]\nrole_arn = arn:aws:iam::123456789012:role/A\nnote = caf\uFFFD\n",
    3,
    "binary data, not a text file",
  ],
];

for (const [text, line, reason] of BAD_FILES) {
  Deno.test(`a roles file with ${reason.slice(0, 50)} is reported with file and line`, () => {
    assert.throws(() => parseRolesFile(text, FILE), (e: unknown) => {
      assert.ok(e instanceof ConfigParseError, String(e));
      assert.equal(e.file, FILE);
      assert.equal(e.line, line);
      assert.equal(e.message, `Cannot parse "${FILE}" line ${line}: ${reason}`);
      assert.equal(e.exitCode, 2);
      return true;
    });
  });
}

const NEW_ROLE: RoleEntry = {
  label: "audit",
  roleArn: "arn:aws:iam::444444444444:role/Audit",
  externalId: "ext-1234",
  durationSeconds: 1800,
  origin: "xrole",
};

Deno.test("adding a role appends a section and leaves the rest byte for byte", () => {
  const out = upsertRole(SAMPLE, NEW_ROLE, FILE);
  assert.ok(out.startsWith(SAMPLE));
  assert.equal(
    out.slice(SAMPLE.length),
    "\n[role audit]\nrole_arn = arn:aws:iam::444444444444:role/Audit\nexternal_id = ext-1234\nduration_seconds = 1800\n",
  );
  assert.deepEqual(parseRolesFile(out, FILE).at(-1), NEW_ROLE);
});

Deno.test("adding to a file without a final newline separates the new section", () => {
  const text = `[role a]\nrole_arn = ${PROD_ARN}`;
  const out = upsertRole(text, NEW_ROLE, FILE);
  assert.ok(out.startsWith(text + "\n\n[role audit]\n"));
  assert.equal(parseRolesFile(out, FILE).length, 2);
  assert.equal(upsertRole("", NEW_ROLE, FILE).split("\n")[0], "[role audit]");
});

Deno.test("adding to a CRLF file with a BOM keeps both", () => {
  const text = "\uFEFF" + SAMPLE.replaceAll("\n", "\r\n");
  const out = upsertRole(text, NEW_ROLE, FILE);
  assert.ok(out.startsWith(text));
  assert.ok(!/[^\r]\n/.test(out), "every newline is CRLF");
  assert.equal(parseRolesFile(out, FILE).length, 3);
});

Deno.test("replacing a role edits its keys in place, keeping comments, unknown keys and order", () => {
  const updated: RoleEntry = {
    label: "prod",
    roleArn: PROD_ARN,
    externalId: "xrole-prod-2",
    durationSeconds: 7200,
    region: "eu-west-1",
    color: "blue",
    origin: "xrole",
  };
  const out = upsertRole(SAMPLE, updated, FILE);
  const expected = SAMPLE
    .replace("external_id=xrole-prod", "external_id=xrole-prod-2")
    .replace("  duration_seconds =   3600  ", "  duration_seconds =   7200")
    .replace("mfa_serial = arn:aws:iam::111111111111:mfa/dev\n", "")
    .replace("color = Red\n", "color = blue\nregion = eu-west-1\n");
  assert.equal(out, expected);
  const [prod] = parseRolesFile(out, FILE);
  assert.deepEqual(prod, updated);
});

Deno.test("filling in an empty key keeps the key where it was", () => {
  const text = `[role a]\nexternal_id =\nrole_arn=${PROD_ARN}\n`;
  const out = upsertRole(text, {
    label: "a",
    roleArn: PROD_ARN,
    externalId: "abc",
    origin: "xrole",
  }, FILE);
  assert.equal(out, `[role a]\nexternal_id = abc\nrole_arn=${PROD_ARN}\n`);
});

Deno.test("replacing a role in a CRLF file keeps CRLF on every line", () => {
  const text = SAMPLE.replaceAll("\n", "\r\n");
  const out = upsertRole(text, { ...NEW_ROLE, label: "dev sandbox" }, FILE);
  assert.ok(!/[^\r]\n/.test(out));
  assert.equal(parseRolesFile(out, FILE)[1]?.externalId, "ext-1234");
  assert.ok(out.includes("# the External ID from the vendor\r\n"));
});

Deno.test("replacing the last role of a file without a final newline keeps that style", () => {
  const text = `[role a]\nrole_arn = ${PROD_ARN}`;
  const out = upsertRole(text, { ...NEW_ROLE, label: "a" }, FILE);
  assert.equal(
    out,
    "[role a]\nrole_arn = arn:aws:iam::444444444444:role/Audit\nexternal_id = ext-1234\nduration_seconds = 1800",
  );
});

Deno.test("an invalid role is refused before the file is touched", () => {
  assert.throws(() => upsertRole(SAMPLE, { ...NEW_ROLE, label: "a]b" }, FILE), UsageError);
  assert.throws(() => upsertRole(SAMPLE, { ...NEW_ROLE, roleArn: "nope" }, FILE), UsageError);
  assert.throws(() => upsertRole(SAMPLE, { ...NEW_ROLE, sourceProfile: "a\nb" }, FILE), UsageError);
  assert.throws(
    () => validateSavedRole({ label: "x", roleArn: "", origin: "xrole" }),
    { message: 'Role "x" has no role ARN' },
  );
});

Deno.test("a file that does not parse is never edited", () => {
  assert.throws(() => upsertRole("[role x\n", NEW_ROLE, FILE), ConfigParseError);
  assert.throws(() => removeRole("garbage", "x", FILE), ConfigParseError);
});

Deno.test("removing a role removes only its section", () => {
  const out = removeRole(SAMPLE, "prod", FILE);
  assert.equal(
    out,
    SAMPLE.replace(/\[role prod\][\s\S]*?\n\n/, ""),
  );
  assert.deepEqual(parseRolesFile(out, FILE).map((r) => r.label), ["dev sandbox"]);
  const both = removeRole(out, "dev sandbox", FILE);
  assert.equal(both, "# xrole roles\n; written by hand\n");
});

Deno.test("removing an unknown role says so", () => {
  assert.throws(() => removeRole(SAMPLE, "nope", FILE), {
    name: "UsageError",
    message: `Unknown role "nope" in "${FILE}"`,
  });
});

Deno.test("add then remove gives back the original text", () => {
  for (const text of [SAMPLE, SAMPLE.replaceAll("\n", "\r\n"), "\uFEFF" + SAMPLE]) {
    assert.equal(removeRole(upsertRole(text, NEW_ROLE, FILE), "audit", FILE), text);
  }
});

Deno.test("random text never makes the roles parser throw anything but ConfigParseError", () => {
  const rand = mulberry32(7);
  const lines = [
    "[role a]",
    "[role b]",
    `role_arn = ${PROD_ARN}`,
    "external_id = abc",
    "duration_seconds = 3600",
    "# c",
    "",
    "[",
    "=",
    "x=y",
    "color = red",
    "region = eu-west-1",
  ];
  let parsed = 0;
  for (let i = 0; i < 3000; i++) {
    const text = Array.from(
      { length: Math.floor(rand() * 8) },
      () => rand() < 0.7 ? lines[Math.floor(rand() * lines.length)] : randomString(rand, 0, 30),
    ).join(rand() < 0.5 ? "\n" : "\r\n");
    try {
      const roles = parseRolesFile(text, FILE);
      parsed++;
      // Whatever parses can be edited and still parses.
      const added = upsertRole(text, NEW_ROLE, FILE);
      assert.ok(parseRolesFile(added, FILE).some((r) => r.label === "audit"));
      for (const r of roles) parseRolesFile(removeRole(added, r.label, FILE), FILE);
    } catch (e) {
      assert.ok(e instanceof ConfigParseError, `${JSON.stringify(text)} threw ${e}`);
      assert.ok(!e.message.includes("\n"));
    }
  }
  assert.ok(parsed > 100 && parsed < 3000, `parsed ${parsed}`);
});
