/** Child process for the concurrency test: saves N roles into XROLE_CONFIG_DIR. */
import { saveRole } from "../../src/config/roles_store.ts";

const [dir = "", prefix = "r", count = "1"] = Deno.args;
for (let i = 0; i < Number(count); i++) {
  await saveRole({ XROLE_CONFIG_DIR: dir }, {
    label: `${prefix}-${i}`,
    roleArn: `arn:aws:iam::${String(i).padStart(12, "0")}:role/R`,
    origin: "xrole",
  });
}
