import assert from "node:assert/strict";
import { AwsError, InterruptedError, UsageError } from "../../src/core/errors.ts";
import type { Io } from "../../src/core/io.ts";
import type { AssumedSession, SavedRole, SourceProfile } from "../../src/core/model.ts";
import {
  type AppServices,
  repeatCommand,
  runFlow,
  runInteractive,
  type SourceHandle,
} from "../../src/ui/app.ts";
import {
  type Choice,
  type Prompts,
  validationMessage,
  type Validator,
} from "../../src/ui/prompts.ts";
import { stripAnsi } from "../../src/ui/theme.ts";
import stringWidth from "string-width";
import type { TableExit } from "../../src/ui/table/prompt.ts";
import type { TableHeader } from "../../src/ui/table/state.ts";

const NOW = new Date("2024-05-01T12:00:00Z");

function fakeIo(env: Record<string, string> = {}) {
  let err = "";
  let out = "";
  const io: Io = {
    env,
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    stdinIsTerminal: true,
    stdoutIsTerminal: true,
    columns: () => 100,
    now: () => NOW,
  };
  return { io, stderr: () => stripAnsi(err), stdout: () => out };
}

/** One scripted answer: pick a choice whose name contains `pick`, type text, or interrupt. */
type Answer =
  | { pick: string }
  | { text: string }
  | { yes: boolean }
  | { interrupt: true };

interface Asked {
  kind: "choose" | "ask" | "secret" | "confirm";
  message: string;
  choices?: string[];
  default?: unknown;
}

function scriptedPrompts(script: Answer[]) {
  const asked: Asked[] = [];
  const next = (kind: Asked["kind"], message: string): Answer => {
    const a = script.shift();
    if (!a) throw new Error(`unexpected ${kind} prompt "${message}"`);
    if ("interrupt" in a) throw new InterruptedError();
    return a;
  };
  const check = (validate: Validator | undefined, value: string) => {
    const r = validationMessage(validate, value);
    if (r !== true) throw new UsageError(`scripted answer rejected: ${r}`);
  };
  const prompts: Prompts = {
    chooseOne<T>(message: string, choices: readonly Choice<T>[], options?: { default?: T }) {
      asked.push({
        kind: "choose",
        message,
        choices: choices.map((c) => c.name),
        default: options?.default,
      });
      const a = next("choose", message);
      if (!("pick" in a)) throw new Error(`expected a pick for "${message}"`);
      const found = choices.find((c) => c.name.includes(a.pick));
      if (!found) {
        throw new Error(`no choice "${a.pick}" in ${choices.map((c) => c.name).join(" | ")}`);
      }
      return Promise.resolve(found.value);
    },
    ask(message, options = {}) {
      asked.push({ kind: "ask", message, default: options.default });
      const a = next("ask", message);
      if (!("text" in a)) throw new Error(`expected text for "${message}"`);
      const value = a.text === "" && options.default !== undefined ? options.default : a.text;
      check(options.validate, value);
      return Promise.resolve(value);
    },
    askSecret(message, options = {}) {
      asked.push({ kind: "secret", message });
      const a = next("secret", message);
      if (!("text" in a)) throw new Error(`expected text for "${message}"`);
      check(options.validate, a.text);
      return Promise.resolve(a.text);
    },
    confirm(message) {
      asked.push({ kind: "confirm", message });
      const a = next("confirm", message);
      if (!("yes" in a)) throw new Error(`expected yes/no for "${message}"`);
      return Promise.resolve(a.yes);
    },
  };
  return { prompts, asked, script };
}

const PROFILES: SourceProfile[] = [
  { name: "default", kind: "static", region: "us-east-1", files: ["credentials"] },
  { name: "demo", kind: "static", region: "eu-west-1", files: ["credentials"] },
  {
    name: "demo-test",
    kind: "role",
    roleArn: "arn:aws:iam::333333333333:role/Test",
    sourceProfile: "demo",
    files: ["config"],
  },
];

