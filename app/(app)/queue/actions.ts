'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, runAsMember } from '@/lib/auth/session';
import { assignTicket, setTicketStatus } from '@/lib/routing/tickets';

/** Takes a ticket (assigneeId 'me'), gives it to someone, or returns it to the queue (''). */
export async function assignTicketAction(ticketId: string, assigneeId: string): Promise<ActionResult<null>> {
  const result = await runAsMember(async (ctx) => {
    const target = assigneeId === 'me' && ctx.actor.type === 'member' ? ctx.actor.memberId : assigneeId || null;
    await assignTicket({ ctx, input: { ticketId, assigneeId: target } });
    return null;
  });
  if (result.ok) revalidatePath('/queue');
  return result;
}

/** Moves a ticket to open, pending or resolved. */
export async function setTicketStatusAction(ticketId: string, status: string): Promise<ActionResult<null>> {
  const result = await runAsMember(async (ctx) => {
    await setTicketStatus({ ctx, input: { ticketId, status: status as never } });
    return null;
  });
  if (result.ok) revalidatePath('/queue');
  return result;
}
