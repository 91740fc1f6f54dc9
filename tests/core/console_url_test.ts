import assert from "node:assert/strict";
import {
  bucketArn,
  bucketConsoleUrl,
  signinHost,
  switchRoleUrl,
} from "../../src/core/console_url.ts";
import { UsageError } from "../../src/core/errors.ts";

Deno.test("the Switch Role URL carries account, role path and name, label and colour", () => {
  const url = switchRoleUrl({
    label: "prod read/only & more",
    roleArn: "arn:aws:iam::222222222222:role/ops/ReadOnly",
    color: "red",
    origin: "xrole",
  });
  assert.equal(
    url,
    "https://signin.aws.amazon.com/switchrole?account=222222222222&roleName=ops%2FReadOnly&displayName=prod%20read%2Fonly%20%26%20more&color=F2B0A9",
  );
  const parsed = new URL(url);
  assert.equal(parsed.searchParams.get("roleName"), "ops/ReadOnly");
  assert.equal(parsed.searchParams.get("displayName"), "prod read/only & more");
});

Deno.test("a role without colour gets no colour parameter", () => {
  const url = switchRoleUrl({
    label: "dev",
    roleArn: "arn:aws:iam::333333333333:role/Dev",
    origin: "aws-config",
  });
  assert.equal(
    url,
    "https://signin.aws.amazon.com/switchrole?account=333333333333&roleName=Dev&displayName=dev",
  );
});

Deno.test("China and GovCloud roles use their own sign-in hosts", () => {
  const cn = switchRoleUrl({
    label: "cn",
    roleArn: "arn:aws-cn:iam::333333333333:role/R",
    origin: "xrole",
  });
  assert.ok(cn.startsWith("https://signin.amazonaws.cn/switchrole?"));
  const gov = switchRoleUrl({
    label: "gov",
    roleArn: "arn:aws-us-gov:iam::333333333333:role/R",
    origin: "xrole",
  });
  assert.ok(gov.startsWith("https://signin.amazonaws-us-gov.com/switchrole?"));
  assert.equal(signinHost("aws"), "signin.aws.amazon.com");
});

Deno.test("an invalid role ARN gives a usage error, not a broken URL", () => {
  assert.throws(
    () => switchRoleUrl({ label: "x", roleArn: "arn:aws:iam::1:role/R", origin: "xrole" }),
    UsageError,
  );
});

Deno.test("bucket links and ARNs follow the partition", () => {
  assert.equal(
    bucketConsoleUrl("acme.logs", "eu-west-1", "aws"),
    "https://console.aws.amazon.com/s3/buckets/acme.logs?region=eu-west-1&tab=objects",
  );
  assert.equal(
    bucketConsoleUrl("b", "cn-north-1", "aws-cn"),
    "https://console.amazonaws.cn/s3/buckets/b?region=cn-north-1&tab=objects",
  );
  assert.equal(bucketArn("acme-logs", "aws"), "arn:aws:s3:::acme-logs");
  assert.equal(bucketArn("b", "aws-us-gov"), "arn:aws-us-gov:s3:::b");
});
