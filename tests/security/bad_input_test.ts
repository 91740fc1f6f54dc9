/**
 * Bad input is refused clearly: each row runs `main(args, io)` in-process against the simulator
 * and demo files, and expects exactly one line on stderr (`xrole: …`), nothing on stdout, and the
 * documented exit code. `{dir}` in a message stands for the row's own temporary directory.
 * (Random input through the ARN and roles-file parsers is fuzzed in tests/core.)
 */
import assert from "node:assert/strict";
import type { Env } from "../../src/core/env.ts";
import { DEMO, withDemo } from "../cli/_fixture.ts";

const DEV_ARN = DEMO.roles.dev.roleArn;
const A = "arn:aws:iam::123456789012:role/X";

/** Bytes that are not text: NULs, control characters and invalid UTF-8. */
const GARBAGE = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256);

/** An AWS config file with 10,000 role profiles after the demo one. */
function hugeConfig(): string {
  const parts = [`[profile ${DEMO.profile}]\nregion = ${DEMO.region}\n`];
  for (let i = 0; i < 10_000; i++) {
    parts.push(
      `[profile p${i}]\nregion = eu-west-1\nrole_arn = arn:aws:iam::222222222222:role/R${i}\n` +
        `source_profile = ${DEMO.profile}\n`,
    );
  }
  return parts.join("\n");
}

const CYCLES = `[profile ${DEMO.profile}]\nregion = ${DEMO.region}\n\n` +
  `[profile a]\nrole_arn = ${DEV_ARN}\nsource_profile = b\n\n` +
  `[profile b]\nrole_arn = ${DEV_ARN}\nsource_profile = a\n\n` +
  `[profile self]\nrole_arn = ${DEV_ARN}\nsource_profile = self\n\n` +
  `[profile orphan]\nrole_arn = ${DEV_ARN}\nsource_profile = ghost\n`;

interface Case {
  what: string;
  args: string[];
  /** Exact stderr without the "xrole: " prefix and the newline. */
  message: string;
  code: 1 | 2 | 3;
  /** Replace the AWS config file (AWS_CONFIG_FILE points at the row's copy). */
  config?: string | Uint8Array;
  /** Replace the AWS credentials file. */
  credentials?: string | Uint8Array;
  /** Replace roles.ini (XROLE_CONFIG_DIR points at the row's directory). */
  roles?: string | Uint8Array;
  /** Extra environment, given the row's directory. */
  env?: (dir: string) => Env;
  /** The whole command must finish within this many milliseconds. */
  withinMs?: number;
}

