'use server';

import { redirect } from 'next/navigation';
import { type ActionResult, runAsMember } from '@/lib/auth/session';
import { addAffectedCustomers, addAffectedCustomersFromTickets } from '@/lib/crises/affected-customers';
import { approveCompensation, markCompensationPaid } from '@/lib/crises/compensation';
import { changeCrisisStatus, setCrisisBudget } from '@/lib/crises/lifecycle';
import { openCrisisByHand } from '@/lib/crises/open-by-hand';

export type OpenCrisisState = ActionResult<{ id: string }> | null;

/** Opens a crisis by hand (or joins the open one on the same topic), notifying the committee, and goes to its room. */
export async function openCrisisAction(_previous: OpenCrisisState, form: FormData): Promise<OpenCrisisState> {
  const result = await runAsMember(async (ctx) => {
    // The same verb as the dashboard's form: a room opened by hand tells the committee like one opened by detection.
    const { crisis } = await openCrisisByHand({
      ctx,
      input: { title: String(form.get('title') ?? ''), topic: String(form.get('topic') ?? ''), severity: String(form.get('severity') ?? 'high') as never },
    });
    return { id: crisis.id };
  });
  if (result.ok) redirect(`/crises/${result.data.id}`);
  return result;
}

/** Moves a crisis through open → monitoring → resolved. */
export async function changeStatusAction(crisisId: string, from: string, to: string) {
  return runAsMember(async (ctx) => {
    const crisis = await changeCrisisStatus({ ctx, input: { crisisId, from: from as never, to: to as never } });
    return { status: crisis.status };
  });
}

/** Approves one customer's compensation (leads and executives; the verb checks). */
export async function approveCompensationAction(crisisId: string, customerKey: string) {
  return runAsMember(async (ctx) => {
    const row = await approveCompensation({ ctx, input: { crisisId, customerKey } });
    return { status: row.status };
  });
}

/** Marks an approved compensation paid. */
export async function markPaidAction(crisisId: string, customerKey: string) {
  return runAsMember(async (ctx) => {
    const row = await markCompensationPaid({ ctx, input: { crisisId, customerKey } });
    return { status: row.status };
  });
}

/** Adds the customers of linked tickets to the room. */
export async function addFromTicketsAction(crisisId: string, ticketIds: string[]) {
  return runAsMember((ctx) => addAffectedCustomersFromTickets({ ctx, input: { crisisId, ticketIds } }));
}

/** Adds one customer typed in by hand. */
export async function addByHandAction(crisisId: string, customer: Record<string, string>) {
  return runAsMember((ctx) => addAffectedCustomers({ ctx, input: { crisisId, customers: [customer as never] } }));
}

/** Sets the crisis's compensation budget (in major units as typed). */
export async function setBudgetAction(crisisId: string, amount: string) {
  return runAsMember(async (ctx) => {
    const value = amount.trim() === '' ? null : Math.round(Number(amount.replace(/[^0-9.]/g, '')) * 100);
    const crisis = await setCrisisBudget({ ctx, input: { crisisId, budgetCents: value !== null && Number.isFinite(value) ? value : -1 } });
    return { budgetCents: crisis.budgetCents };
  });
}