const DEV: SavedRole = {
  label: "dev",
  roleArn: "arn:aws:iam::222222222222:role/Dev",
  externalId: "xrole-dev-external",
  color: "green",
  origin: "xrole",
};
const PROD: SavedRole = {
  label: "prod",
  roleArn: "arn:aws:iam::444444444444:role/ProdReadOnly",
  mfaSerial: "arn:aws:iam::111111111111:mfa/dev",
  color: "red",
  origin: "xrole",
};
const CONFIG_ROLE: SavedRole = {
  label: "demo-test",
  roleArn: "arn:aws:iam::333333333333:role/Test",
  origin: "aws-config",
};

function session(role: SavedRole): AssumedSession {
  const account = role.roleArn.split(":")[4]!;
  return {
    credentials: {
      accessKeyId: "ASIAFAKE",
      secretAccessKey: "secret-never-shown",
      sessionToken: "token-never-shown",
      expiration: new Date(NOW.getTime() + 3600_000),
    },
    assumedRoleArn: `arn:aws:sts::${account}:assumed-role/${role.label}/xrole-dev`,
    assumedRoleId: "AROA:xrole-dev",
    accountId: account,
    roleArn: role.roleArn,
    sessionName: "xrole-dev",
    region: "us-east-1",
  };
}

interface FakeOptions {
  roles?: SavedRole[];
  /** Emulate the credential cache: a role assumed once is reused (no call, no MFA code). */
  cache?: boolean;
  tableExits?: (TableExit | "interrupt")[];
  assume?: (role: SavedRole, mfaCode?: string) => Promise<AssumedSession>;
  whoami?: () => Promise<{ account: string; arn: string; userId: string }>;
  profiles?: SourceProfile[];
  /** Runs while the table is open (press keys: call its source, its console…). */
  inTable?: (table: Parameters<AppServices["runTable"]>[0]) => Promise<void>;
}

function fakeServices(prompts: Prompts, opts: FakeOptions = {}) {
  const roles = [...(opts.roles ?? [DEV, PROD])];
  const tableExits = [...(opts.tableExits ?? ["quit"])];
  const cache = new Map<string, AssumedSession>();
  const calls = {
    opened: [] as (string | undefined)[],
    assumed: [] as { label: string; mfaCode?: string; refresh?: boolean }[],
    chains: [] as string[][],
    tables: [] as TableHeader[],
    saved: [] as SavedRole[],
    deleted: [] as string[],
  };
  const services: AppServices = {
    prompts,
    spinnerMs: 0,
    loadProfiles: () =>
      Promise.resolve({
        profiles: opts.profiles ?? PROFILES,
        roleProfiles: [CONFIG_ROLE],
        warnings: [],
      }),
    loadRoles: () => Promise.resolve([...roles]),
    saveRole: (_env, role) => {
      calls.saved.push(role);
      const i = roles.findIndex((r) => r.label === role.label);
      if (i >= 0) roles[i] = role;
      else roles.push(role);
      return Promise.resolve();
    },
    deleteRole: (_env, label) => {
      calls.deleted.push(label);
      roles.splice(roles.findIndex((r) => r.label === label), 1);
      return Promise.resolve();
    },
    openSource: ({ profile }) => {
      calls.opened.push(profile);
      const handle: SourceHandle = {
        profileName: profile ?? "default",
        region: "us-east-1",
        whoami: opts.whoami ??
          (() =>
            Promise.resolve({
              account: "111111111111",
              arn: "arn:aws:iam::111111111111:user/dev",
              userId: "AIDA",
            })),
      };
      return Promise.resolve(handle);
    },
    // Like the real one: each role of the chain from the cache or assumed, the code asked once.
    assume: async (_source, chain, { askMfaCode, refresh }) => {
      calls.chains.push(chain.map((r) => r.label));
      let mfaCode: string | undefined;
      let last: { session: AssumedSession; cached: boolean } | undefined;
      for (const [i, role] of chain.entries()) {
        const isLast = i === chain.length - 1;
        const hit = opts.cache && !(isLast && refresh) ? cache.get(role.label) : undefined;
        if (hit) {
          last = { session: hit, cached: true };
          continue;
        }
        if (role.mfaSerial && mfaCode === undefined) mfaCode = await askMfaCode(role);
        calls.assumed.push({
          label: role.label,
          ...(role.mfaSerial && mfaCode ? { mfaCode } : {}),
          ...(isLast && refresh ? { refresh } : {}),
        });
        const s = opts.assume
          ? await opts.assume(role, role.mfaSerial ? mfaCode : undefined)
          : session(role);
        if (opts.cache) cache.set(role.label, s);
        last = { session: s, cached: false };
      }
      return last!;
    },
    listBuckets: () => Promise.resolve(),
    runTable: async (table) => {
      calls.tables.push(table.header);
      await opts.inTable?.(table);
      const exit = tableExits.shift() ?? "quit";
      if (exit === "interrupt") return Promise.reject(new InterruptedError());
      return Promise.resolve(exit);
    },
    explain: (code) =>
      code === "AccessDenied" ? "the role's trust policy does not trust this account" : undefined,
    onInterrupt: () => () => {},
  };
  return { services, calls };
}