const CASES: Case[] = [
  // Role ARNs
  {
    what: "a role ARN that is not an ARN",
    args: ["buckets", "--role-arn", "not-an-arn"],
    message: 'Invalid role ARN "not-an-arn": expected arn:aws:iam::<12-digit account>:role/<name>',
    code: 2,
  },
  {
    what: "a role ARN with a short account id",
    args: ["buckets", "--role-arn", "arn:aws:iam::12345:role/X"],
    message: 'Invalid role ARN "arn:aws:iam::12345:role/X": account id must be 12 digits',
    code: 2,
  },
  {
    what: "an S3 ARN given as a role",
    args: ["buckets", "--role-arn", "arn:aws:s3:::bucket"],
    message: 'Invalid role ARN "arn:aws:s3:::bucket": service must be "iam", not "s3"',
    code: 2,
  },
  {
    what: "a user ARN given as a role",
    args: ["buckets", "--role-arn", "arn:aws:iam::123456789012:user/bob"],
    message: 'Invalid role ARN "arn:aws:iam::123456789012:user/bob": is a user ARN, not a role',
    code: 2,
  },
  {
    what: "a role ARN without a role name",
    args: ["buckets", "--role-arn", "arn:aws:iam::123456789012:role/"],
    message: 'Invalid role ARN "arn:aws:iam::123456789012:role/": role name is missing',
    code: 2,
  },
  {
    what: "a role name with a space",
    args: ["buckets", "--role-arn", "arn:aws:iam::123456789012:role/bad name"],
    message:
      'Invalid role ARN "arn:aws:iam::123456789012:role/bad name": role name must be 1-64 characters of letters, digits and +=,.@_-',
    code: 2,
  },
  {
    what: "a role name of 65 characters",
    args: ["buckets", "--role-arn", `arn:aws:iam::123456789012:role/${"r".repeat(65)}`],
    message: `Invalid role ARN "arn:aws:iam::123456789012:role/${
      "r".repeat(65)
    }": role name must be 1-64 characters of letters, digits and +=,.@_-`,
    code: 2,
  },
  {
    what: "an unknown partition",
    args: ["buckets", "--role-arn", "arn:foo:iam::123456789012:role/X"],
    message: 'Invalid role ARN "arn:foo:iam::123456789012:role/X": unknown partition "foo"',
    code: 2,
  },
  {
    what: "a China role with a source in the aws partition",
    args: ["buckets", "--role-arn", "arn:aws-cn:iam::123456789012:role/X"],
    message:
      'Role ARN "arn:aws-cn:iam::123456789012:role/X" is in partition "aws-cn" but region "eu-west-1" is in "aws": pass --region with a region of "aws-cn"',
    code: 2,
  },
  {
    what: "a GovCloud role with a commercial --region",
    args: [
      "buckets",
      "--role-arn",
      "arn:aws-us-gov:iam::123456789012:role/X",
      "--region",
      "us-east-1",
    ],
    message:
      'Role ARN "arn:aws-us-gov:iam::123456789012:role/X" is in partition "aws-us-gov" but region "us-east-1" is in "aws": pass --region with a region of "aws-us-gov"',
    code: 2,
  },
  {
    what: "a saved role whose ARN is malformed, added by flags",
    args: ["roles", "add", "ok", "--role-arn", "bad"],
    message: 'Invalid role ARN "bad": expected arn:aws:iam::<12-digit account>:role/<name>',
    code: 2,
  },
  // External IDs (the value itself is never echoed whole)
  {
    what: "an External ID of one character",
    args: ["buckets", "--role-arn", A, "--external-id", "a"],
    message: 'Invalid External ID "…": must be 2-1224 characters (got 1)',
    code: 2,
  },
  {
    what: "an External ID of 1225 characters",
    args: ["buckets", "--role-arn", A, "--external-id", "x".repeat(1225)],
    message: 'Invalid External ID "xx…xx": must be 2-1224 characters (got 1225)',
    code: 2,
  },
  {
    what: "an External ID with a space",
    args: ["buckets", "--role-arn", A, "--external-id", "abc def"],
    message:
      'Invalid External ID "a…f": character " " is not allowed (use letters, digits and +=,.@:/_-)',
    code: 2,
  },
  {
    what: "an External ID with a dollar sign",
    args: ["buckets", "--role-arn", A, "--external-id", "abc$"],
    message:
      'Invalid External ID "…": character "$" is not allowed (use letters, digits and +=,.@:/_-)',
    code: 2,
  },
  {
    what: "an empty External ID",
    args: ["buckets", "--role-arn", A, "--external-id", ""],
    message: 'Invalid External ID "…": must be 2-1224 characters (got 0)',
    code: 2,
  },
  // Session names
  {
    what: "a session name of 65 characters",
    args: ["buckets", "--role-arn", A, "--session-name", "s".repeat(65)],
    message: `Invalid session name "${"s".repeat(65)}": must be 2-64 characters (got 65)`,
    code: 2,
  },
  {
    what: "a session name with a space and an exclamation mark",
    args: ["buckets", "--role-arn", A, "--session-name", "bad name!"],
    message:
      'Invalid session name "bad name!": character " " is not allowed (use letters, digits and +=,.@_-)',
    code: 2,
  },
  {
    what: "a session name of one character",
    args: ["buckets", "--role-arn", A, "--session-name", "a"],
    message: 'Invalid session name "a": must be 2-64 characters (got 1)',
    code: 2,
  },
  // Durations
  {
    what: "a duration below 15 minutes",
    args: ["buckets", "--role-arn", A, "--duration", "899"],
    message: "Invalid duration 899: must be between 900 and 43200 seconds",
    code: 2,
  },
  {
    what: "a duration above 12 hours",
    args: ["buckets", "--role-arn", A, "--duration", "43201"],
    message: "Invalid duration 43201: must be between 900 and 43200 seconds",
    code: 2,
  },
  {
    what: 'a duration written "1h"',
    args: ["buckets", "--role-arn", A, "--duration", "1h"],
    message: 'Invalid duration "1h": must be a whole number of seconds',
    code: 2,
  },
  {
    what: "a fractional duration",
    args: ["buckets", "--role-arn", A, "--duration", "3600.5"],
    message: 'Invalid duration "3600.5": must be a whole number of seconds',
    code: 2,
  },
  {
    what: "a duration above the role's own maximum (AWS refuses it)",
    args: ["buckets", "--role", "test", "--duration", "7200"],
    message:
      /^AssumeRole failed: ValidationError: The requested DurationSeconds exceeds the MaxSessionDuration set for this role\. \(request id [0-9A-F]+\)$/
        .source,
    code: 1,
  },
  // MFA codes and devices (the code is never echoed)
  {
    what: "an MFA code of five digits",
    args: ["buckets", "--role", "prod", "--mfa-code", "12345"],
    message: "Invalid MFA code: must be exactly 6 digits",
    code: 2,
  },
  {
    what: "an MFA code of letters",
    args: ["buckets", "--role", "prod", "--mfa-code", "abcdef"],
    message: "Invalid MFA code: must be exactly 6 digits",
    code: 2,
  },
  {
    what: "an MFA code of seven digits",
    args: ["buckets", "--role", "prod", "--mfa-code", "1234567"],
    message: "Invalid MFA code: must be exactly 6 digits",
    code: 2,
  },
  {
    what: "a wrong MFA code",
    args: ["buckets", "--role", "prod", "--mfa-code", "654321"],
    message:
      /^AssumeRole failed: AccessDenied: MultiFactorAuthentication failed with invalid MFA one time pass code\. \(request id [0-9A-F]+\)$/
        .source,
    code: 3,
  },
  {
    what: "an MFA serial with a space",
    args: ["buckets", "--role-arn", DEV_ARN, "--mfa-serial", "bad serial!"],
    message:
      'Invalid MFA serial "bad serial!": expected an MFA device ARN or a serial of 9-256 characters of letters, digits and +=/:,.@_-',
    code: 2,
  },
  {
    what: "an MFA role without a code and without a terminal",
    args: ["buckets", "--role", "prod"],
    message: 'Role "prod" needs an MFA code: pass --mfa-code',
    code: 2,
  },
  {
    what: "an MFA code for a role without an MFA device",
    args: ["buckets", "--role", "dev", "--mfa-code", "123456"],
    message: 'Flag --mfa-code needs an MFA device: pass --mfa-serial ARN (role "dev" has none)',
    code: 2,
  },
  // Unknown profiles and roles, profiles without credentials, source_profile cycles
  {
    what: "an unknown profile",
    args: ["buckets", "--profile", "nope", "--role", "dev"],
    message: 'Unknown profile "nope"',
    code: 2,
  },
  {
    what: "an empty profile name",
    args: ["buckets", "--profile", "", "--role", "dev"],
    message: 'Invalid profile "": must not be empty',
    code: 2,
  },
  {
    what: "an unknown role",
    args: ["buckets", "--role", "nope"],
    message: 'Unknown role "nope": known roles are "dev", "test", "prod", "wrong-id", "cfg-dev"',
    code: 2,
  },
  {
    what: "an unknown role to remove",
    args: ["roles", "remove", "nope"],
    message: 'Unknown role "nope" (see "xrole roles list")',
    code: 2,
  },
  {
    what: "a profile without credentials",
    args: ["buckets", "--profile", "broken", "--role", "dev"],
    message: 'Profile "broken" has no credentials',
    code: 2,
  },
  {
    what: "AWS_PROFILE naming a profile without credentials",
    args: ["buckets", "--role", "dev"],
    env: () => ({ AWS_PROFILE: "broken" }),
    message: 'Profile "broken" has no credentials',
    code: 2,
  },
  {
    what: "a wrong secret key in the credentials file",
    args: ["buckets", "--profile", "bad-secret", "--role", "dev"],
    message:
      /^GetCallerIdentity failed: SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided\. .+ \(request id [0-9A-F]+\)$/
        .source,
    code: 3,
  },
  {
    what: "two profiles whose source_profile point at each other",
    args: ["buckets", "--profile", "a", "--no-assume"],
    config: CYCLES,
    message: 'Profile "a" has a source_profile cycle',
    code: 2,
  },
  {
    what: "a profile that is its own source_profile",
    args: ["buckets", "--profile", "self", "--no-assume"],
    config: CYCLES,
    message: 'Profile "self" has a source_profile cycle',
    code: 2,
  },
  {
    what: "a role profile in a cycle used as --role",
    args: ["buckets", "--role", "a"],
    config: CYCLES,
    message: 'Profile "b" has a source_profile cycle',
    code: 2,
  },
  {
    what: "a source_profile naming a profile that does not exist",
    args: ["buckets", "--profile", "orphan", "--no-assume"],
    config: CYCLES,
    message: 'Profile "orphan" has no credentials',
    code: 2,
  },
  {
    what: "a credential_process that fails",
    args: ["buckets", "--profile", "proc-fails", "--role", "dev"],
    config: `[profile proc-fails]\ncredential_process = /bin/sh -c "exit 7"\n`,
    message: 'Profile "proc-fails": credential_process exited with code 7',
    code: 2,
  },
  {
    what: "a credential_process that prints no credentials (its output is never quoted)",
    args: ["buckets", "--profile", "proc-junk", "--role", "dev"],
    config: `[profile proc-junk]\ncredential_process = echo not-json-secret-ish\n`,
    message:
      'Profile "proc-junk": credential_process printed no valid credentials (expected JSON with Version 1, AccessKeyId and SecretAccessKey)',
    code: 2,
  },
  // Config files: missing, unreadable, binary garbage, huge, duplicates, BOM and CRLF
  {
    what: "missing AWS config and credentials files",
    args: ["buckets", "--role", "dev"],
    env: (dir) => ({
      AWS_CONFIG_FILE: `${dir}/missing/config`,
      AWS_SHARED_CREDENTIALS_FILE: `${dir}/missing/credentials`,
    }),
    message: 'Unknown profile "demo"',
    code: 2,
  },
  {
    what: "a missing roles file",
    args: ["buckets", "--role", "dev"],
    env: (dir) => ({ XROLE_CONFIG_DIR: `${dir}/missing` }),
    message: 'Unknown role "dev": known roles are "cfg-dev"',
    code: 2,
  },
  {
    what: "an AWS config path that is a directory",
    args: ["buckets", "--role", "dev"],
    env: (dir) => ({ AWS_CONFIG_FILE: dir }),
    message: 'Cannot read AWS config file "{dir}": it is a directory',
    code: 2,
  },
  {
    what: "an AWS credentials path that is a directory",
    args: ["buckets", "--role", "dev"],
    env: (dir) => ({ AWS_SHARED_CREDENTIALS_FILE: dir }),
    message: 'Cannot read AWS credentials file "{dir}": it is a directory',
    code: 2,
  },
  {
    what: "a roles file that is a directory",
    args: ["buckets", "--role", "dev"],
    env: (dir) => ({ XROLE_CONFIG_DIR: `${dir}/x` }),
    roles: "(directory)",
    message: 'Cannot read "{dir}/x/roles.ini": it is a directory',
    code: 2,
  },
  {
    what: "a roles file of binary garbage",
    args: ["buckets", "--role", "dev"],
    roles: GARBAGE,
    message: 'Cannot parse "{dir}/roles.ini" line 2: binary data, not a text file',
    code: 2,
  },
  {
    what: "saving into a roles file of binary garbage (never rewritten)",
    args: ["roles", "add", "x", "--role-arn", DEV_ARN],
    roles: GARBAGE,
    message: 'Cannot parse "{dir}/roles.ini" line 2: binary data, not a text file',
    code: 2,
  },
  {
    what: "an AWS credentials file of binary garbage (no profiles in it)",
    args: ["buckets", "--role", "dev"],
    credentials: GARBAGE,
    message: 'Profile "demo" has no credentials',
    code: 2,
  },
  {
    what: "an AWS config file of binary garbage and no credentials",
    args: ["buckets", "--role", "dev"],
    config: GARBAGE,
    credentials: "",
    message: 'Unknown profile "demo"',
    code: 2,
  },
  {
    what: "a roles file with the same section twice",
    args: ["buckets", "--role", "dev"],
    roles: `[role dev]\nrole_arn = ${DEV_ARN}\n\n[role dev]\nrole_arn = ${DEV_ARN}\n`,
    message:
      'Cannot parse "{dir}/roles.ini" line 4: duplicate section [role dev] (first on line 1)',
    code: 2,
  },
  {
    what: "a roles file with a BOM and CRLF line endings and a bad third line",
    args: ["buckets", "--role", "dev"],
    roles: `\uFEFF[role dev]\r\nrole_arn = ${DEV_ARN}\r\nthis is not a key\r\n`,
    message:
      'Cannot parse "{dir}/roles.ini" line 3: expected "key = value", got "this is not a key"',
    code: 2,
  },
  {
    what: "a roles file with a role without role_arn",
    args: ["buckets", "--role", "dev"],
    roles: `# mine\n[role dev]\nregion = eu-west-1\n`,
    message: 'Cannot parse "{dir}/roles.ini" line 2: section [role dev] has no role_arn',
    code: 2,
  },
  {
    what: "an unknown profile among 10,000 profiles (still fast)",
    args: ["buckets", "--profile", "nope", "--role", "dev"],
    config: hugeConfig(),
    message: 'Unknown profile "nope"',
    code: 2,
    withinMs: 5_000,
  },
  {
    what: "an unknown role among 10,000 role profiles (still fast)",
    args: ["buckets", "--role", "nope"],
    config: hugeConfig(),
    message:
      'Unknown role "nope": known roles are "dev", "test", "prod", "wrong-id", "p0", "p1", "p10", "p100", …',
    code: 2,
    withinMs: 5_000,
  },
  {
    what: "no HOME and no explicit paths",
    args: ["buckets", "--role", "dev"],
    env: () => ({
      HOME: undefined,
      XROLE_CONFIG_DIR: undefined,
      AWS_CONFIG_FILE: undefined,
      AWS_SHARED_CREDENTIALS_FILE: undefined,
    }),
    message: "Cannot find the home directory: set HOME (or XROLE_CONFIG_DIR)",
    code: 2,
  },
  // Flags that conflict or are malformed
  {
    what: "both --role and --role-arn",
    args: ["buckets", "--role", "dev", "--role-arn", DEV_ARN],
    message: "Conflicting flags: pass --role or --role-arn, not both",
    code: 2,
  },
  {
    what: "--no-assume with --role",
    args: ["buckets", "--no-assume", "--role", "dev"],
    message: "Conflicting flags: --no-assume assumes no role, so --role is wrong",
    code: 2,
  },
  {
    what: "--external-id without a role",
    args: ["buckets", "--external-id", "abc123"],
    message: "Flag --external-id needs a role: pass --role LABEL or --role-arn ARN",
    code: 2,
  },
  {
    what: "an unknown output format",
    args: ["buckets", "--role", "dev", "--format", "xml"],
    message:
      'Option "--format <format>" argument "xml" is invalid. Allowed choices are table, json, csv, tsv. (see "xrole --help")',
    code: 2,
  },
  {
    what: "a concurrency of zero",
    args: ["buckets", "--role", "dev", "--concurrency", "0"],
    message: 'Invalid --concurrency "0": must be a whole number from 1 to 1024',
    code: 2,
  },
  {
    what: "a negative timeout",
    args: ["buckets", "--role", "dev", "--timeout", "-1"],
    message: 'Invalid --timeout "-1": must be a number of seconds above 0, at most 3600',
    code: 2,
  },
  {
    what: "a region that is not a region",
    args: ["buckets", "--role", "dev", "--region", "moon-1"],
    message: 'Invalid region "moon-1": expected a name like "eu-west-1"',
    code: 2,
  },
  {
    what: "an endpoint URL that is not a URL",
    args: ["buckets", "--role", "dev", "--endpoint-url", "not a url"],
    message:
      'Invalid --endpoint-url "not a url": expected an http or https URL like "http://127.0.0.1:4566"',
    code: 2,
  },
  {
    what: "an endpoint URL with another scheme",
    args: ["buckets", "--role", "dev", "--endpoint-url", "ftp://127.0.0.1:1"],
    message:
      'Invalid --endpoint-url "ftp://127.0.0.1:1": expected an http or https URL like "http://127.0.0.1:4566"',
    code: 2,
  },
  {
    what: "an endpoint URL carrying a password",
    args: ["buckets", "--role", "dev", "--endpoint-url", "http://me:hunter2@127.0.0.1:1"],
    message: 'Invalid --endpoint-url "127.0.0.1:1": must not contain a user name or password',
    code: 2,
  },
  {
    what: "a label with a closing bracket",
    args: ["roles", "add", "x]y", "--role-arn", DEV_ARN],
    message: 'Invalid label "x]y": must not contain "]" or a line break',
    code: 2,
  },
  {
    what: "an unknown Switch Role colour",
    args: ["roles", "add", "ok", "--role-arn", DEV_ARN, "--role-color", "purple"],
    message: 'Invalid colour "purple": expected one of red, orange, yellow, green, blue',
    code: 2,
  },
  {
    what: "exec without a command",
    args: ["exec", "--role", "dev"],
    message: 'Missing required argument "command" (see "xrole --help")',
    code: 2,
  },
  {
    what: "a misspelt command",
    args: ["bukets"],
    message: 'Unknown command "bukets" (did you mean buckets?) (see "xrole --help")',
    code: 2,
  },
  {
    what: "a misspelt option",
    args: ["buckets", "--rol", "dev"],
    message: 'Unknown option "--rol" (did you mean --role?) (see "xrole --help")',
    code: 2,
  },
];

