import assert from "node:assert/strict";
import {
  credentialVars,
  csvField,
  formatBuckets,
  formatCredentials,
  formatDuration,
  type OutputRow,
  shellQuote,
  sortRows,
} from "../../src/core/format.ts";
import type { AssumedSession } from "../../src/core/model.ts";
import { ROWS } from "./_rows.ts";

Deno.test("JSON output is an array of name, region, created and error, in the given order", () => {
  const out = formatBuckets(ROWS, "json");
  assert.ok(out.endsWith("]\n"));
  assert.ok(out.includes('\n  {\n    "name": "acme-logs",'), "2-space indent");
  assert.deepEqual(JSON.parse(out), [
    { name: "acme-logs", region: "eu-west-1", created: "2021-03-04T05:06:07.000Z" },
    {
      name: "acme-private",
      region: null,
      created: "2020-01-01T00:00:00.000Z",
      error: "AccessDenied",
    },
    { name: "acme-héad", region: "us-west-2", created: null, regionSource: "head" },
    { name: "acme-slow", region: null, created: "2022-12-31T23:59:59.000Z" },
  ]);
  assert.equal(formatBuckets([], "json"), "[]\n");
});

Deno.test("JSON output gains account and role keys when rows carry them", () => {
  const rows: OutputRow[] = [
    { ...ROWS[0]!, account: "222222222222", role: "prod" },
    { name: "b", state: "done", region: "us-east-1", account: "333333333333", role: "dev" },
  ];
  const out = JSON.parse(formatBuckets(rows, "json"));
  assert.deepEqual(Object.keys(out[0]), ["account", "role", "name", "region", "created"]);
  assert.equal(out[1].account, "333333333333");
});

Deno.test("CSV output has a header row and RFC 4180 quoting", () => {
  const rows: OutputRow[] = [
    ...ROWS,
    { name: 'odd,"name"', state: "error", error: "time\nout" },
  ];
  assert.equal(
    formatBuckets(rows, "csv"),
    [
      "name,region,created,error",
      "acme-logs,eu-west-1,2021-03-04T05:06:07.000Z,",
      "acme-private,,2020-01-01T00:00:00.000Z,AccessDenied",
      "acme-héad,us-west-2,,",
      "acme-slow,,2022-12-31T23:59:59.000Z,",
      '"odd,""name""",,,"time\nout"',
      "",
    ].join("\n"),
  );
  assert.equal(csvField("plain"), "plain");
  assert.equal(csvField("a\r\nb"), '"a\r\nb"');
});

Deno.test("TSV output replaces tabs and line breaks inside values", () => {
  const rows: OutputRow[] = [
    { name: "a\tb", state: "error", error: "x\ny", account: "1", role: "r" },
  ];
  assert.equal(
    formatBuckets(rows, "tsv"),
    "account\trole\tname\tregion\tcreated\terror\n1\tr\ta b\t\t\tx y\n",
  );
});

Deno.test("sorting is stable and keeps unknown values last in both directions", () => {
  const rows: OutputRow[] = [
    { name: "c", state: "done", region: "eu-west-1", created: new Date(3) },
    { name: "a", state: "pending" },
    { name: "b", state: "done", region: "ap-south-1", created: new Date(1) },
    { name: "d", state: "done", region: "eu-west-1", created: new Date(2) },
    { name: "e", state: "error", error: "AccessDenied", created: new Date(5) },
  ];
  const names = (r: OutputRow[]) => r.map((x) => x.name).join("");
  assert.equal(names(sortRows(rows, "name")), "abcde");
  assert.equal(names(sortRows(rows, "name", "desc")), "edcba");
  assert.equal(names(sortRows(rows, "region")), "bcdae");
  assert.equal(names(sortRows(rows, "region", "desc")), "cdbae");
  assert.equal(names(sortRows(rows, "created")), "bdcea");
  assert.equal(names(sortRows(rows, "created", "desc")), "ecdba");
  assert.equal(names(rows), "cabde", "the input is not modified");
});

