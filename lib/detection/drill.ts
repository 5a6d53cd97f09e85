import { and, count, eq, gte } from 'drizzle-orm';
import { detectionBuckets } from '@/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import type { Ctx } from '@/lib/context';
import { conflict, forbidden } from '@/lib/errors';
import { publish } from '@/lib/events';
import { airlineStormScenario, batchesOf } from './storm-scenario';

const HOUR_MS = 3_600_000;
const QUIET_HOURS = 26;
const STORM_MINUTES = 20;

/**
 * A fire drill: replays the airline storm (a quiet day, then a promoted lost-bag post and a #lostluggage storm ending
 * now) into this organization's live detection, so the team sees the dashboard, the room opening and the
 * notifications for real. It goes through `mentions.ingested` like real traffic, without storing mentions, and is
 * refused when the organization already has traffic in that day (a replay would count into its live buckets).
 */
export async function runStormDrill({ ctx, nowMs = Date.now() }: { ctx: Ctx; nowMs?: number }): Promise<{ complaints: number; stormStartMs: number }> {
  if (ctx.actor.type !== 'member') throw forbidden();
  assertCan(ctx.actor.role, 'drill.run');
  const startMs = nowMs - QUIET_HOURS * HOUR_MS - STORM_MINUTES * 60_000;
  const [seen] = await ctx.db
    .select({ n: count() })
    .from(detectionBuckets)
    .where(and(eq(detectionBuckets.organizationId, ctx.organizationId), gte(detectionBuckets.bucketStart, new Date(startMs))));
  if ((seen?.n ?? 0) > 0) throw conflict('This organization already has traffic in the last day: a drill would mix with it. Run drills on a fresh organization.');
  const scenario = airlineStormScenario({ startMs, quietHours: QUIET_HOURS, stormMinutes: STORM_MINUTES, seed: Math.floor(nowMs / 1000) % 1000 });
  for (const batch of batchesOf(scenario.mentions, 60_000)) publish('mentions.ingested', { organizationId: ctx.organizationId, mentions: batch });
  return { complaints: scenario.mentions.filter((m) => m.category === 'complaint').length, stormStartMs: scenario.stormStartMs };
}
