import { and, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { customers, members, notifications, tickets } from '@/db/schema';
import { publish } from '@/lib/events';

/** Escalate this long before the target at the least, or a quarter of the target when that is longer. */
export const minimumEscalationLeadMinutes = 5;

/** Who gets an escalation: the organization's leads (admins when it has none), the least escalated-to in the last 24 hours first. */
async function escalationRecipients(db: Db, organizationId: string, since: Date): Promise<{ memberId: string; load: number }[]> {
  let people = await db.select({ id: members.id }).from(members).where(and(eq(members.organizationId, organizationId), eq(members.role, 'lead')));
  if (people.length === 0) people = await db.select({ id: members.id }).from(members).where(and(eq(members.organizationId, organizationId), eq(members.role, 'admin')));
  if (people.length === 0) return [];
  const loads = await db
    .select({ memberId: notifications.memberId, n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.organizationId, organizationId), eq(notifications.kind, 'sla.escalation'), gte(notifications.createdAt, since), inArray(notifications.memberId, people.map((p) => p.id))))
    .groupBy(notifications.memberId);
  const loadOf = new Map(loads.map((l) => [l.memberId, Number(l.n)]));
  return people.map((p) => ({ memberId: p.id, load: loadOf.get(p.id) ?? 0 }));
}

/**
 * Escalates open tickets without a first response that near their SLA target: each is claimed once (safe with several
 * instances), and handed to one lead in turn, the least escalated-to first, as a notification: distributed, not broadcast.
 */
export async function escalateDueTickets({ db, now = new Date() }: { db: Db; now?: Date }): Promise<{ escalated: { ticketId: string; memberId: string }[] }> {
  const escalated: { ticketId: string; memberId: string }[] = [];
  const due = await db
    .select({ id: tickets.id, organizationId: tickets.organizationId })
    .from(tickets)
    .where(
      and(
        eq(tickets.status, 'open'),
        isNull(tickets.firstResponseAt),
        isNull(tickets.escalatedAt),
        sql`${tickets.slaDueAt} - ${now.toISOString()}::timestamptz <= greatest(make_interval(mins => ${minimumEscalationLeadMinutes}), (${tickets.slaDueAt} - ${tickets.createdAt}) / 4)`,
      ),
    )
    .limit(1_000);
  const byOrg = new Map<string, string[]>();
  for (const t of due) byOrg.set(t.organizationId, [...(byOrg.get(t.organizationId) ?? []), t.id]);

  for (const [organizationId, ids] of byOrg) {
    const notified = await db.transaction(async (tx) => {
      const claimed = await tx
        .update(tickets)
        .set({ escalatedAt: now })
        .where(and(inArray(tickets.id, ids), isNull(tickets.escalatedAt)))
        .returning({ id: tickets.id, subject: tickets.subject, priority: tickets.priority, slaDueAt: tickets.slaDueAt, customerId: tickets.customerId });
      if (claimed.length === 0) return [];
      const recipients = await escalationRecipients(tx as unknown as Db, organizationId, new Date(now.getTime() - 86_400_000));
      if (recipients.length === 0) return [];
      const names = await tx.select({ id: customers.id, name: customers.displayName }).from(customers).where(inArray(customers.id, [...new Set(claimed.map((c) => c.customerId))]));
      const nameOf = new Map(names.map((n) => [n.id, n.name]));
      const rows = claimed
        .sort((a, b) => b.priority - a.priority)
        .map((ticket) => {
          recipients.sort((a, b) => a.load - b.load || a.memberId.localeCompare(b.memberId));
          const lead = recipients[0]!;
          lead.load += 1;
          const minutes = Math.round((ticket.slaDueAt.getTime() - now.getTime()) / 60_000);
          return {
            organizationId,
            memberId: lead.memberId,
            kind: 'sla.escalation',
            title: minutes >= 0 ? `First response due in ${minutes} min: ${ticket.subject}` : `First response ${-minutes} min overdue: ${ticket.subject}`,
            body: `${nameOf.get(ticket.customerId) ?? 'A customer'} · priority ${ticket.priority} · nobody has answered yet.`,
            ticketId: ticket.id,
          };
        });
      await tx.insert(notifications).values(rows);
      return rows;
    });
    for (const row of notified) escalated.push({ ticketId: row.ticketId, memberId: row.memberId });
    if (notified.length > 0) {
      publish('live.changed', { organizationId, topic: 'notifications', memberIds: [...new Set(notified.map((n) => n.memberId))] });
      publish('live.changed', { organizationId, topic: 'queue' });
    }
  }
  return { escalated };
}

/** Checks for tickets nearing their SLA target every `intervalMs`; returns the stop function. Failures are logged and retried next round. */
export function startSlaEscalation(db: Db, log: (message: string) => void, intervalMs = 30_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    escalateDueTickets({ db })
      .then(({ escalated }) => {
        if (escalated.length > 0) log(`SLA: escalated ${escalated.length} ticket(s) to leads`);
      })
      .catch((error: unknown) => log(`SLA escalation failed, retrying in ${intervalMs / 1000} s: ${(error as Error).message}`))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
