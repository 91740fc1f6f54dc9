import assert from "node:assert/strict";
import { join } from "node:path";
import {
  allRoles,
  deleteRole,
  denoFs,
  loadRoles,
  rolesFilePath,
  saveRole,
  type StoreFs,
} from "../../src/config/roles_store.ts";
import { ConfigParseError, UsageError, XroleError } from "../../src/core/errors.ts";
import type { RoleEntry } from "../../src/core/roles_file.ts";

const PROD: RoleEntry = {
  label: "prod",
  roleArn: "arn:aws:iam::222222222222:role/ReadOnly",
  externalId: "xrole-prod",
  color: "red",
  origin: "xrole",
};
const DEV: RoleEntry = {
  label: "dev",
  roleArn: "arn:aws:iam::333333333333:role/Dev",
  origin: "xrole",
};

async function withTempConfig(fn: (dir: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "xrole-store-" });
  try {
    await fn(join(root, "cfg"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function dirEntries(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

Deno.test("no roles file means no saved roles", async () => {
  await withTempConfig(async (dir) => {
    assert.deepEqual(await loadRoles({ XROLE_CONFIG_DIR: dir }), []);
    assert.equal(rolesFilePath({ XROLE_CONFIG_DIR: dir }), join(dir, "roles.ini"));
  });
});

Deno.test("a saved role is read back, in a 0700 directory and a 0600 file", async () => {
  await withTempConfig(async (dir) => {
    const env = { XROLE_CONFIG_DIR: dir };
    await saveRole(env, PROD);
    await saveRole(env, DEV);
    assert.deepEqual(await loadRoles(env), [PROD, DEV]);
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
      assert.equal((await Deno.stat(join(dir, "roles.ini"))).mode! & 0o777, 0o600);
    }
    assert.deepEqual(await dirEntries(dir), ["roles.ini"], "no lock or temp file left behind");
  });
});

Deno.test("saving an existing label needs replace, and replacing keeps comments", async () => {
  await withTempConfig(async (dir) => {
    const env = { XROLE_CONFIG_DIR: dir };
    await Deno.mkdir(dir);
    await Deno.writeTextFile(
      join(dir, "roles.ini"),
      `# mine\n[role prod]\n; vendor id\nrole_arn = ${PROD.roleArn}\nnote = keep me\n`,
    );
    await assert.rejects(saveRole(env, PROD), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.message, `Role "prod" already exists in "${join(dir, "roles.ini")}"`);
      return true;
    });
    await saveRole(env, PROD, { replace: true });
    assert.equal(
      await Deno.readTextFile(join(dir, "roles.ini")),
      `# mine\n[role prod]\n; vendor id\nrole_arn = ${PROD.roleArn}\nnote = keep me\nexternal_id = xrole-prod\ncolor = red\n`,
    );
  });
});

Deno.test("deleting a role removes it; deleting an unknown one says so", async () => {
  await withTempConfig(async (dir) => {
    const env = { XROLE_CONFIG_DIR: dir };
    await assert.rejects(deleteRole(env, "prod"), {
      name: "UsageError",
      message: `Unknown role "prod" in "${join(dir, "roles.ini")}"`,
    });
    await saveRole(env, PROD);
    await saveRole(env, DEV);
    await deleteRole(env, "prod");
    assert.deepEqual((await loadRoles(env)).map((r) => r.label), ["dev"]);
    await assert.rejects(deleteRole(env, "prod"), UsageError);
  });
});

Deno.test("an invalid role is refused and nothing is written", async () => {
  await withTempConfig(async (dir) => {
    const env = { XROLE_CONFIG_DIR: dir };
    await assert.rejects(saveRole(env, { ...PROD, roleArn: "arn:aws:iam::1:role/R" }), UsageError);
    await assert.rejects(saveRole(env, { ...PROD, label: "" }), UsageError);
    assert.deepEqual(await loadRoles(env), []);
  });
});

Deno.test("a malformed roles file is reported and never rewritten", async () => {
  await withTempConfig(async (dir) => {
    const env = { XROLE_CONFIG_DIR: dir };
    await Deno.mkdir(dir);
    const bad = "[role prod\nrole_arn = x\n";
    await Deno.writeTextFile(join(dir, "roles.ini"), bad);
    for (
      const attempt of [
        () => saveRole(env, DEV),
        () => deleteRole(env, "prod"),
        () => loadRoles(env),
      ]
    ) {
      await assert.rejects(attempt(), (e: unknown) => {
        assert.ok(e instanceof ConfigParseError);
        assert.equal(e.line, 1);
        return true;
      });
    }
    assert.equal(await Deno.readTextFile(join(dir, "roles.ini")), bad);
    assert.deepEqual(await dirEntries(dir), ["roles.ini"]);
  });
});

Deno.test("concurrent saves in one process keep every role", async () => {
  await withTempConfig(async (dir) => {
    const env = { XROLE_CONFIG_DIR: dir };
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => saveRole(env, { ...DEV, label: `r${i}` })),
    );
    const labels = (await loadRoles(env)).map((r) => r.label).sort();
    assert.deepEqual(labels, Array.from({ length: 12 }, (_, i) => `r${i}`).sort());
  });
});

