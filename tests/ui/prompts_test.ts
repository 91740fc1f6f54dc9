import assert from "node:assert/strict";
import { PassThrough, Writable } from "node:stream";
import { InterruptedError, UsageError } from "../../src/core/errors.ts";
import { type Choice, makePrompts, matchesTerm, validationMessage } from "../../src/ui/prompts.ts";
import { stripAnsi } from "../../src/ui/theme.ts";

/** A fake terminal: keys go in through `type`, the screen text collects in `screen()`. */
function fakeTerminal() {
  const input = new PassThrough();
  let text = "";
  const output = new Writable({
    write(chunk, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return {
    prompts: makePrompts({ input, output }),
    type: (s: string) => input.write(s),
    screen: () => stripAnsi(text),
    /** Wait until the screen shows `needle`. */
    async waitFor(needle: string | RegExp, timeoutMs = 2000) {
      const t0 = Date.now();
      while (
        !(typeof needle === "string" ? this.screen().includes(needle) : needle.test(this.screen()))
      ) {
        if (Date.now() - t0 > timeoutMs) {
          throw new Error(`timed out waiting for ${needle}: ${this.screen()}`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

const PROFILES: Choice<string>[] = [
  { name: "default  static  us-east-1", value: "default" },
  { name: "dev  static  eu-west-1", value: "dev" },
  { name: "ops  sso  us-west-2", value: "ops", description: "needs aws sso login" },
];

Deno.test("chooseOne narrows the list as you type and returns the chosen value", async () => {
  const t = fakeTerminal();
  const answer = t.prompts.chooseOne("Source profile", PROFILES);
  await t.waitFor("Source profile");
  t.type("sso");
  await t.waitFor(/❯ ops/);
  t.type("\r");
  assert.equal(await answer, "ops");
});

Deno.test("chooseOne starts on the default entry", async () => {
  const t = fakeTerminal();
  const answer = t.prompts.chooseOne("Source profile", PROFILES, { default: "dev" });
  await t.waitFor(/❯ dev/);
  t.type("\r");
  assert.equal(await answer, "dev");
});

Deno.test("arrow keys move through the choices", async () => {
  const t = fakeTerminal();
  const answer = t.prompts.chooseOne("Source profile", PROFILES);
  await t.waitFor(/❯ default/);
  t.type("\x1b[B");
  await t.waitFor(/❯ dev/);
  t.type("\r");
  assert.equal(await answer, "dev");
});

Deno.test("ask rejects invalid text with the validator's message and accepts a fix", async () => {
  const t = fakeTerminal();
  const answer = t.prompts.ask("Role ARN", {
    validate: (v) => {
      if (!v.startsWith("arn:")) {
        throw new UsageError(`Invalid role ARN "${v}": must start with arn:`);
      }
    },
  });
  await t.waitFor("Role ARN");
  t.type("nope\r");
  await t.waitFor('Invalid role ARN "nope": must start with arn:');
  for (let i = 0; i < 4; i++) t.type("\x7f");
  t.type("arn:ok\r");
  assert.equal(await answer, "arn:ok");
});

Deno.test("ask offers a default that Enter accepts", async () => {
  const t = fakeTerminal();
  const answer = t.prompts.ask("Session name", { default: "xrole-dev" });
  await t.waitFor("xrole-dev");
  t.type("\r");
  assert.equal(await answer, "xrole-dev");
});

Deno.test("askSecret never shows what is typed", async () => {
  const t = fakeTerminal();
  const answer = t.prompts.askSecret("MFA code");
  await t.waitFor("MFA code");
  t.type("123456\r");
  assert.equal(await answer, "123456");
  assert.ok(!t.screen().includes("123456"), t.screen());
  assert.ok(t.screen().includes("******"));
});

Deno.test("confirm answers yes to y", async () => {
  const t = fakeTerminal();
  const answer = t.prompts.confirm("Delete role prod?");
  await t.waitFor("Delete role prod?");
  t.type("y\r");
  assert.equal(await answer, true);
});

Deno.test("Ctrl-C in a prompt becomes InterruptedError", async () => {
  const t = fakeTerminal();
  const answer = t.prompts.ask("Label");
  await t.waitFor("Label");
  t.type("\x03");
  await assert.rejects(answer, InterruptedError);
});

Deno.test("a validator rejects by throwing; what it returns does not matter", () => {
  assert.equal(validationMessage(undefined, "x"), true);
  assert.equal(validationMessage(() => undefined, "x"), true);
  assert.equal(validationMessage((v) => v.toUpperCase(), "x"), true, "a normalised value is fine");
  assert.equal(
    validationMessage(() => {
      throw new UsageError("bad");
    }, "x"),
    "bad",
  );
});

Deno.test("search terms match every word in name or description, ignoring case", () => {
  const ops = PROFILES[2]!;
  assert.ok(matchesTerm(ops, "OPS"));
  assert.ok(matchesTerm(ops, "sso login"));
  assert.ok(!matchesTerm(ops, "static"));
  assert.ok(matchesTerm(ops, undefined));
});

Deno.test("after choosing, the summary line shows the choice's short name, not the whole entry", async () => {
  const t = fakeTerminal();
  const choices: Choice<string>[] = PROFILES.map((c) => ({ ...c, short: c.value }));
  const answer = t.prompts.chooseOne("Source profile", choices);
  await t.waitFor(/❯ default/);
  t.type("dev");
  await t.waitFor(/❯ dev/);
  t.type("\r");
  assert.equal(await answer, "dev");
  const lastLine = t.screen().trimEnd().split("\n").at(-1)!;
  assert.match(lastLine, /Source profile dev\s*$/);
  assert.doesNotMatch(lastLine, /static|eu-west-1/);
});
