import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { organizationSettings } from '@/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import type { Ctx } from '@/lib/context';
import { forbidden } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { type LiveDetectionSettings, liveSettingsOf } from './live-settings';

const MINUTE_MS = 60_000;

/** What an admin tunes on the detection page, in the units people think in. */
export const UpdateDetectionSettingsInput = z.object({
  openCrisisScore: z.coerce.number().min(4, 'A score below 4 is below what the detector alerts on at all.').max(20),
  minExcessMinutes: z.coerce.number().int().min(0).max(24 * 60),
  minExcessEvents: z.coerce.number().int().min(1).max(100_000),
  warmupHours: z.coerce.number().min(0).max(7 * 24),
  stormWindowMinutes: z.coerce.number().int().min(1).max(7 * 24 * 60),
  emergingCrisisMinComplaints: z.coerce.number().int().min(1).max(100_000),
  emergingMinLift: z.coerce.number().min(1, 'A term is emerging only when it is above its usual share (at least 1×).').max(100),
  promotedReachToOpen: z.coerce.number().int().min(0).max(1e9),
  webhookUrl: z
    .string()
    .trim()
    .max(500)
    .refine((url) => url === '' || /^https?:\/\/[^\s]+$/.test(url), 'The webhook must be an http(s) URL.')
    .default(''),
  emailTo: z
    .string()
    .trim()
    .max(2000)
    .default('')
    .transform((list) => list.split(/[\s,;]+/).filter((a) => a !== ''))
    .pipe(z.array(z.string().email('Each extra recipient must be an email address.')).max(50)),
});
export type UpdateDetectionSettingsInput = z.input<typeof UpdateDetectionSettingsInput>;

/** The settings page's view: live detection settings and where notifications go. */
export async function readDetectionSettings(ctx: Ctx): Promise<{ detection: LiveDetectionSettings; webhookUrl: string; emailTo: string[] }> {
  const [row] = await ctx.db.select().from(organizationSettings).where(eq(organizationSettings.organizationId, ctx.organizationId));
  return { detection: liveSettingsOf(row?.detection), webhookUrl: row?.notifications.webhookUrl ?? '', emailTo: row?.notifications.emailTo ?? [] };
}

/** Saves an organization's detection thresholds and notification targets (admins; the live service reads them within 30 s). */
export async function updateDetectionSettings({ ctx, input }: { ctx: Ctx; input: UpdateDetectionSettingsInput }): Promise<LiveDetectionSettings> {
  if (ctx.actor.type !== 'member') throw forbidden();
  assertCan(ctx.actor.role, 'settings.manage');
  const data = parseInput(UpdateDetectionSettingsInput, input);
  const current = await readDetectionSettings(ctx);
  const detection = liveSettingsOf({
    ...current.detection,
    openCrisisScore: data.openCrisisScore,
    stormWindowMinutes: data.stormWindowMinutes,
    emergingCrisisMinComplaints: data.emergingCrisisMinComplaints,
    emerging: { ...current.detection.emerging, minLift: data.emergingMinLift },
    promotedReachToOpen: data.promotedReachToOpen,
    spike: { ...current.detection.spike, minExcessMs: data.minExcessMinutes * MINUTE_MS, minExcessEvents: data.minExcessEvents, warmupMs: Math.round(data.warmupHours * 60) * MINUTE_MS },
  });
  const notifications = { ...(data.webhookUrl ? { webhookUrl: data.webhookUrl } : {}), ...(data.emailTo.length ? { emailTo: data.emailTo } : {}) };
  await ctx.db
    .insert(organizationSettings)
    .values({ organizationId: ctx.organizationId, detection, notifications })
    .onConflictDoUpdate({ target: organizationSettings.organizationId, set: { detection, notifications, updatedAt: sql`now()` } });
  return detection;
}
