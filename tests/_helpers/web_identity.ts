/**
 * A world with an OIDC-trusting role for the web identity tests: the demo world plus a CI role in
 * the source account (so its sessions may assume the demo's roles, as a CI runner's would) that
 * trusts GitHub's issuer for one repository.
 */
import { DEMO, demoWorld } from "../../src/sim/demo_world.ts";
import { mintWebIdentityToken } from "../../src/sim/web_identity.ts";
import type { World } from "../../src/sim/world.ts";

export const CI = {
  roleName: "GitHubActions",
  roleArn: `arn:aws:iam::${DEMO.sourceAccountId}:role/GitHubActions`,
  issuer: "https://token.actions.githubusercontent.com",
  subject: "repo:acme/infra:ref:refs/heads/main",
  /** A role in the same account without any OIDC trust. */
  plainRoleArn: `arn:aws:iam::${DEMO.sourceAccountId}:role/NoOidc`,
} as const;

/** The demo world plus the CI role (trusting repo:acme/infra:*) and a role without OIDC trust. */
export function webIdentityWorld(): World {
  const world = demoWorld();
  const source = world.accounts.find((a) => a.id === DEMO.sourceAccountId);
  if (!source) throw new Error("the demo world has no source account");
  source.roles.push(
    {
      name: CI.roleName,
      path: "/",
      trustedAccounts: [],
      maxSessionDuration: 3600,
      webIdentity: { issuer: CI.issuer, subjects: ["repo:acme/infra:*"] },
    },
    {
      name: "NoOidc",
      path: "/",
      trustedAccounts: [DEMO.sourceAccountId],
      maxSessionDuration: 3600,
    },
  );
  return world;
}

/** A token GitHub would hand the acme/infra main branch (claims overridable). */
export function ciToken(claims: { iss?: string; sub?: string; exp?: number } = {}): string {
  return mintWebIdentityToken({ iss: CI.issuer, sub: CI.subject, ...claims });
}