Deno.test("two xrole processes saving at once lose neither change", async () => {
  await withTempConfig(async (dir) => {
    await Deno.mkdir(dir);
    const child = (prefix: string) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--no-prompt",
          `--allow-read=${dir}`,
          `--allow-write=${dir}`,
          new URL("./_save_role_child.ts", import.meta.url).pathname,
          dir,
          prefix,
          "8",
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
    const results = await Promise.all([child("a"), child("b")]);
    for (const r of results) assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
    const labels = (await loadRoles({ XROLE_CONFIG_DIR: dir })).map((r) => r.label).sort();
    const expected = ["a", "b"].flatMap((p) => Array.from({ length: 8 }, (_, i) => `${p}-${i}`));
    assert.deepEqual(labels, expected.sort());
  });
});

/** A filesystem that fails one operation the way a full disk or a read-only dir would. */
function failing(op: "writeNewFile" | "rename", error: Error, onlyTemp = true): StoreFs {
  return {
    ...denoFs,
    writeNewFile: async (path, data, mode) => {
      if (op === "writeNewFile" && (!onlyTemp || path.endsWith(".tmp"))) {
        // Simulate a partial write before the disk fills up.
        await Deno.writeFile(path, data.subarray(0, 3), { mode });
        throw error;
      }
      return denoFs.writeNewFile(path, data, mode);
    },
    rename: (from, to) => (op === "rename" ? Promise.reject(error) : denoFs.rename(from, to)),
  };
}

for (
  const [what, fs, reason] of [
    [
      "the disk is full",
      failing("writeNewFile", new Error("No space left on device (os error 28)")),
      "No space left on device (os error 28)",
    ],
    [
      "the rename is refused",
      failing("rename", new Deno.errors.PermissionDenied("Permission denied (os error 13)")),
      "permission denied",
    ],
  ] as const
) {
  Deno.test(`when ${what}, the old file stays intact and no temp file is left`, async () => {
    await withTempConfig(async (dir) => {
      const env = { XROLE_CONFIG_DIR: dir };
      await saveRole(env, PROD);
      const before = await Deno.readTextFile(join(dir, "roles.ini"));
      await assert.rejects(saveRole(env, DEV, { fs }), (e: unknown) => {
        assert.ok(e instanceof XroleError);
        assert.equal(e.exitCode, 1);
        assert.equal(e.message, `Cannot save "${join(dir, "roles.ini")}": ${reason}`);
        return true;
      });
      assert.equal(await Deno.readTextFile(join(dir, "roles.ini")), before);
      assert.deepEqual(await dirEntries(dir), ["roles.ini"]);
    });
  });
}

