import { and, count, desc, eq, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { channelConnections, compensations, crises, tickets } from '@/db/schema';

/** Crises that are not resolved, newest first. */
export function listActiveCrises(db: Db, organizationId: string) {
  return db
    .select({ id: crises.id, title: crises.title, status: crises.status, severity: crises.severity, openedAt: crises.openedAt, openedBy: crises.openedBy })
    .from(crises)
    .where(and(eq(crises.organizationId, organizationId), ne(crises.status, 'resolved')))
    .orderBy(desc(crises.openedAt))
    .limit(20);
}

/** Queue health at a glance: open tickets, those past their first-response target, unassigned, and the member's own. */
export async function queueHealth(db: Db, organizationId: string, memberId: string, now = new Date()) {
  const open = and(eq(tickets.organizationId, organizationId), ne(tickets.status, 'resolved'));
  const [row] = await db
    .select({
      open: count(),
      overdue: sql<number>`count(*) filter (where ${tickets.firstResponseAt} is null and ${tickets.slaDueAt} < ${now.toISOString()})`.mapWith(Number),
      unassigned: sql<number>`count(*) filter (where ${tickets.assigneeId} is null)`.mapWith(Number),
      mine: sql<number>`count(*) filter (where ${tickets.assigneeId} = ${memberId})`.mapWith(Number),
    })
    .from(tickets)
    .where(open);
  return row ?? { open: 0, overdue: 0, unassigned: 0, mine: 0 };
}

/** Compensations proposed and waiting for an executive or lead. */
export async function pendingCompensations(db: Db, organizationId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(compensations)
    .innerJoin(crises, eq(crises.id, compensations.crisisId))
    .where(and(eq(compensations.organizationId, organizationId), eq(compensations.status, 'proposed'), ne(crises.status, 'resolved')));
  return row?.n ?? 0;
}

/** Connected channels (enabled). */
export async function connectedChannels(db: Db, organizationId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(channelConnections)
    .where(and(eq(channelConnections.organizationId, organizationId), eq(channelConnections.enabled, true)));
  return row?.n ?? 0;
}

/** Tickets whose first response is overdue, oldest due first (for the agent's and lead's landing page). */
export function overdueTickets(db: Db, organizationId: string, now = new Date(), limit = 5) {
  return db
    .select({ id: tickets.id, subject: tickets.subject, channel: tickets.channel, slaDueAt: tickets.slaDueAt, priority: tickets.priority })
    .from(tickets)
    .where(and(eq(tickets.organizationId, organizationId), ne(tickets.status, 'resolved'), isNull(tickets.firstResponseAt), lt(tickets.slaDueAt, now)))
    .orderBy(tickets.slaDueAt)
    .limit(limit);
}
