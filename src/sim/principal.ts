/**
 * Who signed a request, and the temporary credentials the simulated STS has issued.
 */
import { createHash } from "node:crypto";
import type { KeyRecord } from "./sigv4.ts";
import {
  type SimAccount,
  type SimRole,
  type SimUser,
  userArnOf,
  type WorldIndex,
} from "./world.ts";

/** The identity behind a set of credentials. */
export type Principal =
  | { kind: "user"; account: SimAccount; user: SimUser }
  /** GetSessionToken credentials: still the user, possibly MFA-authenticated. */
  | { kind: "session"; account: SimAccount; user: SimUser; mfa: boolean }
  | {
    kind: "assumed-role";
    account: SimAccount;
    role: SimRole;
    roleArn: string;
    sessionName: string;
    /** MFA was used to get these credentials (or the session they were assumed from). */
    mfa: boolean;
  };

/** A key the verifier accepts, with its principal. */
export interface KeyEntry extends KeyRecord {
  accessKeyId: string;
  principal: Principal;
}

/** The caller's ARN as AWS prints it in errors and GetCallerIdentity. */
export function principalArn(p: Principal): string {
  if (p.kind === "assumed-role") {
    return `arn:aws:sts::${p.account.id}:assumed-role/${p.role.name}/${p.sessionName}`;
  }
  return userArnOf(p.account.id, p.user);
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** A stable unique id like AWS's (AIDA…, AROA…) derived from a name. */
export function stableId(prefix: string, seed: string, length = 17): string {
  const digest = createHash("sha256").update(seed).digest();
  let out = prefix;
  for (let i = 0; out.length < prefix.length + length; i++) {
    out += ID_ALPHABET[(digest[i % digest.length] ?? 0) % ID_ALPHABET.length];
  }
  return out;
}

/** Whether the principal's credentials were obtained with MFA. */
export function principalHasMfa(p: Principal): boolean {
  return p.kind === "user" ? false : p.mfa;
}

/** The caller's unique id (GetCallerIdentity UserId). */
export function principalUserId(p: Principal): string {
  if (p.kind === "assumed-role") {
    return `${stableId("AROA", p.roleArn)}:${p.sessionName}`;
  }
  return stableId("AIDA", userArnOf(p.account.id, p.user));
}

function randomChars(alphabet: string, length: number): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Issued temporary credentials plus the world's long-term keys. */
export class CredentialStore {
  #issued = new Map<string, KeyEntry>();
  #index: WorldIndex;

  constructor(index: WorldIndex) {
    this.#index = index;
  }

  /** Use another world index (after the world changed). Issued credentials stay valid. */
  setIndex(index: WorldIndex): void {
    this.#index = index;
  }

  /** The key record for an access key id: a user's long-term key or issued credentials. */
  lookup(accessKeyId: string): KeyEntry | undefined {
    const issued = this.#issued.get(accessKeyId);
    if (issued) return issued;
    const ref = this.#index.userByKey(accessKeyId);
    if (!ref) return undefined;
    return {
      accessKeyId,
      secretAccessKey: ref.user.secretAccessKey,
      principal: { kind: "user", account: ref.account, user: ref.user },
    };
  }

  /** Issue ASIA… credentials for a principal. */
  issue(
    principal: Principal,
    expiration: Date,
  ): KeyEntry & { sessionToken: string; expiration: Date } {
    const accessKeyId = `ASIA${randomChars(UPPER_ALNUM, 16)}`;
    const entry = {
      accessKeyId,
      secretAccessKey: randomChars(SECRET_CHARS, 40),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomChars(SECRET_CHARS, 300)}`,
      expiration,
      principal,
    };
    this.#issued.set(accessKeyId, entry);
    return entry;
  }

  /** How many temporary credentials were issued (tests). */
  get issuedCount(): number {
    return this.#issued.size;
  }
}
