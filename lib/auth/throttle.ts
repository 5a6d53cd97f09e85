import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { signInThrottle } from '@/db/schema';

/** Failures allowed inside the window before an account starts to be locked. */
export const FREE_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;

/** How long an account stays locked after `failures` failed attempts: doubling from 30 s, capped at 15 min. */
export function lockDurationMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(BASE_LOCK_MS * 2 ** (failures - FREE_FAILURES), MAX_LOCK_MS);
}

/** The time until which `accountKey` may not try again, or null when it may try now. */
export async function lockedUntil(db: Db, accountKey: string, now = new Date()): Promise<Date | null> {
  const [row] = await db.select().from(signInThrottle).where(eq(signInThrottle.accountKey, accountKey));
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}

/** Counts one failed attempt (atomically, across instances) and locks the account once it has failed too often. */
export async function recordFailure(db: Db, accountKey: string, now = new Date()): Promise<void> {
  const windowStart = new Date(now.getTime() - WINDOW_MS);
  const [row] = await db
    .insert(signInThrottle)
    .values({ accountKey, failures: 1, firstFailureAt: now })
    .onConflictDoUpdate({
      target: signInThrottle.accountKey,
      set: {
        failures: sql`case when ${signInThrottle.firstFailureAt} < ${windowStart.toISOString()} then 1 else ${signInThrottle.failures} + 1 end`,
        firstFailureAt: sql`case when ${signInThrottle.firstFailureAt} < ${windowStart.toISOString()} then ${now.toISOString()}::timestamptz else ${signInThrottle.firstFailureAt} end`,
      },
    })
    .returning({ failures: signInThrottle.failures });
  const lockMs = lockDurationMs(row?.failures ?? 1);
  if (lockMs > 0) {
    await db
      .update(signInThrottle)
      .set({ lockedUntil: new Date(now.getTime() + lockMs) })
      .where(eq(signInThrottle.accountKey, accountKey));
  }
}

/** Forgets failures after a successful sign-in. */
export async function clearFailures(db: Db, accountKey: string): Promise<void> {
  await db.delete(signInThrottle).where(eq(signInThrottle.accountKey, accountKey));
}
