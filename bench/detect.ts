// npm run bench:detect — detector throughput and memory, then spike-to-room latency: replayed storms published as
// `mentions.ingested` through the live detection service to the crisis row and the committee notification.
// With DATABASE_URL set, the storms run on a fresh Postgres database; otherwise on in-memory PGlite.
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { alerts, crises, notifications, organizations } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import { startLiveDetection } from '@/lib/detection/service';
import { airlineStormScenario, batchesOf } from '@/lib/detection/storm-scenario';
import { publish } from '@/lib/events';
import { createOrganization } from '@/lib/orgs/create-organization';
import { benchDetector } from './detect-core';

const STORMS = 9;
const MINUTE_MS = 60_000;
const GRACE_MS = 2_000;

type StormTiming = { storm: number; bucketsLate: number; processingMs: number; spikeToRoomMs: number; openedBy: string };

async function roomAndNotice(db: Db, organizationId: string) {
  const [crisis] = await db.select().from(crises).where(eq(crises.organizationId, organizationId));
  if (!crisis) return null;
  const [notice] = await db.select({ id: notifications.id }).from(notifications).where(and(eq(notifications.organizationId, organizationId), eq(notifications.crisisId, crisis.id))).limit(1);
  return notice ? crisis : null;
}

async function timeStorm(db: Db, storm: number): Promise<StormTiming> {
  const slug = `bench-storm-${storm}-${Date.now()}`;
  await createOrganization(db, { name: `Bench ${storm}`, slug, members: [{ email: `lead@${slug}.example`, name: 'Lead', role: 'lead', password: 'bench-password-0' }, { email: `agent@${slug}.example`, name: 'Agent', role: 'agent', password: 'bench-password-0' }, { email: `admin@${slug}.example`, name: 'Admin', role: 'admin', password: 'bench-password-0' }] });
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug));
  const organizationId = org!.id;
  // The spike path alone: without the promoted post, which would open the room on arrival.
  // A day of ordinary traffic first (the baseline's learning time), storms at different hours of the day.
  const scenario = airlineStormScenario({ startMs: Date.UTC(2025, 0, 6 + storm, storm * 2.5), quietHours: 26, stormMinutes: 6, seed: 100 + storm });
  const mentions = scenario.mentions.filter((m) => m.id !== scenario.promotedPost.id);
  const onsetBucket = Math.floor(scenario.stormStartMs / MINUTE_MS);
  const closesOnset = (onsetBucket + 1) * MINUTE_MS + GRACE_MS;
  const before = batchesOf(mentions.filter((m) => m.occurredAt.getTime() < closesOnset), 15_000);
  const batches = batchesOf(mentions.filter((m) => m.occurredAt.getTime() >= closesOnset), 15_000);
  const service = startLiveDetection({ db });
  try {
    let next = 0;
    for (const batch of before) publish('mentions.ingested', { organizationId, mentions: batch });
    await service.idle();
    if (await roomAndNotice(db, organizationId)) throw new Error(`storm ${storm}: a room opened before the onset bucket closed`);
    // The clock starts when the onset bucket closes: the first batch past its end and grace.
    const began = performance.now();
    let room = null;
    while (!room && next < batches.length) {
      publish('mentions.ingested', { organizationId, mentions: batches[next++]! });
      await service.idle();
      room = await roomAndNotice(db, organizationId);
    }
    const processingMs = performance.now() - began;
    if (!room) throw new Error(`storm ${storm}: no room opened`);
    const [trigger] = await db.select().from(alerts).where(eq(alerts.id, room.triggerAlertId!));
    const alertBucket = Math.floor(new Date(String(trigger!.explanation.bucketStart ?? scenario.stormStartMs)).getTime() / MINUTE_MS);
    // A room opened by a later bucket waited for it: count those minutes too.
    const bucketsLate = Math.max(0, alertBucket - onsetBucket);
    return { storm, bucketsLate, processingMs, spikeToRoomMs: processingMs + bucketsLate * MINUTE_MS, openedBy: `${trigger!.kind} ${trigger!.seriesKey}` };
  } finally {
    await service.stop();
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

async function main(): Promise<void> {
  const detector = await benchDetector();
  console.log('spike detector, one core');
  console.log(`  points per second      ${detector.detector_points_per_s.toLocaleString('en')}   (goal > 1,000,000)`);
  console.log(`  bytes per live series  ${detector.bytes_per_series.toLocaleString('en')}   (${((detector.bytes_per_series * 10_000) / 1e6).toFixed(1)} MB for 10,000; goal < 100 MB)`);

  const database = await createTestDatabase();
  const timings: StormTiming[] = [];
  try {
    for (let storm = 0; storm < STORMS; storm++) timings.push(await timeStorm(database.db, storm));
  } finally {
    await database.close();
  }
  console.log(`\nspike to room: mentions.ingested → live detection → crisis row + committee notification (${database.kind}, ${STORMS} replayed storms)`);
  console.log('  storm  opened by             buckets late  after onset bucket closed');
  for (const t of timings) console.log(`  ${String(t.storm).padStart(5)}  ${t.openedBy.padEnd(20)}  ${String(t.bucketsLate).padStart(12)}  ${t.spikeToRoomMs.toFixed(0).padStart(8)} ms`);
  const latencies = timings.map((t) => t.spikeToRoomMs);
  const result = {
    detector_points_per_s: detector.detector_points_per_s,
    bytes_per_series: detector.bytes_per_series,
    spike_to_room_ms_p50: Math.round(percentile(latencies, 50)),
    spike_to_room_ms_p99: Math.round(percentile(latencies, 99)),
  };
  console.log(`  p50 ${result.spike_to_room_ms_p50} ms, p99 ${result.spike_to_room_ms_p99} ms (goal < 5,000 ms)`);
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
