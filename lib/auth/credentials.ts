import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { UNUSABLE_HASH, verifyPassword } from './password';
import { clearFailures, lockedUntil, recordFailure } from './throttle';

export type PasswordSignIn = { ok: true; userId: string } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'locked'; retryAt: Date };

/** Normalizes an email for lookups: trimmed and lowercased. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/**
 * Checks an email and password. Unknown accounts cost the same time as known ones and count failures too,
 * so neither timing nor the lock reveals which emails exist.
 */
export async function signInWithPassword(db: Db, email: string, password: string, now = new Date()): Promise<PasswordSignIn> {
  const accountKey = normalizeEmail(email);
  const retryAt = await lockedUntil(db, accountKey, now);
  if (retryAt) return { ok: false, reason: 'locked', retryAt };
  const [user] = await db.select({ id: users.id, passwordHash: users.passwordHash }).from(users).where(eq(users.email, accountKey));
  const matches = await verifyPassword(password, user?.passwordHash ?? UNUSABLE_HASH);
  if (!user || !user.passwordHash || !matches) {
    await recordFailure(db, accountKey, now);
    return { ok: false, reason: 'invalid' };
  }
  await clearFailures(db, accountKey);
  return { ok: true, userId: user.id };
}

/** The message a person sees for a refused sign-in. */
export function signInErrorMessage(result: Exclude<PasswordSignIn, { ok: true }>, now = new Date()): string {
  if (result.reason === 'invalid') return 'Wrong email or password.';
  const seconds = Math.max(1, Math.ceil((result.retryAt.getTime() - now.getTime()) / 1000));
  const wait = seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
  return `Too many failed attempts for this account. Try again in ${wait}.`;
}