Deno.test("picking a profile and a role opens the bucket table, then quitting prints the repeat command", async () => {
  const { io, stderr, stdout } = fakeIo();
  const p = scriptedPrompts([{ pick: "demo " }, { pick: "dev" }]);
  const { services, calls } = fakeServices(p.prompts);
  const code = await runFlow(io, {}, services);
  assert.equal(code, 0);
  assert.deepEqual(calls.opened, ["demo"]);
  assert.deepEqual(calls.assumed, [{ label: "dev" }]);
  assert.equal(calls.tables[0]?.accountId, "222222222222");
  assert.equal(calls.tables[0]?.roleLabel, "dev");
  assert.match(stderr(), /you are arn:aws:iam::111111111111:user\/dev/);
  assert.match(stderr(), /assumed arn:aws:sts::222222222222:assumed-role\/dev\/xrole-dev/);
  assert.match(stderr(), /1h 00m left/);
  assert.match(stderr(), /xrole buckets --profile demo --role dev\n/);
  assert.equal(stdout(), "", "nothing on stdout: it stays for data");
});

Deno.test("the profile list shows each profile's kind and region and preselects AWS_PROFILE", async () => {
  const { io } = fakeIo({ AWS_PROFILE: "demo" });
  const p = scriptedPrompts([{ pick: "demo " }, { pick: "dev" }]);
  const { services } = fakeServices(p.prompts);
  await runFlow(io, {}, services);
  const first = p.asked[0]!;
  assert.equal(first.message, "Source profile");
  assert.equal(first.default, "demo");
  assert.ok(
    first.choices!.some((c) => /^demo\s+static keys\s+eu-west-1$/.test(c)),
    String(first.choices),
  );
  assert.ok(first.choices!.some((c) => /^demo-test\s+role profile/.test(c)));
});

Deno.test("the role list shows saved roles and AWS config role profiles with account and role name, plus the actions", async () => {
  const { io } = fakeIo();
  const p = scriptedPrompts([{ pick: "demo " }, { pick: "dev" }]);
  const { services } = fakeServices(p.prompts);
  await runFlow(io, { color: false }, services);
  const roles = p.asked[1]!;
  assert.equal(roles.message, "Target role");
  const names = roles.choices!;
  assert.ok(names.some((n) => /dev\s+222222222222\s+Dev/.test(n)), names.join("\n"));
  assert.ok(names.some((n) => /prod\s+444444444444\s+ProdReadOnly/.test(n)));
  assert.ok(names.some((n) => /demo-test\s+333333333333\s+Test \(AWS config\)/.test(n)));
  for (const action of ["Add a role", "Edit a role", "Delete a role", "another source profile"]) {
    assert.ok(names.some((n) => n.includes(action)), action);
  }
});

Deno.test("external IDs are masked in the role list", async () => {
  const { io } = fakeIo();
  const seen: string[] = [];
  const p = scriptedPrompts([{ pick: "demo " }, { pick: "dev" }]);
  const wrapped: Prompts = {
    ...p.prompts,
    chooseOne(message, choices, options) {
      for (const c of choices) seen.push(`${c.name} ${c.description ?? ""}`);
      return p.prompts.chooseOne(message, choices, options);
    },
  };
  const { services } = fakeServices(wrapped);
  await runFlow(io, { color: false }, services);
  const dev = seen.find((s) => s.includes("role/Dev"))!;
  assert.ok(!dev.includes("xrole-dev-external"), dev);
  assert.match(dev, /external id xr…al/);
});

