import assert from "node:assert/strict";
import {
  parseAssumedRoleArn,
  parseMfaSerial,
  parseRoleArn,
  partitionOf,
} from "../../src/core/arn.ts";
import { UsageError } from "../../src/core/errors.ts";
import { mulberry32, randomString } from "./_random.ts";

Deno.test("a plain role ARN is split into account, path and name", () => {
  const r = parseRoleArn("arn:aws:iam::123456789012:role/ReadOnly");
  assert.deepEqual(r, {
    arn: "arn:aws:iam::123456789012:role/ReadOnly",
    partition: "aws",
    accountId: "123456789012",
    path: "/",
    roleName: "ReadOnly",
    pathAndName: "ReadOnly",
  });
});

Deno.test("a role ARN with a path keeps the path for the console's roleName", () => {
  const r = parseRoleArn("  arn:aws-us-gov:iam::000000000001:role/team/ops/Admin+=,.@_-1  ");
  assert.equal(r.partition, "aws-us-gov");
  assert.equal(r.path, "/team/ops/");
  assert.equal(r.roleName, "Admin+=,.@_-1");
  assert.equal(r.pathAndName, "team/ops/Admin+=,.@_-1");
  assert.equal(r.arn, "arn:aws-us-gov:iam::000000000001:role/team/ops/Admin+=,.@_-1");
});

Deno.test("every known partition is accepted", () => {
  for (const p of ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"]) {
    assert.equal(parseRoleArn(`arn:${p}:iam::123456789012:role/R`).partition, p);
  }
});

const BAD_ROLE_ARNS: [string, string][] = [
  ["", 'Invalid role ARN "": expected arn:aws:iam::<12-digit account>:role/<name>'],
  [
    "ReadOnly",
    'Invalid role ARN "ReadOnly": expected arn:aws:iam::<12-digit account>:role/<name>',
  ],
  [
    "arn:aws:iam::123456789012",
    'Invalid role ARN "arn:aws:iam::123456789012": expected arn:aws:iam::<12-digit account>:role/<name>',
  ],
  [
    "arn:foo:iam::123456789012:role/R",
    'Invalid role ARN "arn:foo:iam::123456789012:role/R": unknown partition "foo"',
  ],
  [
    "arn:aws:iam::12345678901:role/R",
    'Invalid role ARN "arn:aws:iam::12345678901:role/R": account id must be 12 digits',
  ],
  [
    "arn:aws:iam::1234567890123:role/R",
    'Invalid role ARN "arn:aws:iam::1234567890123:role/R": account id must be 12 digits',
  ],
  [
    "arn:aws:iam::12345678901a:role/R",
    'Invalid role ARN "arn:aws:iam::12345678901a:role/R": account id must be 12 digits',
  ],
  [
    "arn:aws:iam::123456789012:user/dev",
    'Invalid role ARN "arn:aws:iam::123456789012:user/dev": is a user ARN, not a role',
  ],
  [
    "arn:aws:iam::123456789012:instance-profile/web",
    'Invalid role ARN "arn:aws:iam::123456789012:instance-profile/web": is an instance-profile ARN, not a role',
  ],
  [
    "arn:aws:sts::123456789012:assumed-role/R/s",
    'Invalid role ARN "arn:aws:sts::123456789012:assumed-role/R/s": service must be "iam", not "sts"',
  ],
  [
    "arn:aws:iam:us-east-1:123456789012:role/R",
    'Invalid role ARN "arn:aws:iam:us-east-1:123456789012:role/R": IAM ARNs have no region',
  ],
  [
    "arn:aws:iam::123456789012:role/",
    'Invalid role ARN "arn:aws:iam::123456789012:role/": role name is missing',
  ],
  [
    "arn:aws:iam::123456789012:role",
    'Invalid role ARN "arn:aws:iam::123456789012:role": expected arn:aws:iam::<12-digit account>:role/<name>',
  ],
  [
    "arn:aws:iam::123456789012:role/bad name",
    'Invalid role ARN "arn:aws:iam::123456789012:role/bad name": role name must be 1-64 characters of letters, digits and +=,.@_-',
  ],
  [
    `arn:aws:iam::123456789012:role/${"a".repeat(65)}`,
    `Invalid role ARN "arn:aws:iam::123456789012:role/${
      "a".repeat(65)
    }": role name must be 1-64 characters of letters, digits and +=,.@_-`,
  ],
  [
    "arn:aws:iam::123456789012:role/a//R",
    'Invalid role ARN "arn:aws:iam::123456789012:role/a//R": path segments must be non-empty letters, digits and +=,.@_-',
  ],
  [
    "arn:aws:iam::123456789012:role/a b/R",
    'Invalid role ARN "arn:aws:iam::123456789012:role/a b/R": path segments must be non-empty letters, digits and +=,.@_-',
  ],
  [
    "arn:aws:iam::123456789012:role/R\nx",
    'Invalid role ARN "arn:aws:iam::123456789012:role/R x": role name must be 1-64 characters of letters, digits and +=,.@_-',
  ],
];

