import { and, count, desc, eq, ne } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { alerts, crises } from '@/db/schema';

/** Open crises (not resolved) of an organization, newest first, with how many alerts joined each. */
export function listOpenCrises(db: Db, organizationId: string) {
  return db
    .select({
      id: crises.id,
      title: crises.title,
      topicKey: crises.topicKey,
      status: crises.status,
      severity: crises.severity,
      trigger: crises.trigger,
      openedBy: crises.openedBy,
      openedAt: crises.openedAt,
      alertCount: count(alerts.id),
    })
    .from(crises)
    .leftJoin(alerts, eq(alerts.crisisId, crises.id))
    .where(and(eq(crises.organizationId, organizationId), ne(crises.status, 'resolved')))
    .groupBy(crises.id)
    .orderBy(desc(crises.openedAt));
}
