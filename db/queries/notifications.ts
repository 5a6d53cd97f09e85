import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { notifications } from '@/db/schema';

/** A member's latest in-app notifications, newest first. */
export function listNotificationsFor(db: Db, organizationId: string, memberId: string, limit = 10) {
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.organizationId, organizationId), eq(notifications.memberId, memberId)))
    .orderBy(desc(notifications.createdAt))
    .limit(limit);
}
