'use server';

import { revalidatePath } from 'next/cache';
import { channels } from '@/db/schema';
import { type ActionResult, runAsMember } from '@/lib/auth/session';
import { triggerCategories, triggerLanguages } from '@/lib/signals/classify';
import { defaultPriorityWeights } from '@/lib/signals/priority';
import { updateListeningSettings } from '@/lib/signals/settings';

export type SettingsState = ActionResult<{ savedAt: string }> | null;

const numberOf = (form: FormData, name: string) => {
  const raw = String(form.get(name) ?? '').trim();
  return raw === '' ? undefined : Number(raw);
};

/** Saves SLA targets, priority weights, trigger phrases and the home calling code from the settings form. */
export async function saveSettingsAction(_: SettingsState, form: FormData): Promise<SettingsState> {
  const result = await runAsMember(async (ctx) => {
    const slaMinutes = Object.fromEntries(channels.flatMap((c) => (numberOf(form, `sla:${c}`) === undefined ? [] : [[c, numberOf(form, `sla:${c}`)]])));
    const weights = Object.fromEntries(Object.keys(defaultPriorityWeights).flatMap((w) => (numberOf(form, `weight:${w}`) === undefined ? [] : [[w, numberOf(form, `weight:${w}`)]])));
    const triggers = Object.fromEntries(
      triggerCategories.map((category) => [
        category,
        Object.fromEntries(
          triggerLanguages.map((lang) => [
            lang,
            String(form.get(`triggers:${category}:${lang}`) ?? '')
              .split('\n')
              .map((p) => p.trim())
              .filter(Boolean),
          ]),
        ),
      ]),
    );
    const callingCode = String(form.get('defaultCallingCode') ?? '').trim();
    await updateListeningSettings({ ctx, input: { slaMinutes, weights, triggers, defaultCallingCode: callingCode === '' ? null : callingCode } });
    return { savedAt: new Date().toISOString() };
  });
  if (result.ok) revalidatePath('/admin/settings');
  return result;
}