const SESSION: AssumedSession = {
  credentials: {
    accessKeyId: "ASIAEXAMPLE",
    secretAccessKey: "se/cr+et=",
    sessionToken: "tok'en with space",
    expiration: new Date("2030-01-02T03:04:05Z"),
  },
  assumedRoleArn: "arn:aws:sts::222222222222:assumed-role/ReadOnly/xrole-dev",
  assumedRoleId: "AROAEXAMPLE:xrole-dev",
  accountId: "222222222222",
  roleArn: "arn:aws:iam::222222222222:role/ReadOnly",
  sessionName: "xrole-dev",
  region: "eu-west-1",
};

Deno.test("env format prints shell export lines that sh reads back", async () => {
  const out = formatCredentials(SESSION, "env");
  assert.equal(
    out,
    [
      "export AWS_ACCESS_KEY_ID=ASIAEXAMPLE",
      "export AWS_SECRET_ACCESS_KEY=se/cr+et=",
      "export AWS_SESSION_TOKEN='tok'\\''en with space'",
      "export AWS_REGION=eu-west-1",
      "export AWS_CREDENTIAL_EXPIRATION=2030-01-02T03:04:05.000Z",
      "",
    ].join("\n"),
  );
  assert.equal(shellQuote(""), "''");
  // The quoting is proven by a real shell when one is available (tests run with --allow-run).
  const canRun = (await Deno.permissions.query({ name: "run" })).state === "granted";
  if (canRun) {
    const cmd = new Deno.Command("/bin/sh", {
      args: ["-c", `${out}printf %s "$AWS_SESSION_TOKEN"`],
      stdout: "piped",
    });
    const { stdout } = await cmd.output();
    assert.equal(new TextDecoder().decode(stdout), "tok'en with space");
  }
});

Deno.test("json format has the STS AssumeRole shape", () => {
  assert.deepEqual(JSON.parse(formatCredentials(SESSION, "json")), {
    Credentials: {
      AccessKeyId: "ASIAEXAMPLE",
      SecretAccessKey: "se/cr+et=",
      SessionToken: "tok'en with space",
      Expiration: "2030-01-02T03:04:05.000Z",
    },
    AssumedRoleUser: {
      Arn: "arn:aws:sts::222222222222:assumed-role/ReadOnly/xrole-dev",
      AssumedRoleId: "AROAEXAMPLE:xrole-dev",
    },
  });
});

Deno.test("credential-process format is the Version 1 JSON", () => {
  assert.deepEqual(JSON.parse(formatCredentials(SESSION, "credential-process")), {
    Version: 1,
    AccessKeyId: "ASIAEXAMPLE",
    SecretAccessKey: "se/cr+et=",
    SessionToken: "tok'en with space",
    Expiration: "2030-01-02T03:04:05.000Z",
  });
});

Deno.test("dotenv format prints KEY=value lines, quoting when needed", () => {
  assert.equal(
    formatCredentials(SESSION, "dotenv"),
    [
      "AWS_ACCESS_KEY_ID=ASIAEXAMPLE",
      "AWS_SECRET_ACCESS_KEY=se/cr+et=",
      'AWS_SESSION_TOKEN="tok\'en with space"',
      "AWS_REGION=eu-west-1",
      "AWS_CREDENTIAL_EXPIRATION=2030-01-02T03:04:05.000Z",
      "",
    ].join("\n"),
  );
  const vars = Object.fromEntries(credentialVars(SESSION.credentials, SESSION.region));
  assert.equal(vars.AWS_SESSION_TOKEN, "tok'en with space");
  assert.deepEqual(credentialVars({ accessKeyId: "AKIA", secretAccessKey: "s" }, "us-east-1"), [
    ["AWS_ACCESS_KEY_ID", "AKIA"],
    ["AWS_SECRET_ACCESS_KEY", "s"],
    ["AWS_REGION", "us-east-1"],
  ], "static keys carry no token or expiration");
});

Deno.test("time left reads as hours and minutes, or minutes and seconds", () => {
  assert.equal(formatDuration(59 * 60_000 + 12_000), "59m 12s");
  assert.equal(formatDuration(62 * 60_000), "1h 02m");
  assert.equal(formatDuration(12 * 3600_000), "12h 00m");
  assert.equal(formatDuration(42_500), "42s");
  assert.equal(formatDuration(61_000), "1m 01s");
  assert.equal(formatDuration(0), "expired");
  assert.equal(formatDuration(-5), "expired");
});
