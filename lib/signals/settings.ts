import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { auditLog, organizationSettings } from '@/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import { channels, type Channel } from '@/lib/channels/types';
import { type Ctx, actorLabel, inTransaction } from '@/lib/context';
import { forbidden } from '@/lib/errors';
import { type ClassifyOptions, defaultTriggersByLanguage, triggerCategories, triggerLanguages, type TriggerSet } from '@/lib/signals/classify';
import { defaultPriorityWeights, PriorityWeights } from '@/lib/signals/priority';
import { parseInput } from '@/lib/validation';

/** First-response target when an organization sets none for a channel. */
export const defaultSlaMinutes = 60;

/** How far before its target a ticket is escalated to a lead, as a fraction of the target (at least 5 minutes). */
export const escalationLeadFraction = 0.25;

/** An organization's listening settings, merged with the defaults: what ingest, the queue and routing read. */
export interface ListeningSettings {
  classify: ClassifyOptions;
  /** Trigger phrases per category and language, as the settings page edits them. */
  triggers: TriggerSet;
  weights: PriorityWeights;
  slaMinutes: Record<Channel, number>;
  /** The country calling code ("34") a phone number without one is read in; null when the organization set none. */
  defaultCallingCode: string | null;
}

/** A country calling code as an admin types it ("+34", "34"), stored without the plus. */
export const CallingCode = z
  .string()
  .trim()
  .transform((code) => code.replace(/^\+/, ''))
  .pipe(z.string().regex(/^[1-9]\d{0,2}$/, 'A country calling code is 1 to 3 digits, such as 1, 34 or 351.'));

const Phrases = z.array(z.string().trim().min(1).max(100)).max(500);
const StoredTriggers = z.record(z.string(), z.record(z.string(), Phrases)).optional();

/** Merges stored (possibly partial, possibly stale) settings with the defaults; anything unreadable falls back to the default. */
export function mergeSettings(
  stored: { classification?: Record<string, unknown>; priorityWeights?: Record<string, number>; slaMinutes?: Partial<Record<Channel, number>>; defaultCallingCode?: string | null } | undefined,
): ListeningSettings {
  const storedTriggers = StoredTriggers.safeParse(stored?.classification?.triggers);
  const triggers = Object.fromEntries(
    triggerCategories.map((category) => [
      category,
      Object.fromEntries(triggerLanguages.map((lang) => [lang, (storedTriggers.success && storedTriggers.data?.[category]?.[lang]) || defaultTriggersByLanguage[category][lang]])),
    ]),
  ) as TriggerSet;
  const flatten = (category: (typeof triggerCategories)[number]) => [...new Set(triggerLanguages.flatMap((lang) => triggers[category][lang]))];
  const weights = PriorityWeights.safeParse({ ...defaultPriorityWeights, ...(stored?.priorityWeights ?? {}) });
  const slaMinutes = Object.fromEntries(
    channels.map((channel) => {
      const minutes = stored?.slaMinutes?.[channel];
      return [channel, typeof minutes === 'number' && minutes > 0 ? minutes : defaultSlaMinutes];
    }),
  ) as Record<Channel, number>;
  return {
    classify: { triggers: { complaint: flatten('complaint'), question: flatten('question'), praise: flatten('praise') } },
    triggers,
    weights: weights.success ? weights.data : defaultPriorityWeights,
    slaMinutes,
    defaultCallingCode: CallingCode.safeParse(stored?.defaultCallingCode ?? '').data ?? null,
  };
}

// Ingest reads settings on every run; a few seconds of staleness on other instances is fine, and this one is told at once.
const cacheMs = 5_000;
const cache = new Map<string, { at: number; settings: ListeningSettings }>();

/** The organization's listening settings merged with the defaults (cached for a few seconds; saving clears it here). */
export async function loadListeningSettings(db: Db, organizationId: string): Promise<ListeningSettings> {
  const hit = cache.get(organizationId);
  if (hit && Date.now() - hit.at < cacheMs) return hit.settings;
  const settings = await readListeningSettings(db, organizationId);
  cache.set(organizationId, { at: Date.now(), settings });
  return settings;
}

async function readListeningSettings(db: Db, organizationId: string): Promise<ListeningSettings> {
  const [row] = await db
    .select({ classification: organizationSettings.classification, priorityWeights: organizationSettings.priorityWeights, slaMinutes: organizationSettings.slaMinutes, defaultCallingCode: organizationSettings.defaultCallingCode })
    .from(organizationSettings)
    .where(eq(organizationSettings.organizationId, organizationId));
  return mergeSettings(row);
}

const SlaMinutes = z.number().int().min(1, 'An SLA target is at least 1 minute.').max(10_080, 'An SLA target is at most a week (10080 minutes).');

export const UpdateListeningSettingsInput = z.object({
  slaMinutes: z.partialRecord(z.enum(channels), SlaMinutes).default({}),
  weights: PriorityWeights.partial().default({}),
  /** Trigger phrases per category and language; a list replaces that language's defaults. */
  triggers: z.partialRecord(z.enum(triggerCategories), z.partialRecord(z.enum(triggerLanguages), Phrases)).default({}),
  /** Country calling code for numbers written without one; null clears it, absent keeps it. */
  defaultCallingCode: CallingCode.nullable().optional(),
});
export type UpdateListeningSettingsInput = z.input<typeof UpdateListeningSettingsInput>;

/** Saves SLA targets, priority weights, trigger phrases and the home calling code (admins only), with an audit row in the same transaction. */
export async function updateListeningSettings({ ctx, input }: { ctx: Ctx; input: UpdateListeningSettingsInput }): Promise<ListeningSettings> {
  if (ctx.actor.type !== 'member') throw forbidden('Only a signed-in admin can change settings.');
  assertCan(ctx.actor.role, 'settings.manage');
  const data = parseInput(UpdateListeningSettingsInput, input);
  const saved = await inTransaction(ctx, async ({ db }) => {
    const current = await readListeningSettings(db, ctx.organizationId);
    const triggers = Object.fromEntries(triggerCategories.map((category) => [category, { ...current.triggers[category], ...(data.triggers[category] ?? {}) }]));
    const values = {
      organizationId: ctx.organizationId,
      classification: { triggers },
      priorityWeights: { ...current.weights, ...data.weights },
      slaMinutes: { ...current.slaMinutes, ...data.slaMinutes },
      defaultCallingCode: data.defaultCallingCode === undefined ? current.defaultCallingCode : data.defaultCallingCode,
      updatedAt: new Date(),
    };
    await db
      .insert(organizationSettings)
      .values(values)
      .onConflictDoUpdate({ target: organizationSettings.organizationId, set: { classification: values.classification, priorityWeights: values.priorityWeights, slaMinutes: values.slaMinutes, defaultCallingCode: values.defaultCallingCode, updatedAt: values.updatedAt } });
    await db.insert(auditLog).values({ organizationId: ctx.organizationId, actor: actorLabel(ctx.actor), action: 'settings.update', data: { slaMinutes: values.slaMinutes, priorityWeights: values.priorityWeights, defaultCallingCode: values.defaultCallingCode } });
    return mergeSettings(values);
  });
  cache.delete(ctx.organizationId);
  return saved;
}