for (const [input, message] of BAD_ROLE_ARNS) {
  Deno.test(`the role ARN ${JSON.stringify(input).slice(0, 60)} is refused with a precise message`, () => {
    assert.throws(() => parseRoleArn(input), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.message, message);
      assert.equal(e.exitCode, 2);
      return true;
    });
  });
}

Deno.test("an MFA device ARN and a hardware serial are both accepted", () => {
  assert.deepEqual(parseMfaSerial("arn:aws:iam::111111111111:mfa/dev-phone"), {
    kind: "arn",
    serial: "arn:aws:iam::111111111111:mfa/dev-phone",
    partition: "aws",
    accountId: "111111111111",
    deviceName: "dev-phone",
  });
  assert.deepEqual(parseMfaSerial("GAHT12345678"), { kind: "hardware", serial: "GAHT12345678" });
});

Deno.test("bad MFA serials are refused with one-line messages", () => {
  const cases: [string, string][] = [
    [
      "short",
      'Invalid MFA serial "short": expected an MFA device ARN or a serial of 9-256 characters of letters, digits and +=/:,.@_-',
    ],
    [
      "arn:aws:iam::111111111111:role/R",
      'Invalid MFA serial "arn:aws:iam::111111111111:role/R": expected arn:aws:iam::<12-digit account>:mfa/<device name>',
    ],
    [
      "arn:aws:iam::1111:mfa/dev",
      'Invalid MFA serial "arn:aws:iam::1111:mfa/dev": account id must be 12 digits',
    ],
    [
      "arn:aws:iam::111111111111:mfa/",
      'Invalid MFA serial "arn:aws:iam::111111111111:mfa/": device name must be letters, digits and +=,.@_-',
    ],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => parseMfaSerial(input), { name: "UsageError", message });
  }
});

Deno.test("an assumed-role ARN gives the account, role and session", () => {
  assert.deepEqual(
    parseAssumedRoleArn("arn:aws:sts::222222222222:assumed-role/ReadOnly/xrole-dev"),
    {
      arn: "arn:aws:sts::222222222222:assumed-role/ReadOnly/xrole-dev",
      partition: "aws",
      accountId: "222222222222",
      roleName: "ReadOnly",
      sessionName: "xrole-dev",
    },
  );
  assert.throws(
    () => parseAssumedRoleArn("arn:aws:iam::222222222222:role/ReadOnly"),
    { name: "UsageError", message: /^Invalid assumed-role ARN .*service must be "sts"/ },
  );
  assert.throws(
    () => parseAssumedRoleArn("arn:aws:sts::222222222222:assumed-role/ReadOnly"),
    UsageError,
  );
});

Deno.test("the partition follows the region's prefix", () => {
  assert.equal(partitionOf("eu-west-1"), "aws");
  assert.equal(partitionOf("cn-north-1"), "aws-cn");
  assert.equal(partitionOf("us-gov-west-1"), "aws-us-gov");
  assert.equal(partitionOf("us-iso-east-1"), "aws-iso");
  assert.equal(partitionOf("us-isob-east-1"), "aws-iso-b");
});

Deno.test("random text never makes the ARN parsers throw anything but a UsageError", () => {
  const rand = mulberry32(20261201);
  const pieces = [
    "arn",
    ":",
    "aws",
    "iam",
    "role/",
    "mfa/",
    "123456789012",
    "/",
    "sts",
    "\n",
    "é",
    "🙂",
  ];
  let accepted = 0;
  for (let i = 0; i < 4000; i++) {
    const text = rand() < 0.5
      ? randomString(rand, 0, 80)
      : Array.from({ length: Math.floor(rand() * 10) }, () =>
        pieces[Math.floor(rand() * pieces.length)]).join("");
    for (const parse of [parseRoleArn, parseMfaSerial, parseAssumedRoleArn]) {
      try {
        parse(text);
        accepted++;
      } catch (e) {
        assert.ok(e instanceof UsageError, `${parse.name}(${JSON.stringify(text)}) threw ${e}`);
        assert.ok(!e.message.includes("\n"), `multi-line message for ${JSON.stringify(text)}`);
      }
    }
  }
  assert.ok(accepted < 3 * 4000);
});
