/**
 * Role chaining: a saved role may name `via = LABEL`, a role to assume first; its credentials
 * then assume the next role (any depth). Pure: resolves and checks the chain from the role list;
 * src/cli/session.ts performs the AssumeRole calls. Loads no SDK.
 *
 * AWS caps a session obtained by role chaining at one hour. xrole refuses (UsageError, before
 * any request) a chained role whose duration asks for more, rather than silently shortening it.
 */
import { quote } from "../core/arn.ts";
import { UsageError } from "../core/errors.ts";
import type { SavedRole } from "../core/model.ts";

/** The longest session AWS grants to a role assumed with another role's credentials. */
export const CHAINED_SESSION_MAX_SECONDS = 3600;

/** `"a" → "b" → "c"` for messages. */
export function describeChain(labels: readonly string[]): string {
  return labels.map((l) => quote(l)).join(" → ");
}

/**
 * The roles to assume for `label`, in order: the first is assumed with the source's
 * credentials, each next one with the previous one's; the last is the role itself. A role
 * without `via` is a chain of one. Throws UsageError for an unknown label or via, or a cycle.
 */
export function roleChain(label: string, roles: readonly SavedRole[]): SavedRole[] {
  const byLabel = new Map(roles.map((r) => [r.label, r] as const));
  const first = byLabel.get(label);
  if (!first) throw new UsageError(`Unknown role ${quote(label)} (see "xrole roles list")`);
  const chain: SavedRole[] = [first];
  const seen = new Set([label]);
  for (let role = first; role.via !== undefined && role.via !== "";) {
    const next = byLabel.get(role.via);
    if (!next) {
      throw new UsageError(
        `Role ${quote(role.label)} names via ${
          quote(role.via)
        }, which is not a saved role (see "xrole roles list")`,
      );
    }
    if (seen.has(next.label)) {
      // In the order `via` is followed: "a" → "b" reads "a is assumed via b".
      const labels = [...chain.map((r) => r.label), next.label];
      throw new UsageError(`Role chain has a cycle (via): ${describeChain(labels)}`);
    }
    seen.add(next.label);
    chain.push(next);
    role = next;
  }
  return chain.reverse();
}

/**
 * Checks the durations along a chain: every role after the first is a chained session and may
 * ask for at most an hour. `target` replaces the last role (flags such as --duration applied).
 */
export function checkChainDurations(chain: readonly SavedRole[]): void {
  for (let i = 1; i < chain.length; i++) {
    const role = chain[i]!;
    const seconds = role.durationSeconds;
    if (seconds !== undefined && seconds > CHAINED_SESSION_MAX_SECONDS) {
      throw new UsageError(
        `Duration ${seconds} is too long for role ${quote(role.label)}: it is assumed through ${
          describeChain(chain.slice(0, i).map((r) => r.label))
        } (role chaining), and AWS allows chained sessions at most ${CHAINED_SESSION_MAX_SECONDS} seconds`,
      );
    }
  }
}

/**
 * The roles to assume for `role` (itself without `via`), resolved among `roles` with `role` in
 * place of its saved namesake, durations checked: what a single listing assumes, for the combined
 * one (`--all-roles`, "All saved roles"). Throws UsageError as roleChain and checkChainDurations.
 */
export function checkedChain(role: SavedRole, roles: readonly SavedRole[]): SavedRole[] {
  if (role.via === undefined || role.via === "") return [role];
  const chain = roleChain(role.label, [...roles.filter((r) => r.label !== role.label), role]);
  checkChainDurations(chain);
  return chain;
}

/**
 * Checks a role about to be saved with `via` against the saved ones: the via role exists, no
 * cycle appears, and the duration fits the chained-session cap. Throws UsageError.
 */
export function checkViaOnSave(role: SavedRole, saved: readonly SavedRole[]): void {
  if (role.via === undefined || role.via === "") return;
  if (role.via === role.label) {
    throw new UsageError(
      `Role chain has a cycle (via): ${describeChain([role.label, role.label])}`,
    );
  }
  const others = saved.filter((r) => r.label !== role.label);
  const chain = roleChain(role.label, [...others, role]);
  checkChainDurations(chain);
}
