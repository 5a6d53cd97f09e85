import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { compensations, crises, crisisChecklistItems, crisisCustomers, customers, members, tickets, users } from '@/db/schema';

/** Crises of an organization, open ones first, with the room's progress from the SQL projection. */
export function listCrises(db: Db, organizationId: string) {
  return db
    .select({
      id: crises.id,
      title: crises.title,
      status: crises.status,
      severity: crises.severity,
      trigger: crises.trigger,
      openedBy: crises.openedBy,
      openedAt: crises.openedAt,
      resolvedAt: crises.resolvedAt,
      itemsTotal: sql<number>`(select count(*)::int from ${crisisChecklistItems} where ${crisisChecklistItems.crisisId} = ${crises.id})`,
      itemsDone: sql<number>`(select count(*)::int from ${crisisChecklistItems} where ${crisisChecklistItems.crisisId} = ${crises.id} and ${crisisChecklistItems.doneAt} is not null)`,
      customers: sql<number>`(select count(*)::int from ${crisisCustomers} where ${crisisCustomers.crisisId} = ${crises.id})`,
    })
    .from(crises)
    .where(eq(crises.organizationId, organizationId))
    .orderBy(sql`case ${crises.status} when 'open' then 0 when 'monitoring' then 1 else 2 end`, desc(crises.openedAt))
    .limit(200);
}

/** One crisis of an organization. */
export async function findCrisis(db: Db, organizationId: string, crisisId: string) {
  const [crisis] = await db
    .select()
    .from(crises)
    .where(and(eq(crises.organizationId, organizationId), eq(crises.id, crisisId)));
  return crisis ?? null;
}

/** The tickets linked to a crisis (tickets.crisis_id), with their customer, newest first. */
export function listLinkedTickets(db: Db, organizationId: string, crisisId: string) {
  return db
    .select({
      id: tickets.id,
      subject: tickets.subject,
      channel: tickets.channel,
      status: tickets.status,
      priority: tickets.priority,
      customerId: tickets.customerId,
      customerName: customers.displayName,
      createdAt: tickets.createdAt,
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(and(eq(tickets.organizationId, organizationId), eq(tickets.crisisId, crisisId)))
    .orderBy(desc(tickets.priority), desc(tickets.createdAt))
    .limit(500);
}

/** Compensation totals of a crisis per status and currency (plain SQL over the projection). */
export function compensationTotals(db: Db, organizationId: string, crisisId: string) {
  return db
    .select({
      status: compensations.status,
      currency: compensations.currency,
      customers: sql<number>`count(*)::int`,
      refundCents: sql<number>`coalesce(sum(${compensations.refundCents}), 0)::bigint`.mapWith(Number),
      compensationCents: sql<number>`coalesce(sum(${compensations.compensationCents}), 0)::bigint`.mapWith(Number),
    })
    .from(compensations)
    .where(and(eq(compensations.organizationId, organizationId), eq(compensations.crisisId, crisisId)))
    .groupBy(compensations.status, compensations.currency);
}

/** Affected customers with their compensation, for the CSV export (plain SQL over the projection). */
export function affectedCustomersForExport(db: Db, organizationId: string, crisisId: string) {
  return db
    .select({
      name: crisisCustomers.name,
      customerKey: crisisCustomers.customerKey,
      contacts: crisisCustomers.contacts,
      whatHappened: crisisCustomers.whatHappened,
      state: crisisCustomers.state,
      refundCents: compensations.refundCents,
      compensationCents: compensations.compensationCents,
      compensationType: compensations.compensationType,
      currency: compensations.currency,
      status: compensations.status,
      approvedBy: users.name,
      approvedAt: compensations.approvedAt,
    })
    .from(crisisCustomers)
    .leftJoin(compensations, and(eq(compensations.crisisId, crisisCustomers.crisisId), eq(compensations.customerKey, crisisCustomers.customerKey)))
    .leftJoin(members, eq(members.id, compensations.approvedBy))
    .leftJoin(users, eq(users.id, members.userId))
    .where(and(eq(crisisCustomers.organizationId, organizationId), eq(crisisCustomers.crisisId, crisisId)))
    .orderBy(asc(crisisCustomers.name));
}
