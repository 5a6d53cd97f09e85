import { randomUUID } from 'node:crypto';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { auditLog, customerIdentities, customers, mentions, purchases, tickets } from '@/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import { type Channel, unverifiedSenderPrefix } from '@/lib/channels/types';
import { type Ctx, actorLabel, inTransaction } from '@/lib/context';
import { conflict, forbidden, invalidInput, notFound } from '@/lib/errors';
import { publish } from '@/lib/events';
import { identityKeysOf } from '@/lib/signals/identity';
import { parseInput } from '@/lib/validation';

function assertManager(ctx: Ctx): void {
  if (ctx.actor.type !== 'member') throw forbidden('Only a signed-in member can merge or split customers.');
  assertCan(ctx.actor.role, 'customers.manage');
}

async function loadLive(db: Db, organizationId: string, id: string, what: string) {
  const [row] = await db.select().from(customers).where(and(eq(customers.organizationId, organizationId), eq(customers.id, id)));
  if (!row) throw notFound(`No such ${what} in your organization.`);
  if (row.mergedIntoId) throw conflict(`The ${what} was already merged into another customer.`);
  return row;
}

/** Recomputes lifetime value, reach and last contact from what a customer now owns. */
async function refreshTotals(db: Db, customerId: string): Promise<void> {
  await db
    .update(customers)
    .set({
      lifetimeValueCents: sql`(select coalesce(sum(${purchases.amountCents}), 0) from ${purchases} where ${purchases.customerId} = ${customerId})`,
      followers: sql`greatest(0, coalesce((select max(${mentions.authorFollowers}) from ${mentions} where ${mentions.customerId} = ${customerId}), 0))`,
      lastContactAt: sql`(select max(${mentions.occurredAt}) from ${mentions} where ${mentions.customerId} = ${customerId})`,
    })
    .where(eq(customers.id, customerId));
}

export const MergeCustomersInput = z.object({
  survivorId: z.string().uuid(),
  mergedId: z.string().uuid(),
});
export type MergeCustomersInput = z.input<typeof MergeCustomersInput>;

/**
 * Merges two records of one person: identities, mentions, tickets and purchases move to the survivor, whose totals
 * are recomputed; the other record points at the survivor so old links still lead somewhere. Unverified senders'
 * keys (`unverified:…`) are dropped from both, never merged: an agent vouches for these messages, not for the address. Audited.
 */
export async function mergeCustomers({ ctx, input }: { ctx: Ctx; input: MergeCustomersInput }): Promise<{ survivorId: string; moved: { identities: number; mentions: number; tickets: number; purchases: number } }> {
  assertManager(ctx);
  const data = parseInput(MergeCustomersInput, input);
  if (data.survivorId === data.mergedId) throw invalidInput('Pick two different customers to merge.');
  const result = await inTransaction(ctx, async ({ db }) => {
    const survivor = await loadLive(db, ctx.organizationId, data.survivorId, 'customer to keep');
    const merged = await loadLive(db, ctx.organizationId, data.mergedId, 'customer to merge');
    const org = ctx.organizationId;
    // An unverified sender's key stays with nobody: kept, it would file the next forged email under this person.
    const droppedUnverified = (
      await db
        .delete(customerIdentities)
        .where(and(eq(customerIdentities.organizationId, org), inArray(customerIdentities.customerId, [survivor.id, merged.id]), like(customerIdentities.key, `${unverifiedSenderPrefix}%`)))
        .returning({ id: customerIdentities.id })
    ).length;
    const moved = {
      identities: (await db.update(customerIdentities).set({ customerId: survivor.id }).where(and(eq(customerIdentities.organizationId, org), eq(customerIdentities.customerId, merged.id))).returning({ id: customerIdentities.id })).length,
      mentions: (await db.update(mentions).set({ customerId: survivor.id }).where(and(eq(mentions.organizationId, org), eq(mentions.customerId, merged.id))).returning({ id: mentions.id })).length,
      tickets: (await db.update(tickets).set({ customerId: survivor.id }).where(and(eq(tickets.organizationId, org), eq(tickets.customerId, merged.id))).returning({ id: tickets.id })).length,
      purchases: (await db.update(purchases).set({ customerId: survivor.id }).where(and(eq(purchases.organizationId, org), eq(purchases.customerId, merged.id))).returning({ id: purchases.id })).length,
    };
    await db
      .update(customers)
      .set({
        mergedIntoId: survivor.id,
        lifetimeValueCents: 0,
        followers: 0,
      })
      .where(eq(customers.id, merged.id));
    await db
      .update(customers)
      .set({
        accountCreatedAt: survivor.accountCreatedAt ?? merged.accountCreatedAt,
        firstSeenAt: survivor.firstSeenAt < merged.firstSeenAt ? survivor.firstSeenAt : merged.firstSeenAt,
      })
      .where(eq(customers.id, survivor.id));
    await refreshTotals(db, survivor.id);
    // Reach is the largest audience seen on any of their accounts, including ones known only from imports.
    await db
      .update(customers)
      .set({ followers: sql`greatest(${customers.followers}, ${Math.max(survivor.followers, merged.followers)})` })
      .where(eq(customers.id, survivor.id));
    await db.insert(auditLog).values({ organizationId: org, actor: actorLabel(ctx.actor), action: 'customer.merge', subject: survivor.id, data: { mergedId: merged.id, mergedName: merged.displayName, moved, droppedUnverified } });
    return { survivorId: survivor.id, moved };
  });
  publish('live.changed', { organizationId: ctx.organizationId, topic: 'queue' });
  return result;
}