Deno.test("a role with an MFA device asks for the code, masked, and passes it to AssumeRole", async () => {
  const { io, stderr } = fakeIo();
  const p = scriptedPrompts([{ pick: "demo " }, { pick: "prod" }, { text: "123456" }]);
  const { services, calls } = fakeServices(p.prompts);
  assert.equal(await runFlow(io, {}, services), 0);
  const mfa = p.asked.find((a) => a.kind === "secret");
  assert.ok(mfa, "asked with a masked prompt");
  assert.match(mfa.message, /MFA code for prod/);
  assert.deepEqual(calls.assumed, [{ label: "prod", mfaCode: "123456" }]);
  assert.ok(!stderr().includes("123456"), "the code is never echoed");
});

Deno.test("an MFA code that is not 6 digits is refused by the prompt, and prod is not assumed", async () => {
  const { io, stderr } = fakeIo();
  const p = scriptedPrompts([{ pick: "demo " }, { pick: "prod" }, { text: "12345" }, {
    pick: "dev",
  }]);
  const { services, calls } = fakeServices(p.prompts);
  assert.equal(await runFlow(io, {}, services), 0);
  assert.match(stderr(), /6 digits/);
  assert.deepEqual(calls.assumed.map((a) => a.label), ["dev"]);
});

Deno.test("AssumeRole failure shows the code and its meaning, then returns to the role list", async () => {
  const { io, stderr } = fakeIo();
  const p = scriptedPrompts([{ pick: "demo " }, { pick: "dev" }, { pick: "prod" }, {
    text: "123456",
  }]);
  let first = true;
  const { services, calls } = fakeServices(p.prompts, {
    assume: (role) => {
      if (first) {
        first = false;
        return Promise.reject(
          new AwsError("AssumeRole", "AccessDenied", "not authorized", "req-1"),
        );
      }
      return Promise.resolve(session(role));
    },
  });
  assert.equal(await runFlow(io, {}, services), 0);
  assert.match(stderr(), /AssumeRole failed: AccessDenied: not authorized \(request id req-1\)/);
  assert.match(stderr(), /the role's trust policy does not trust this account/);
  assert.ok(!stderr().includes("    at "), "no stack trace");
  assert.deepEqual(calls.assumed.map((a) => a.label), ["dev", "prod"]);
  assert.equal(p.asked.filter((a) => a.message === "Target role").length, 2);
});

Deno.test("b in the table goes back to the role list to switch role", async () => {
  const { io, stderr } = fakeIo();
  const p = scriptedPrompts([{ pick: "demo " }, { pick: "prod" }, { text: "123456" }, {
    pick: "dev",
  }]);
  const { services, calls } = fakeServices(p.prompts, { tableExits: ["back", "quit"] });
  assert.equal(await runFlow(io, {}, services), 0);
  assert.deepEqual(calls.tables.map((t) => t.roleLabel), ["prod", "dev"]);
  assert.match(stderr(), /xrole buckets --profile demo --role dev\n/);
  assert.doesNotMatch(stderr(), /--role prod\n/, "the command repeats the last listing only");
});

Deno.test("the table header carries the role's console colour", async () => {
  const { io } = fakeIo();
  const p = scriptedPrompts([{ pick: "demo " }, { pick: "dev" }]);
  const { services, calls } = fakeServices(p.prompts);
  await runFlow(io, {}, services);
  assert.equal(calls.tables[0]?.roleColor, "B7CA9D");
  assert.equal(calls.tables[0]?.partition, "aws");
});

Deno.test("Ctrl-C in the table returns 130", async () => {
  const { io, stderr } = fakeIo();
  const p = scriptedPrompts([{ pick: "demo " }, { pick: "dev" }]);
  const { services } = fakeServices(p.prompts, { tableExits: ["interrupt"] });
  assert.equal(await runFlow(io, {}, services), 130);
  assert.match(stderr(), /Interrupted/);
  assert.doesNotMatch(stderr(), /xrole buckets/);
});

Deno.test("Ctrl-C in a prompt returns 130", async () => {
  const { io } = fakeIo();
  const p = scriptedPrompts([{ pick: "demo " }, { interrupt: true }]);
  const { services } = fakeServices(p.prompts);
  assert.equal(await runFlow(io, {}, services), 130);
});

Deno.test("Ctrl-C while assuming returns 130", async () => {
  const { io } = fakeIo();
  const p = scriptedPrompts([{ pick: "demo " }, { pick: "dev" }]);
  const { services } = fakeServices(p.prompts, { assume: () => new Promise(() => {}) });
  let interrupt: (() => void) | undefined;
  services.onInterrupt = (h) => {
    interrupt = h;
    return () => (interrupt = undefined);
  };
  const running = runFlow(io, {}, services);
  while (!interrupt) await new Promise((r) => setTimeout(r, 1));
  interrupt();
  assert.equal(await running, 130);
});

Deno.test("--profile and --role skip their prompts", async () => {
  const { io } = fakeIo();
  const p = scriptedPrompts([]);
  const { services, calls } = fakeServices(p.prompts);
  assert.equal(await runFlow(io, { profile: "demo", role: "demo-test" }, services), 0);
  assert.deepEqual(p.asked, []);
  assert.deepEqual(calls.assumed, [{ label: "demo-test" }]);
});

Deno.test("a source whose identity check fails shows why and asks for another profile", async () => {
  const { io, stderr } = fakeIo();
  const p = scriptedPrompts([{ pick: "default" }, { pick: "demo " }, { pick: "dev" }]);
  let n = 0;
  const { services, calls } = fakeServices(p.prompts, {
    whoami: () =>
      n++ === 0
        ? Promise.reject(new AwsError("GetCallerIdentity", "InvalidClientTokenId", "bad key"))
        : Promise.resolve({ account: "1", arn: "arn:aws:iam::111111111111:user/dev", userId: "x" }),
  });
  assert.equal(await runFlow(io, {}, services), 0);
  assert.match(stderr(), /GetCallerIdentity failed: InvalidClientTokenId/);
  assert.deepEqual(calls.opened, ["default", "demo"]);
});

Deno.test("Add a role asks for every field, validates the ARN, and saves the role", async () => {
  const { io, stderr } = fakeIo();
  const p = scriptedPrompts([
    { pick: "demo " },
    { pick: "Add a role" },
    { text: "arn:aws:iam::555555555555:role/path/Audit" },
    { text: "ext-id-123" },
    { text: "" }, // label: default is the role name
    { pick: "blue" },
    { text: "" },
    { text: "3600" },
    { text: "" },
    { text: "eu-central-1" },
    { text: "" }, // source profile: default is the current one
    { pick: "Audit" },
  ]);
  const { services, calls } = fakeServices(p.prompts);
  assert.equal(await runFlow(io, { color: false }, services), 0);
  assert.deepEqual(calls.saved, [{
    label: "Audit",
    roleArn: "arn:aws:iam::555555555555:role/path/Audit",
    externalId: "ext-id-123",
    color: "blue",
    durationSeconds: 3600,
    region: "eu-central-1",
    sourceProfile: "demo",
    origin: "xrole",
  }]);
  assert.match(stderr(), /saved role "Audit"/);
  assert.deepEqual(calls.assumed, [{ label: "Audit" }]);
});

Deno.test("Add a role refuses an invalid ARN", async () => {
  const { io } = fakeIo();
  const p = scriptedPrompts([
    { pick: "demo " },
    { pick: "Add a role" },
    { text: "arn:aws:iam::12345:role/X" },
  ]);
  const { services } = fakeServices(p.prompts);
  await assert.rejects(runFlow(io, {}, services), /12 digits|account/i);
});

Deno.test("Edit a role keeps its values as defaults and saves the change", async () => {
  const { io } = fakeIo();
  const p = scriptedPrompts([
    { pick: "demo " },
    { pick: "Edit a role" },
    { pick: "dev" },
    { text: "" },
    { text: "" },
    { text: "" },
    { pick: "red" },
    { text: "" },
    { text: "" },
    { text: "" },
    { text: "" },
    { text: "" },
    { pick: "dev" },
  ]);
  const { services, calls } = fakeServices(p.prompts);
  assert.equal(await runFlow(io, { color: false }, services), 0);
  assert.equal(calls.saved.length, 1);
  assert.equal(calls.saved[0]!.color, "red");
  assert.equal(calls.saved[0]!.externalId, DEV.externalId);
  assert.equal(calls.saved[0]!.roleArn, DEV.roleArn);
  assert.deepEqual(calls.deleted, []);
});

Deno.test("Delete a role asks for confirmation, then deletes it", async () => {
  const { io } = fakeIo();
  const p = scriptedPrompts([
    { pick: "demo " },
    { pick: "Delete a role" },
    { pick: "prod" },
    { yes: true },
    { pick: "dev" },
  ]);
  const { services, calls } = fakeServices(p.prompts);
  assert.equal(await runFlow(io, { color: false }, services), 0);
  assert.deepEqual(calls.deleted, ["prod"]);
  const lastRoles = p.asked.filter((a) => a.message === "Target role").at(-1)!;
  assert.ok(!lastRoles.choices!.some((c) => c.includes("ProdReadOnly")));
});

Deno.test("choosing another source profile goes back to the profile list", async () => {
  const { io } = fakeIo();
  const p = scriptedPrompts([
    { pick: "demo " },
    { pick: "another source profile" },
    { pick: "default" },
    { pick: "dev" },
  ]);
  const { services, calls } = fakeServices(p.prompts);
  assert.equal(await runFlow(io, {}, services), 0);
  assert.deepEqual(calls.opened, ["demo", "default"]);
});

Deno.test("without any AWS profile the flow says how to create one", async () => {
  const { io } = fakeIo();
  const p = scriptedPrompts([]);
  const { services } = fakeServices(p.prompts, { profiles: [] });
  await assert.rejects(runFlow(io, {}, services), UsageError);
});

Deno.test("without a terminal xrole never prompts and names the flags to pass", async () => {
  const { io } = fakeIo();
  await assert.rejects(
    runInteractive({ ...io, stdinIsTerminal: false }),
    (err) => err instanceof UsageError && /--profile NAME --role LABEL/.test(err.message),
  );
});

Deno.test("the repeat command quotes what the shell would split", () => {
  assert.equal(repeatCommand("demo", "prod"), "xrole buckets --profile demo --role prod");
  assert.equal(repeatCommand("(environment)", "my role"), "xrole buckets --role 'my role'");
  assert.equal(
    repeatCommand("dev", "prod", "http://127.0.0.1:4566"),
    "xrole buckets --profile dev --role prod --endpoint-url http://127.0.0.1:4566",
  );
});

Deno.test("picking a source profile answers with just its name, not its kind and region", async () => {
  const { io } = fakeIo();
  const seen: Choice<string>[] = [];
  const p = scriptedPrompts([{ pick: "demo " }, { pick: "dev" }]);
  const wrapped: Prompts = {
    ...p.prompts,
    chooseOne(message, choices, options) {
      if (message === "Source profile") seen.push(...(choices as readonly Choice<string>[]));
      return p.prompts.chooseOne(message, choices, options);
    },
  };
  const { services } = fakeServices(wrapped);
  await runFlow(io, {}, services);
  const demo = seen.find((c) => c.value === "demo")!;
  assert.match(demo.name, /static keys\s+eu-west-1/);
  assert.equal(demo.short, "demo");
});

Deno.test("the role list lines up account ids and role names whatever the label widths", async () => {
  const { io } = fakeIo();
  const wide: SavedRole = {
    label: "本番-audit",
    roleArn: "arn:aws:iam::555555555555:role/Audit",
    color: "blue",
    origin: "xrole",
  };
  const p = scriptedPrompts([{ pick: "demo " }, { pick: "dev" }]);
  const { services } = fakeServices(p.prompts, { roles: [DEV, PROD, wide] });
  await runFlow(io, { color: true }, services);
  const entries = p.asked[1]!.choices!.map(stripAnsi).filter((n) => /\d{12}/.test(n));
  assert.equal(entries.length, 4, entries.join("\n"));
  // The column (in terminal cells) where the account id starts, and where the role name starts.
  const columns = entries.map((n) => {
    const at = n.search(/\d{12}/);
    return stringWidth(n.slice(0, at));
  });
  assert.equal(new Set(columns).size, 1, entries.join("\n"));
  const names = entries.map((n) => {
    const m = /\d{12}\s+/.exec(n)!;
    return stringWidth(n.slice(0, m.index + m[0].length));
  });
  assert.equal(new Set(names).size, 1, entries.join("\n"));
});

const HOP: SavedRole = {
  label: "hop",
  roleArn: "arn:aws:iam::666666666666:role/FromProd",
  via: "prod",
  origin: "xrole",
};

Deno.test("switching back to prod within the hour reuses its cached session: no second MFA code, and the line says (cached)", async () => {
  const { io, stderr } = fakeIo();
  const p = scriptedPrompts([
    { pick: "demo " },
    { pick: "prod" },
    { text: "123456" },
    { pick: "dev" },
    { pick: "prod" },
  ]);
  const { services, calls } = fakeServices(p.prompts, {
    cache: true,
    tableExits: ["back", "back", "quit"],
  });
  assert.equal(await runFlow(io, { color: false }, services), 0);
  assert.equal(p.asked.filter((a) => a.kind === "secret").length, 1, "one MFA code");
  assert.deepEqual(calls.assumed.map((a) => a.label), ["prod", "dev"]);
  const lines = stderr().split("\n").filter((l) => l.includes("✓ assumed"));
  assert.equal(lines.length, 3);
  assert.doesNotMatch(lines[0]!, /\(cached\)/);
  assert.match(lines[2]!, /assumed-role\/prod\/.*1h 00m left \(cached\)$/);
  assert.deepEqual(calls.tables.map((t) => t.roleLabel), ["prod", "dev", "prod"]);
});

Deno.test("a saved role with via is assumed through its chain, asking the MFA code once for the role that needs it", async () => {
  const { io, stderr } = fakeIo();
  const p = scriptedPrompts([{ pick: "demo " }, { pick: "hop" }, { text: "123456" }]);
  const { services, calls } = fakeServices(p.prompts, { roles: [DEV, PROD, HOP] });
  assert.equal(await runFlow(io, { color: false }, services), 0);
  assert.deepEqual(calls.chains, [["prod", "hop"]]);
  const secrets = p.asked.filter((a) => a.kind === "secret");
  assert.equal(secrets.length, 1);
  assert.match(secrets[0]!.message, /MFA code for prod \(arn:aws:iam::111111111111:mfa\/dev\)/);
  assert.deepEqual(calls.assumed, [{ label: "prod", mfaCode: "123456" }, { label: "hop" }]);
  assert.equal(calls.tables[0]?.accountId, "666666666666");
  assert.match(stderr(), /xrole buckets --profile demo --role hop\n/);
});

Deno.test("a role whose via names no saved role says so and returns to the role list", async () => {
  const { io, stderr } = fakeIo();
  const broken: SavedRole = { ...HOP, via: "gone" };
  const p = scriptedPrompts([{ pick: "demo " }, { pick: "hop" }, { pick: "dev" }]);
  const { services, calls } = fakeServices(p.prompts, { roles: [DEV, PROD, broken] });
  assert.equal(await runFlow(io, { color: false }, services), 0);
  assert.match(stderr(), /Role "hop" names via "gone", which is not a saved role/);
  assert.deepEqual(calls.assumed.map((a) => a.label), ["dev"]);
});

Deno.test("credentials renewed silently while the table is open give the header their new expiry", async () => {
  const { io } = fakeIo();
  const p = scriptedPrompts([{ pick: "demo " }, { pick: "dev" }]);
  let listings = 0;
  const emitted: unknown[] = [];
  let n = 0;
  const { services, calls } = fakeServices(p.prompts, {
    cache: true,
    assume: (role) => {
      const s = session(role);
      s.credentials.expiration = new Date(NOW.getTime() + (++n) * 3600_000);
      return Promise.resolve(s);
    },
    inTable: async (table) => {
      await table.source(new AbortController().signal, (u) => emitted.push(u));
    },
  });
  services.listBuckets = (_source, _session, _opts, _signal, emit) => {
    listings++;
    if (listings === 1) {
      emit({ type: "error", name: "a", code: "ExpiredToken", message: "expired" });
    } else emit({ type: "region", name: "a", region: "eu-west-1", source: "location" });
    emit({ type: "done" });
    return Promise.resolve();
  };
  assert.equal(await runFlow(io, {}, services), 0);
  assert.equal(listings, 2);
  assert.deepEqual(calls.assumed, [{ label: "dev" }, { label: "dev", refresh: true }]);
  const renewed = emitted.find((u) => (u as { type: string }).type === "renewed") as
    | { expiresAt: Date }
    | undefined;
  assert.ok(renewed, "the table hears about the new session");
  assert.equal(renewed.expiresAt.toISOString(), "2024-05-01T14:00:00.000Z");
});

function consoleServices(
  roles: SavedRole[],
  pick: string,
  browser: boolean,
) {
  const fake = fakeIo();
  const p = scriptedPrompts([{ pick: "demo " }, { pick }]);
  const notices: string[] = [];
  const signins: string[] = [];
  const opened: string[] = [];
  const { services } = fakeServices(p.prompts, {
    roles,
    inTable: async (table) => {
      notices.push(await table.console!(undefined, new AbortController().signal));
    },
  });
  services.signinUrl = (_source, session) => {
    signins.push(session.accountId);
    return Promise.resolve(
      "https://signin.aws.amazon.com/federation?Action=login&SigninToken=SECRET-TOKEN",
    );
  };
  services.openBrowser = (url) => {
    opened.push(url);
    return Promise.resolve(browser);
  };
  return { ...fake, services, notices, signins, opened };
}

Deno.test("o on a role with an External ID without a browser: the sign-in link goes to stdout when the table closes, never to stderr", async () => {
  const c = consoleServices([DEV, PROD], "dev", false);
  assert.equal(await runFlow(c.io, { color: false }, c.services), 0);
  assert.deepEqual(c.signins, ["222222222222"]);
  assert.match(
    c.notices[0]!,
    /no browser here: the console link for dev is printed when you leave/,
  );
  assert.equal(
    c.stdout(),
    "https://signin.aws.amazon.com/federation?Action=login&SigninToken=SECRET-TOKEN\n",
  );
  assert.ok(!c.stderr().includes("SECRET-TOKEN"), "the token never reaches stderr");
  assert.match(c.stderr(), /Console sign-in link for dev \(valid 15 minutes/);
});

Deno.test("o on a role without External ID gives the Switch Role link without any sign-in request", async () => {
  const { mfaSerial: _mfa, ...rest } = PROD;
  const plain: SavedRole = { ...rest, label: "ops" };
  const c = consoleServices([DEV, plain], "ops", false);
  assert.equal(await runFlow(c.io, { color: false }, c.services), 0);
  assert.deepEqual(c.signins, []);
  assert.equal(
    c.stdout(),
    "https://signin.aws.amazon.com/switchrole?account=444444444444&roleName=ProdReadOnly&displayName=ops&color=F2B0A9\n",
  );
  assert.match(c.stderr(), /Console Switch Role link for ops:/);
});

Deno.test("o with a browser opens the link there and prints nothing", async () => {
  const c = consoleServices([DEV, PROD], "dev", true);
  assert.equal(await runFlow(c.io, { color: false }, c.services), 0);
  assert.equal(c.opened.length, 1);
  assert.match(c.opened[0]!, /SigninToken=SECRET-TOKEN/);
  assert.match(c.notices[0]!, /opened the console as dev in your browser/);
  assert.equal(c.stdout(), "");
  assert.ok(!c.stderr().includes("SECRET-TOKEN"));
});

Deno.test("editing a chained role keeps its via", async () => {
  const { io } = fakeIo();
  const blanks = Array.from({ length: 3 }, () => ({ text: "" }));
  const p = scriptedPrompts([
    { pick: "demo " },
    { pick: "Edit a role" },
    { pick: "hop" },
    ...blanks,
    { pick: "blue" },
    ...blanks,
    ...blanks.slice(0, 2),
    { pick: "dev" },
  ]);
  const { services, calls } = fakeServices(p.prompts, { roles: [DEV, PROD, HOP] });
  assert.equal(await runFlow(io, { color: false }, services), 0);
  assert.equal(calls.saved[0]?.color, "blue");
  assert.equal(calls.saved[0]?.via, "prod");
});
