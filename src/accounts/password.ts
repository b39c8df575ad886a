/**
 * Password hashing with argon2id at OWASP's recommended parameters
 * (19 MiB memory, 2 iterations, 1 lane). Passwords are NFKC-normalised so the
 * same characters typed on different keyboards match, and never truncated.
 */
import argon2 from 'argon2';
import { createRequire } from 'node:module';

export const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const MIN_PASSWORD_LENGTH = 10;
/** Long enough for any passphrase; bounded so hashing cannot be used to exhaust the server. */
export const MAX_PASSWORD_LENGTH = 1024;

const require = createRequire(import.meta.url);
let common: Set<string> | undefined;

/**
 * The common-passwords list, loaded when a password is first chosen: the
 * dictionaries are about 12 MB resident that a process serving readers never uses.
 */
function commonPasswords(): Set<string> {
  if (!common) {
    const { dictionary } = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    common = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  }
  return common;
}

export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

/** Why a new password is not acceptable, or null when it is. */
export function passwordProblem(password: string, email?: string): string | null {
  const p = normalisePassword(password);
  const length = [...p].length;
  if (length < MIN_PASSWORD_LENGTH) return `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (length > MAX_PASSWORD_LENGTH) return `Choose a password of at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = p.toLowerCase();
  if (commonPasswords().has(lower)) return 'That password is one of the most common ones; choose another.';
  if (/^(.)\1+$/u.test(p)) return 'Choose a password that is not one character repeated.';
  if (email && lower === email.toLowerCase()) return 'Choose a password that is not your email address.';
  return null;
}

export function hashPassword(password: string, options: { memoryCost?: number; timeCost?: number } = {}): Promise<string> {
  return argon2.hash(normalisePassword(password), { ...HASH_OPTIONS, ...options });
}

export interface Verification {
  ok: boolean;
  /** The hash was made with weaker parameters than today's: store a new one. */
  needsRehash: boolean;
}

export async function verifyPassword(hash: string, password: string): Promise<Verification> {
  let ok = false;
  try {
    ok = await argon2.verify(hash, normalisePassword(password));
  } catch {
    ok = false;
  }
  return { ok, needsRehash: ok && argon2.needsRehash(hash, HASH_OPTIONS) };
}

let dummy: Promise<string> | undefined;
/**
 * Spends the time a real verification would, for an email with no account,
 * so the answer's timing does not tell whether an account exists.
 */
export async function verifyAgainstNothing(password: string): Promise<void> {
  dummy ??= hashPassword('dispatch-timing-equaliser');
  await verifyPassword(await dummy, password);
}
