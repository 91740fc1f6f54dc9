import assert from "node:assert/strict";
import { awsConfigPath, awsCredentialsPath, cacheDir, configDir } from "../../src/config/dirs.ts";
import { UsageError } from "../../src/core/errors.ts";

Deno.test("the config dir prefers XROLE_CONFIG_DIR, then XDG_CONFIG_HOME, then HOME", () => {
  const home = { HOME: "/home/u" };
  assert.equal(configDir(home), "/home/u/.config/xrole");
  assert.equal(configDir({ ...home, XDG_CONFIG_HOME: "/xdg" }), "/xdg/xrole");
  assert.equal(configDir({ ...home, XDG_CONFIG_HOME: "relative" }), "/home/u/.config/xrole");
  assert.equal(
    configDir({ ...home, XDG_CONFIG_HOME: "/xdg", XROLE_CONFIG_DIR: "/own" }),
    "/own",
  );
  assert.equal(configDir({ ...home, XROLE_CONFIG_DIR: "~/cfg" }), "/home/u/cfg");
  assert.equal(configDir({ USERPROFILE: "/win/u" }), "/win/u/.config/xrole");
});

Deno.test("the cache dir prefers XROLE_CACHE_DIR, then XDG_CACHE_HOME, then HOME", () => {
  assert.equal(cacheDir({ HOME: "/home/u" }), "/home/u/.cache/xrole");
  assert.equal(cacheDir({ HOME: "/home/u", XDG_CACHE_HOME: "/c" }), "/c/xrole");
  assert.equal(cacheDir({ XROLE_CACHE_DIR: "/own" }), "/own");
});

Deno.test("the AWS files honour AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE", () => {
  assert.equal(awsConfigPath({ HOME: "/home/u" }), "/home/u/.aws/config");
  assert.equal(awsCredentialsPath({ HOME: "/home/u" }), "/home/u/.aws/credentials");
  assert.equal(awsConfigPath({ AWS_CONFIG_FILE: "/etc/aws.cfg" }), "/etc/aws.cfg");
  assert.equal(
    awsCredentialsPath({ HOME: "/h", AWS_SHARED_CREDENTIALS_FILE: "~/creds" }),
    "/h/creds",
  );
});

Deno.test("without a home directory or an override, xrole says what to set", () => {
  assert.throws(() => configDir({}), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.equal(e.message, "Cannot find the home directory: set HOME (or XROLE_CONFIG_DIR)");
    return true;
  });
  assert.throws(() => cacheDir({}), {
    message: "Cannot find the home directory: set HOME (or XROLE_CACHE_DIR)",
  });
  assert.throws(() => awsConfigPath({}), {
    message: "Cannot find the home directory: set HOME (or AWS_CONFIG_FILE)",
  });
  assert.throws(() => awsCredentialsPath({ AWS_SHARED_CREDENTIALS_FILE: "~/x" }), {
    message: "Cannot find the home directory: set HOME (or AWS_SHARED_CREDENTIALS_FILE)",
  });
});
