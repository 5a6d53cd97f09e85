'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, runAsMember } from '@/lib/auth/session';
import { runStormDrill } from '@/lib/detection/drill';
import { updateDetectionSettings } from '@/lib/detection/settings';

export type DetectionFormState = ActionResult<{ saved: true }> | null;
export type DrillState = ActionResult<{ complaints: number; stormStartMs: number }> | null;

const fields = ['openCrisisScore', 'minExcessMinutes', 'minExcessEvents', 'warmupHours', 'stormWindowMinutes', 'emergingCrisisMinComplaints', 'emergingMinLift', 'promotedReachToOpen', 'webhookUrl', 'emailTo'] as const;

/** Saves the organization's detection settings (admins). */
export async function saveDetectionSettingsAction(_previous: DetectionFormState, form: FormData): Promise<DetectionFormState> {
  const input = Object.fromEntries(fields.map((f) => [f, String(form.get(f) ?? '')]));
  const result = await runAsMember(async (ctx) => {
    await updateDetectionSettings({ ctx, input: input as never });
    return { saved: true as const };
  });
  if (result.ok) revalidatePath('/admin/detection');
  return result;
}

/** Replays the airline storm into live detection as a fire drill (admins). */
export async function runDrillAction(_previous: DrillState, _form: FormData): Promise<DrillState> {
  return runAsMember((ctx) => runStormDrill({ ctx }));
}
