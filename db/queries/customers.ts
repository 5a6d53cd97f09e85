import { and, desc, eq, ilike, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { customerIdentities, customers, mentions, purchases, tickets } from '@/db/schema';

/** One customer of the organization (merged ones included, so links to them still resolve). */
export async function findCustomer(db: Db, organizationId: string, customerId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(customerId)) return null;
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.organizationId, organizationId), eq(customers.id, customerId)));
  return row ?? null;
}

/** Everything an agent needs beside a ticket: identities, purchases, every contact on any channel, their tickets. */
export async function customerPanel(db: Db, organizationId: string, customerId: string, historyLimit = 100) {
  const customer = await findCustomer(db, organizationId, customerId);
  if (!customer) return null;
  const [identities, purchaseRows, history, ticketRows] = await Promise.all([
    db
      .select({ id: customerIdentities.id, key: customerIdentities.key, createdAt: customerIdentities.createdAt })
      .from(customerIdentities)
      .where(and(eq(customerIdentities.organizationId, organizationId), eq(customerIdentities.customerId, customerId)))
      .orderBy(customerIdentities.createdAt),
    db
      .select()
      .from(purchases)
      .where(and(eq(purchases.organizationId, organizationId), eq(purchases.customerId, customerId)))
      .orderBy(desc(purchases.purchasedAt)),
    db
      .select({
        id: mentions.id,
        channel: mentions.channel,
        kind: mentions.kind,
        text: mentions.text,
        occurredAt: mentions.occurredAt,
        category: mentions.category,
        sentiment: mentions.sentiment,
        priority: mentions.priority,
        ticketId: mentions.ticketId,
        isPublic: mentions.isPublic,
        promoted: mentions.promoted,
        authorHandle: mentions.authorHandle,
        authorExternalId: mentions.authorExternalId,
      })
      .from(mentions)
      .where(and(eq(mentions.organizationId, organizationId), eq(mentions.customerId, customerId)))
      .orderBy(desc(mentions.occurredAt))
      .limit(historyLimit),
    db
      .select({ id: tickets.id, subject: tickets.subject, status: tickets.status, priority: tickets.priority, createdAt: tickets.createdAt })
      .from(tickets)
      .where(and(eq(tickets.organizationId, organizationId), eq(tickets.customerId, customerId)))
      .orderBy(desc(tickets.createdAt)),
  ]);
  const [totals] = await db
    .select({ mentions: sql<number>`count(*)::int` })
    .from(mentions)
    .where(and(eq(mentions.organizationId, organizationId), eq(mentions.customerId, customerId)));
  return { customer, identities, purchases: purchaseRows, history, tickets: ticketRows, mentionCount: Number(totals?.mentions ?? 0) };
}

export type CustomerPanelData = NonNullable<Awaited<ReturnType<typeof customerPanel>>>;

/** Customers (not merged away) matching a name or identity, most recently in contact first. */
export async function searchCustomers(db: Db, organizationId: string, query: string, limit = 50) {
  const q = query.trim();
  const matching = q
    ? or(
        ilike(customers.displayName, `%${q}%`),
        sql`exists (select 1 from ${customerIdentities} where ${customerIdentities.customerId} = ${customers.id} and ${customerIdentities.key} ilike ${`%${q.toLowerCase()}%`})`,
      )
    : undefined;
  return db
    .select({
      id: customers.id,
      displayName: customers.displayName,
      followers: customers.followers,
      lifetimeValueCents: customers.lifetimeValueCents,
      currency: customers.currency,
      lastContactAt: customers.lastContactAt,
      agitatorKind: sql<string | null>`${customers.agitator}->>'kind'`,
      identities: sql<string[]>`coalesce((select array_agg(${customerIdentities.key} order by ${customerIdentities.key}) from ${customerIdentities} where ${customerIdentities.customerId} = ${customers.id}), '{}')`,
    })
    .from(customers)
    .where(and(eq(customers.organizationId, organizationId), isNull(customers.mergedIntoId), matching))
    .orderBy(sql`${customers.lastContactAt} desc nulls last`)
    .limit(limit);
}
