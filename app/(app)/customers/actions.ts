'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, runAsMember } from '@/lib/auth/session';
import { mergeCustomers, splitCustomer } from '@/lib/signals/customers';

/** Merges `mergedId` into `survivorId`. */
export async function mergeCustomersAction(survivorId: string, mergedId: string): Promise<ActionResult<{ moved: string }>> {
  const result = await runAsMember(async (ctx) => {
    const { moved } = await mergeCustomers({ ctx, input: { survivorId, mergedId } });
    return { moved: `${moved.identities} identities, ${moved.mentions} messages, ${moved.tickets} tickets and ${moved.purchases} purchases moved.` };
  });
  if (result.ok) revalidatePath('/customers');
  return result;
}

export type SplitState = ActionResult<{ newCustomerId: string; summary: string }> | null;

/** Splits the checked identities out to a new customer. */
export async function splitCustomerAction(_: SplitState, form: FormData): Promise<SplitState> {
  const result = await runAsMember(async (ctx) => {
    const r = await splitCustomer({
      ctx,
      input: { customerId: String(form.get('customerId') ?? ''), identityIds: form.getAll('identityId').map(String), displayName: String(form.get('displayName') ?? '').trim() || undefined },
    });
    return { newCustomerId: r.newCustomerId, summary: `${r.moved.identities} identities, ${r.moved.mentions} messages and ${r.moved.tickets} tickets moved to the new customer.` };
  });
  if (result.ok) revalidatePath('/customers');
  return result;
}
