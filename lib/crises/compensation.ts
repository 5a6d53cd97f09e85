import { and, eq, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { z } from 'zod';
import { compensations, crises } from '@/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import { type CompensationEntry, crisisDocumentName, crisisParts, readCompensation, readCustomers } from '@/lib/collab/crisis-doc';
import { changeDocument } from '@/lib/collab/server-edit';
import { type Ctx, inTransaction } from '@/lib/context';
import { DomainError, conflict, forbidden, notFound } from '@/lib/errors';
import { publish } from '@/lib/events';
import { parseInput } from '@/lib/validation';
import { appendCrisisEvent } from './timeline';

/*
 * Compensation (tests cite these rules).
 * [CO1] only executives and leads approve or mark paid ('compensation.approve'); the server checks the role.
 * [CO2] one compensation per customer per crisis: the unique (crisis_id, customer_key) decides, even under a race.
 * [CO3] an approval records the exact amounts approved, who and when, in SQL with its timeline event in one
 *       transaction; the room's document then shows it, and the room refuses any later change to that entry.
 * [CO4] approving twice is a conflict naming who approved first; paying needs an approval first.
 */

export const CompensationDecisionInput = z.object({
  crisisId: z.string().uuid(),
  customerKey: z.string().trim().min(1).max(300),
});
export type CompensationDecisionInput = z.input<typeof CompensationDecisionInput>;

/** Amounts in minor units, shown to people. */
export function formatMoney(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

function approver(ctx: Ctx) {
  if (ctx.actor.type !== 'member') throw forbidden('Only a lead or an executive approves compensation.');
  assertCan(ctx.actor.role, 'compensation.approve');
  return ctx.actor;
}

async function crisisOf(ctx: Ctx, crisisId: string) {
  const [crisis] = await ctx.db
    .select({ id: crises.id, status: crises.status })
    .from(crises)
    .where(and(eq(crises.organizationId, ctx.organizationId), eq(crises.id, crisisId)));
  if (!crisis) throw notFound('No such crisis.');
  return crisis;
}

/** Reads one entry and the customer's name as the room holds them now. */
async function entryInRoom(ctx: Ctx, crisisId: string, customerKey: string): Promise<{ entry: CompensationEntry; name: string }> {
  const found = await changeDocument(ctx.db, crisisDocumentName(crisisId), ctx.organizationId, (doc) => ({
    entry: readCompensation(doc).get(customerKey),
    name: readCustomers(doc).find((c) => c.customerKey === customerKey)?.name ?? customerKey,
  }));
  if (!found.entry) throw notFound('This customer has no compensation in the room.');
  return { entry: found.entry, name: found.name };
}

function writeDecision(crisisId: string, ctx: Ctx, customerKey: string, fields: Record<string, unknown>) {
  return changeDocument(ctx.db, crisisDocumentName(crisisId), ctx.organizationId, (doc) => {
    const { compensation } = crisisParts(doc);
    let entry = compensation.get(customerKey);
    if (!(entry instanceof Y.Map)) {
      entry = new Y.Map<unknown>();
      compensation.set(customerKey, entry);
    }
    for (const [key, value] of Object.entries(fields)) entry.set(key, value);
  });
}

/**
 * Approves a customer's proposed compensation with the amounts the room shows now ([CO1]–[CO4]). Returns the
 * approved row. Two approvers at once: one wins, the other gets a conflict.
 */
export async function approveCompensation({ ctx, input }: { ctx: Ctx; input: CompensationDecisionInput }) {
  const actor = approver(ctx);
  const data = parseInput(CompensationDecisionInput, input);
  await crisisOf(ctx, data.crisisId);
  const { entry, name } = await entryInRoom(ctx, data.crisisId, data.customerKey);
  if (entry.status !== 'proposed') throw conflict(`This compensation is already ${entry.status}${entry.approvedBy ? ` (approved by ${entry.approvedBy})` : ''}.`);
  if (entry.refundCents <= 0 && entry.compensationCents <= 0) throw new DomainError('INVALID_INPUT', 'Enter a refund or a compensation amount before approving.');
  const now = new Date();
  const row = await inTransaction(ctx, async (tx) => {
    const [approved] = await tx.db
      .insert(compensations)
      .values({
        organizationId: ctx.organizationId,
        crisisId: data.crisisId,
        customerKey: data.customerKey,
        refundCents: entry.refundCents,
        compensationCents: entry.compensationCents,
        compensationType: entry.compensationType,
        currency: entry.currency,
        status: 'approved',
        approvedBy: actor.memberId,
        approvedAt: now,
      })
      .onConflictDoUpdate({
        target: [compensations.crisisId, compensations.customerKey],
        set: {
          refundCents: entry.refundCents,
          compensationCents: entry.compensationCents,
          compensationType: entry.compensationType,
          currency: entry.currency,
          status: 'approved',
          approvedBy: actor.memberId,
          approvedAt: now,
          updatedAt: sql`now()`,
        },
        setWhere: and(eq(compensations.organizationId, ctx.organizationId), eq(compensations.status, 'proposed')),
      })
      .returning();
    if (!approved) throw conflict('Someone approved this compensation a moment ago.');
    const parts = [entry.refundCents > 0 ? `${formatMoney(entry.refundCents, entry.currency)} refund` : null, entry.compensationCents > 0 ? `${formatMoney(entry.compensationCents, entry.currency)} ${entry.compensationType}` : null];
    await appendCrisisEvent(tx, data.crisisId, {
      kind: 'compensation.approve',
      summary: `${actor.name} approved ${parts.filter(Boolean).join(' + ')} for ${name}`,
      data: { customerKey: data.customerKey, refundCents: entry.refundCents, compensationCents: entry.compensationCents, currency: entry.currency },
      at: now,
    });
    return approved;
  });
  // The room shows exactly what was approved (an amount typed meanwhile is replaced by the approved one).
  await writeDecision(data.crisisId, ctx, data.customerKey, {
    refundCents: row.refundCents,
    compensationCents: row.compensationCents,
    compensationType: row.compensationType,
    currency: row.currency,
    status: 'approved',
    approvedBy: actor.name,
    approvedById: actor.memberId,
    approvedAt: now.toISOString(),
  });
  publish('live.changed', { organizationId: ctx.organizationId, topic: `crisis:${data.crisisId}` });
  return row;
}

/** Records that an approved compensation was paid ([CO1], [CO4]). */
export async function markCompensationPaid({ ctx, input }: { ctx: Ctx; input: CompensationDecisionInput }) {
  const actor = approver(ctx);
  const data = parseInput(CompensationDecisionInput, input);
  await crisisOf(ctx, data.crisisId);
  const { name } = await entryInRoom(ctx, data.crisisId, data.customerKey);
  const now = new Date();
  const row = await inTransaction(ctx, async (tx) => {
    const [paid] = await tx.db
      .update(compensations)
      .set({ status: 'paid', updatedAt: now })
      .where(and(eq(compensations.organizationId, ctx.organizationId), eq(compensations.crisisId, data.crisisId), eq(compensations.customerKey, data.customerKey), eq(compensations.status, 'approved')))
      .returning();
    if (!paid) throw conflict('Only an approved compensation can be marked paid (it may be paid already).');
    await appendCrisisEvent(tx, data.crisisId, {
      kind: 'compensation.paid',
      summary: `${actor.name} marked ${formatMoney(paid.refundCents + paid.compensationCents, paid.currency)} paid to ${name}`,
      data: { customerKey: data.customerKey },
      at: now,
    });
    return paid;
  });
  await writeDecision(data.crisisId, ctx, data.customerKey, { status: 'paid', paidBy: actor.name, paidAt: now.toISOString() });
  publish('live.changed', { organizationId: ctx.organizationId, topic: `crisis:${data.crisisId}` });
  return row;
}
