'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, runAsMember } from '@/lib/auth/session';
import { markFalseAlarm } from '@/lib/crises/alerts';
import { openCrisisByHand } from '@/lib/crises/open-by-hand';

export type OpenCrisisState = ActionResult<{ id: string; title: string; created: boolean }> | null;

/** Opens a crisis by hand for the signed-in member (the verb checks the role). */
export async function openCrisisAction(_previous: OpenCrisisState, form: FormData): Promise<OpenCrisisState> {
  const result = await runAsMember(async (ctx) => {
    const { crisis, created } = await openCrisisByHand({
      ctx,
      input: { title: String(form.get('title') ?? ''), topic: String(form.get('topic') ?? ''), severity: String(form.get('severity') ?? 'high') as never, reason: String(form.get('reason') ?? '') },
    });
    return { id: crisis.id, title: crisis.title, created };
  });
  if (result.ok) revalidatePath('/dashboard');
  return result;
}

/** Marks an alert a false alarm, as feedback. */
export async function falseAlarmAction(alertId: string): Promise<ActionResult<{ id: string }>> {
  const result = await runAsMember(async (ctx) => ({ id: (await markFalseAlarm({ ctx, input: { alertId } })).id }));
  if (result.ok) revalidatePath('/dashboard');
  return result;
}