/** Make a directory read-only for this process: chmod when not root, a read-only bind mount as root. */
async function makeReadOnly(dir: string): Promise<(() => Promise<void>) | null> {
  if (Deno.build.os === "windows") return null;
  if (Deno.uid() !== 0) {
    await Deno.chmod(dir, 0o500);
    return () => Deno.chmod(dir, 0o700);
  }
  const run = async (...args: string[]) => {
    try {
      return (await new Deno.Command("mount", { args, stderr: "null", stdout: "null" }).output())
        .success;
    } catch {
      return false;
    }
  };
  if (!(await run("--bind", dir, dir))) return null;
  if (!(await run("-o", "remount,bind,ro", dir))) {
    await new Deno.Command("umount", { args: [dir] }).output();
    return null;
  }
  return async () => {
    await new Deno.Command("umount", { args: [dir] }).output();
  };
}

Deno.test("a save into a read-only directory fails clearly and keeps the old file", async () => {
  await withTempConfig(async (dir) => {
    const env = { XROLE_CONFIG_DIR: dir };
    await saveRole(env, PROD);
    const before = await Deno.readTextFile(join(dir, "roles.ini"));
    const restore = await makeReadOnly(dir);
    if (!restore) {
      // Neither chmod (as a user) nor a bind mount (as root) is available: prove the same path
      // with an injected read-only filesystem instead.
      const ro = failing(
        "writeNewFile",
        new Deno.errors.PermissionDenied("Read-only file system (os error 30)"),
        false,
      );
      await assert.rejects(saveRole(env, DEV, { fs: ro }), { message: /^Cannot save ".*": / });
    } else {
      try {
        await assert.rejects(saveRole(env, DEV), (e: unknown) => {
          assert.ok(e instanceof XroleError, String(e));
          assert.match(e.message, /^Cannot save ".*roles\.ini": /);
          assert.ok(!e.message.includes("\n"));
          return true;
        });
      } finally {
        await restore();
      }
    }
    assert.equal(await Deno.readTextFile(join(dir, "roles.ini")), before);
    assert.deepEqual(await dirEntries(dir), ["roles.ini"]);
  });
});

Deno.test("a stale lock is broken, a live one makes the save wait and then give up", async () => {
  await withTempConfig(async (dir) => {
    const env = { XROLE_CONFIG_DIR: dir };
    await Deno.mkdir(dir);
    const lock = join(dir, "roles.ini.lock");
    await Deno.writeTextFile(lock, "12345 old\n");
    const old = new Date(Date.now() - 60_000);
    await Deno.utime(lock, old, old);
    await saveRole(env, PROD);
    assert.deepEqual(await dirEntries(dir), ["roles.ini"]);

    await Deno.writeTextFile(lock, "12345 now\n");
    const started = Date.now();
    await assert.rejects(saveRole(env, DEV, { lockTimeoutMs: 300 }), {
      message: `Cannot save "${
        join(dir, "roles.ini")
      }": another xrole is editing it (lock "${lock}"; remove it if no xrole is running)`,
    });
    assert.ok(Date.now() - started >= 300);
    assert.deepEqual((await loadRoles(env)).map((r) => r.label), ["prod"]);
  });
});

Deno.test("all roles: xrole's first, then the AWS config's, xrole winning a clash", async () => {
  await withTempConfig(async (dir) => {
    const env = { XROLE_CONFIG_DIR: dir, HOME: dir, AWS_CONFIG_FILE: join(dir, "aws-config") };
    await saveRole(env, PROD);
    await Deno.writeTextFile(
      join(dir, "aws-config"),
      [
        "[profile prod]",
        "role_arn = arn:aws:iam::999999999999:role/Other",
        "source_profile = default",
        "[profile audit]",
        "role_arn = arn:aws:iam::444444444444:role/Audit",
        "",
      ].join("\n"),
    );
    const { roles, warnings } = await allRoles(env);
    assert.deepEqual(roles.map((r) => [r.label, r.origin, r.roleArn.split(":")[4]]), [
      ["prod", "xrole", "222222222222"],
      ["audit", "aws-config", "444444444444"],
    ]);
    assert.deepEqual(warnings, [
      'Role "prod" is both saved by xrole and a profile of the AWS config: using xrole\'s',
    ]);
  });
});
