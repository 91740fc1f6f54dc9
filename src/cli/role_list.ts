/**
 * The roles `--role` can name: xrole's saved roles (roles.ini) first, then the role profiles of
 * the AWS config (src/config/roles_store.ts). Loads no AWS SDK.
 */
import { allRoles } from "../config/roles_store.ts";
import type { Env } from "../core/env.ts";
import type { SavedRole } from "../core/model.ts";

/** Saved roles, then AWS config role profiles whose label is not taken. */
export async function loadRoleList(env: Env): Promise<SavedRole[]> {
  return (await allRoles(env)).roles;
}