export const SplitCustomerInput = z.object({
  customerId: z.string().uuid(),
  identityIds: z.array(z.string().uuid()).min(1, 'Choose the identities that belong to someone else.'),
  displayName: z.string().trim().min(1).max(300).optional(),
});
export type SplitCustomerInput = z.input<typeof SplitCustomerInput>;

/**
 * Splits wrongly linked identities out to a new customer: the chosen identities move, with the mentions written
 * from them and the tickets made only of those mentions. Purchases stay (they cannot be told apart). Audited.
 */
export async function splitCustomer({ ctx, input }: { ctx: Ctx; input: SplitCustomerInput }): Promise<{ newCustomerId: string; moved: { identities: number; mentions: number; tickets: number } }> {
  assertManager(ctx);
  const data = parseInput(SplitCustomerInput, input);
  const result = await inTransaction(ctx, async ({ db }) => {
    const org = ctx.organizationId;
    const source = await loadLive(db, org, data.customerId, 'customer');
    const identities = await db.select().from(customerIdentities).where(and(eq(customerIdentities.organizationId, org), eq(customerIdentities.customerId, source.id)));
    const chosen = identities.filter((i) => data.identityIds.includes(i.id));
    if (chosen.length !== data.identityIds.length) throw invalidInput('Some chosen identities do not belong to this customer.');
    if (chosen.length === identities.length) throw invalidInput('Keep at least one identity with the customer; splitting all of them out changes nothing.');
    const movedKeys = new Set(chosen.map((i) => i.key));

    const newId = randomUUID();
    await db.insert(customers).values({ id: newId, organizationId: org, displayName: data.displayName ?? chosen[0]!.key.replace(/^[a-z]+:(id:)?@?/, ''), currency: source.currency, firstSeenAt: new Date() });
    await db.update(customerIdentities).set({ customerId: newId }).where(inArray(customerIdentities.id, chosen.map((i) => i.id)));

    const theirMentions = await db
      .select({ id: mentions.id, channel: mentions.channel, authorExternalId: mentions.authorExternalId, authorHandle: mentions.authorHandle, ticketId: mentions.ticketId })
      .from(mentions)
      .where(and(eq(mentions.organizationId, org), eq(mentions.customerId, source.id)));
    const moving = theirMentions.filter((m) => identityKeysOf({ channel: m.channel as Channel, author: { externalId: m.authorExternalId ?? '', ...(m.authorHandle && { handle: m.authorHandle }) } }).some((k) => movedKeys.has(k)));
    const movingIds = new Set(moving.map((m) => m.id));
    if (moving.length > 0) await db.update(mentions).set({ customerId: newId }).where(inArray(mentions.id, [...movingIds]));
    // A ticket moves only when every message in it moved; a mixed one stays with the original customer.
    const ticketIds = [...new Set(moving.map((m) => m.ticketId).filter((t): t is string => t !== null))];
    const wholly = ticketIds.filter((t) => theirMentions.filter((m) => m.ticketId === t).every((m) => movingIds.has(m.id)));
    if (wholly.length > 0) await db.update(tickets).set({ customerId: newId }).where(and(eq(tickets.organizationId, org), inArray(tickets.id, wholly)));
    await refreshTotals(db, newId);
    await refreshTotals(db, source.id);
    const moved = { identities: chosen.length, mentions: moving.length, tickets: wholly.length };
    await db.insert(auditLog).values({ organizationId: org, actor: actorLabel(ctx.actor), action: 'customer.split', subject: source.id, data: { newCustomerId: newId, keys: [...movedKeys], moved } });
    return { newCustomerId: newId, moved };
  });
  publish('live.changed', { organizationId: ctx.organizationId, topic: 'queue' });
  return result;
}
