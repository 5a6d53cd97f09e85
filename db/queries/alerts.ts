import { and, desc, eq, gte } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { alerts } from '@/db/schema';

export type AlertListRow = typeof alerts.$inferSelect;

/** The organization's most recent alerts, newest first. */
export function listRecentAlerts(db: Db, organizationId: string, limit = 20): Promise<AlertListRow[]> {
  return db.select().from(alerts).where(eq(alerts.organizationId, organizationId)).orderBy(desc(alerts.createdAt)).limit(limit);
}

/** Emerging topics found since `since`, newest first. */
export function listEmergingTopics(db: Db, organizationId: string, since: Date, limit = 10): Promise<AlertListRow[]> {
  return db
    .select()
    .from(alerts)
    .where(and(eq(alerts.organizationId, organizationId), eq(alerts.kind, 'emerging_topic'), gte(alerts.createdAt, since)))
    .orderBy(desc(alerts.createdAt))
    .limit(limit);
}
