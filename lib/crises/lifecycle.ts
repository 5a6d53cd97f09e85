import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { crises, crisisStatuses, type CrisisStatus } from '@/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import { crisisDocumentName } from '@/lib/collab/crisis-doc';
import { liveRooms } from '@/lib/collab/live-rooms';
import { type Ctx, actorLabel, inTransaction } from '@/lib/context';
import { conflict, invalidInput, notFound } from '@/lib/errors';
import { publish } from '@/lib/events';
import { parseInput } from '@/lib/validation';
import type { CrisisRow } from './open';
import { appendCrisisEvent } from './timeline';

/*
 * The crisis lifecycle (docs: tests cite these rules).
 * [CL1] open → monitoring → resolved; monitoring → open when the storm flares up again; open → resolved directly.
 * [CL2] resolved is final: nothing leaves it; the room stays readable, read-only for everyone.
 * [CL3] only roles holding 'crisis.manage' move a crisis.
 * [CL4] every move records who and when, with its timeline event in the same transaction.
 * [CL5] a move from a status the crisis no longer has (someone moved it meanwhile) is refused with a conflict.
 */

const transitions: Record<CrisisStatus, readonly CrisisStatus[]> = {
  open: ['monitoring', 'resolved'],
  monitoring: ['open', 'resolved'],
  resolved: [],
};

/** Whether a crisis may move from one status to another ([CL1], [CL2]). */
export const canMove = (from: CrisisStatus, to: CrisisStatus) => transitions[from].includes(to);

export const ChangeCrisisStatusInput = z.object({
  crisisId: z.string().uuid(),
  /** The status the member saw; the move is refused if the crisis has moved meanwhile ([CL5]). */
  from: z.enum(crisisStatuses),
  to: z.enum(crisisStatuses),
  note: z.string().trim().max(500).optional(),
});
export type ChangeCrisisStatusInput = z.input<typeof ChangeCrisisStatusInput>;

const statusWords: Record<CrisisStatus, string> = { open: 'reopened', monitoring: 'moved to monitoring', resolved: 'resolved' };

/** Moves a crisis through its lifecycle, recording who and when; resolving it makes its room read-only at once. */
export async function changeCrisisStatus({ ctx, input }: { ctx: Ctx; input: ChangeCrisisStatusInput }): Promise<CrisisRow> {
  if (ctx.actor.type === 'member') assertCan(ctx.actor.role, 'crisis.manage');
  const data = parseInput(ChangeCrisisStatusInput, input);
  if (!canMove(data.from, data.to)) throw invalidInput(`A crisis cannot move from ${data.from} to ${data.to}.`);
  const who = ctx.actor.type === 'member' ? ctx.actor.name : actorLabel(ctx.actor);
  const crisis = await inTransaction(ctx, async (tx) => {
    const now = new Date();
    const [moved] = await tx.db
      .update(crises)
      .set({ status: data.to, statusChangedBy: who, statusChangedAt: now, resolvedAt: data.to === 'resolved' ? now : null })
      .where(and(eq(crises.organizationId, ctx.organizationId), eq(crises.id, data.crisisId), eq(crises.status, data.from)))
      .returning();
    if (!moved) {
      const [current] = await tx.db
        .select({ status: crises.status, by: crises.statusChangedBy })
        .from(crises)
        .where(and(eq(crises.organizationId, ctx.organizationId), eq(crises.id, data.crisisId)));
      if (!current) throw notFound('No such crisis.');
      throw conflict(`The crisis is already ${current.status}${current.by ? ` (changed by ${current.by})` : ''}.`);
    }
    await appendCrisisEvent(tx, moved.id, {
      kind: 'crisis.status',
      summary: `${who} ${statusWords[data.to]} the crisis${data.note ? `: ${data.note}` : ''}`,
      data: { from: data.from, to: data.to, note: data.note ?? null },
      at: now,
    });
    return moved;
  });
  // A resolved room is read-only: its peers reconnect and are authorized again.
  if (data.to === 'resolved') liveRooms()?.disconnectDocument(crisisDocumentName(crisis.id));
  publish('live.changed', { organizationId: ctx.organizationId, topic: 'crises' });
  publish('live.changed', { organizationId: ctx.organizationId, topic: `crisis:${crisis.id}` });
  return crisis;
}

export const SetCrisisBudgetInput = z.object({
  crisisId: z.string().uuid(),
  budgetCents: z.number().int().min(0, 'A budget is an amount of 0 or more.').max(1e13).nullable(),
  currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'A currency is three letters (USD, EUR…).').optional(),
});
export type SetCrisisBudgetInput = z.input<typeof SetCrisisBudgetInput>;

/** Sets the compensation budget of a crisis (roles holding 'crisis.manage'), with its timeline event. */
export async function setCrisisBudget({ ctx, input }: { ctx: Ctx; input: SetCrisisBudgetInput }): Promise<CrisisRow> {
  if (ctx.actor.type === 'member') assertCan(ctx.actor.role, 'crisis.manage');
  const data = parseInput(SetCrisisBudgetInput, input);
  const who = ctx.actor.type === 'member' ? ctx.actor.name : actorLabel(ctx.actor);
  const crisis = await inTransaction(ctx, async (tx) => {
    const [updated] = await tx.db
      .update(crises)
      .set({ budgetCents: data.budgetCents, ...(data.currency ? { currency: data.currency } : {}) })
      .where(and(eq(crises.organizationId, ctx.organizationId), eq(crises.id, data.crisisId)))
      .returning();
    if (!updated) throw notFound('No such crisis.');
    const amount = data.budgetCents === null ? 'removed the budget' : `set the budget to ${(data.budgetCents / 100).toFixed(2)} ${updated.currency}`;
    await appendCrisisEvent(tx, updated.id, { kind: 'crisis.budget', summary: `${who} ${amount}`, data: { budgetCents: data.budgetCents, currency: updated.currency } });
    return updated;
  });
  publish('live.changed', { organizationId: ctx.organizationId, topic: `crisis:${crisis.id}` });
  return crisis;
}