const isPattern = (m: string) => m.startsWith("^") && m.endsWith("$");

Deno.test(`${CASES.length} bad inputs are each refused with one exact line on stderr, nothing on stdout and their exit code`, async (t) => {
  assert.ok(CASES.length >= 40);
  await withDemo(async ({ run, env, dir }) => {
    let n = 0;
    for (const c of CASES) {
      await t.step(c.what, async () => {
        const rowDir = `${dir}/row-${++n}`;
        await Deno.mkdir(rowDir, { recursive: true });
        const over: Record<string, string | undefined> = {};
        const write = (path: string, data: string | Uint8Array) =>
          typeof data === "string" ? Deno.writeTextFile(path, data) : Deno.writeFile(path, data);
        if (c.config !== undefined) {
          await write(`${rowDir}/config`, c.config);
          over.AWS_CONFIG_FILE = `${rowDir}/config`;
        }
        if (c.credentials !== undefined) {
          await write(`${rowDir}/credentials`, c.credentials);
          over.AWS_SHARED_CREDENTIALS_FILE = `${rowDir}/credentials`;
        }
        if (c.roles !== undefined) {
          if (c.roles === "(directory)") {
            await Deno.mkdir(`${rowDir}/x/roles.ini`, { recursive: true });
          } else {
            await write(`${rowDir}/roles.ini`, c.roles);
            over.XROLE_CONFIG_DIR = rowDir;
          }
        }
        const rowEnv: Env = { ...env, ...over, ...(c.env?.(rowDir) ?? {}) };
        const rolesBefore = c.roles instanceof Uint8Array
          ? await Deno.readFile(`${rowDir}/roles.ini`)
          : undefined;
        const t0 = performance.now();
        const r = await run(c.args, { env: rowEnv });
        const ms = performance.now() - t0;
        const expected = c.message.replaceAll("{dir}", rowDir);
        assert.equal(r.stdout, "", "nothing on stdout");
        assert.equal(r.code, c.code, r.stderr);
        assert.ok(
          r.stderr.endsWith("\n") && r.stderr.indexOf("\n") === r.stderr.length - 1,
          r.stderr,
        );
        const line = r.stderr.replace(/^xrole: /, "").replace(/\n$/, "");
        assert.ok(r.stderr.startsWith("xrole: "), r.stderr);
        if (isPattern(expected)) assert.match(line, new RegExp(expected));
        else assert.equal(line, expected);
        if (c.withinMs !== undefined) {
          assert.ok(ms < c.withinMs, `took ${Math.round(ms)} ms, more than ${c.withinMs} ms`);
        }
        if (rolesBefore) {
          assert.deepEqual(await Deno.readFile(`${rowDir}/roles.ini`), rolesBefore, "unchanged");
        }
      });
    }
  });
});

