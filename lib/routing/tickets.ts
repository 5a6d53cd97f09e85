import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { auditLog, members, ticketStatuses, tickets } from '@/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import { type Ctx, actorLabel, inTransaction } from '@/lib/context';
import { forbidden, invalidInput, notFound } from '@/lib/errors';
import { publish } from '@/lib/events';
import { parseInput } from '@/lib/validation';

function assertWorker(ctx: Ctx): void {
  if (ctx.actor.type !== 'member') throw forbidden('Only a signed-in member can work the queue.');
  assertCan(ctx.actor.role, 'queue.work');
}

export const AssignTicketInput = z.object({ ticketId: z.string().uuid(), assigneeId: z.string().uuid().nullable() });
export type AssignTicketInput = z.input<typeof AssignTicketInput>;

/** Gives a ticket to a member of the organization (or back to the queue with null). */
export async function assignTicket({ ctx, input }: { ctx: Ctx; input: AssignTicketInput }): Promise<void> {
  assertWorker(ctx);
  const data = parseInput(AssignTicketInput, input);
  await inTransaction(ctx, async ({ db }) => {
    if (data.assigneeId) {
      const [member] = await db.select({ id: members.id }).from(members).where(and(eq(members.organizationId, ctx.organizationId), eq(members.id, data.assigneeId)));
      if (!member) throw invalidInput('That person is not a member of your organization.');
    }
    const [row] = await db
      .update(tickets)
      .set({ assigneeId: data.assigneeId })
      .where(and(eq(tickets.organizationId, ctx.organizationId), eq(tickets.id, data.ticketId)))
      .returning({ id: tickets.id });
    if (!row) throw notFound('No such ticket in your organization.');
    await db.insert(auditLog).values({ organizationId: ctx.organizationId, actor: actorLabel(ctx.actor), action: 'ticket.assign', subject: row.id, data: { assigneeId: data.assigneeId } });
  });
  publish('live.changed', { organizationId: ctx.organizationId, topic: 'queue' });
}

export const SetTicketStatusInput = z.object({ ticketId: z.string().uuid(), status: z.enum(ticketStatuses) });
export type SetTicketStatusInput = z.input<typeof SetTicketStatusInput>;

/**
 * Moves a ticket between open, pending (answered, waiting on the customer) and resolved. Leaving `open` counts as
 * the first response when none was recorded, which stops the SLA timer.
 */
export async function setTicketStatus({ ctx, input }: { ctx: Ctx; input: SetTicketStatusInput }): Promise<void> {
  assertWorker(ctx);
  const data = parseInput(SetTicketStatusInput, input);
  await inTransaction(ctx, async ({ db }) => {
    const [ticket] = await db.select().from(tickets).where(and(eq(tickets.organizationId, ctx.organizationId), eq(tickets.id, data.ticketId)));
    if (!ticket) throw notFound('No such ticket in your organization.');
    const now = new Date();
    await db
      .update(tickets)
      .set({
        status: data.status,
        resolvedAt: data.status === 'resolved' ? now : null,
        ...(data.status !== 'open' && !ticket.firstResponseAt && { firstResponseAt: now }),
      })
      .where(eq(tickets.id, ticket.id));
    await db.insert(auditLog).values({ organizationId: ctx.organizationId, actor: actorLabel(ctx.actor), action: 'ticket.status', subject: ticket.id, data: { from: ticket.status, to: data.status } });
  });
  publish('live.changed', { organizationId: ctx.organizationId, topic: 'queue' });
}