Deno.test("a BOM and CRLF line endings in every file are read like plain ones", async () => {
  await withDemo(async ({ run, env, dir }) => {
    const crlf = (text: string) => "\uFEFF" + text.replaceAll("\n", "\r\n");
    await Deno.writeTextFile(`${dir}/bom-config`, crlf(`[profile demo]\nregion = eu-west-1\n`));
    await Deno.writeTextFile(
      `${dir}/bom-credentials`,
      crlf(
        `[demo]\naws_access_key_id = ${DEMO.accessKeyId}\n` +
          `aws_secret_access_key = ${DEMO.secretAccessKey}\n`,
      ),
    );
    await Deno.mkdir(`${dir}/bom-xrole`);
    await Deno.writeTextFile(
      `${dir}/bom-xrole/roles.ini`,
      crlf(`[role dev]\nrole_arn = ${DEV_ARN}\nexternal_id = ${DEMO.roles.dev.externalId}\n`),
    );
    const bomEnv: Env = {
      ...env,
      AWS_CONFIG_FILE: `${dir}/bom-config`,
      AWS_SHARED_CREDENTIALS_FILE: `${dir}/bom-credentials`,
      XROLE_CONFIG_DIR: `${dir}/bom-xrole`,
    };
    const plain = await run(["buckets", "--role", "dev", "--format", "csv"]);
    const bom = await run(["buckets", "--role", "dev", "--format", "csv"], { env: bomEnv });
    assert.equal(bom.code, 0, bom.stderr);
    assert.equal(bom.stdout, plain.stdout);
  });
});
