// npm run bench:detect — detector throughput and memory, then spike-to-room latency: replayed storms through the real
// webhook endpoints (signed X and Meta deliveries over HTTP → ingest → live detection) to the crisis row and the
// committee notification. The day of quiet traffic before each storm (the baseline's learning time) is published as
// `mentions.ingested` directly, to keep the run short; the storm itself goes through HTTP. The same storms published
// directly are measured too, for comparison. With DATABASE_URL set, on a fresh Postgres database; else on PGlite.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { alerts, crises, notifications, organizations } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import { ensureSimulatorConnections, type SimulatorConnection } from '@/lib/channels/connections';
import { handleWebhookPost, webhookSegments, type WebhookSegment } from '@/lib/channels/inbound';
import { buildDelivery } from '@/lib/channels/simulate';
import { startLiveDetection } from '@/lib/detection/service';
import { airlineStormScenario, batchesOf } from '@/lib/detection/storm-scenario';
import { type IngestedMention, publish } from '@/lib/events';
import { createOrganization } from '@/lib/orgs/create-organization';
import { benchDetector } from './detect-core';

const STORMS = 9;
const MINUTE_MS = 60_000;
const GRACE_MS = 2_000;

type StormTiming = { storm: number; bucketsLate: number; processingMs: number; spikeToRoomMs: number; openedBy: string };
type Via = 'webhooks' | 'events';

/** The ingest routes on a real HTTP server (port 0), exactly as app/api/ingest/<channel>/[key] calls them. */
async function startIngestServer(db: Db): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const match = /^\/api\/ingest\/([a-z]+)\/([^/?]+)/.exec(req.url ?? '');
      const segment = match?.[1] as WebhookSegment | undefined;
      if (!match || !segment || !webhookSegments.includes(segment)) return void res.writeHead(404).end();
      const request = new Request(`http://localhost${req.url}`, { method: 'POST', headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
      handleWebhookPost(segment, request, match[2]!, db).then(
        async (response) => res.writeHead(response.status, { 'content-type': 'application/json' }).end(await response.text()),
        (error: Error) => res.writeHead(500).end(error.message),
      );
    });
  });
  // Longer than fetch's pooled keep-alive, so an idle pooled connection is never reset under a request.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

/** Sends a batch of the scenario's posts as the platforms would: one signed delivery each, a few in flight. */
async function deliver(url: string, connections: SimulatorConnection[], batch: IngestedMention[]): Promise<void> {
  const byChannel = new Map(connections.map((c) => [c.channel as string, c]));
  const queue = [...batch];
  const worker = async () => {
    for (let m = queue.shift(); m; m = queue.shift()) {
      const connection = byChannel.get(m.channel) ?? byChannel.get('x')!;
      const delivery = buildDelivery(
        {
          channel: connection.channel,
          id: m.id,
          text: m.text,
          at: m.occurredAt,
          author: { id: m.authorHandle ?? m.id, handle: m.authorHandle?.replace(/^@/, ''), followers: m.authorFollowers ?? 0 },
        },
        connection,
      );
      const response = await fetch(url + delivery.path, { method: 'POST', headers: delivery.headers, body: delivery.body });
      if (!response.ok) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

async function roomAndNotice(db: Db, organizationId: string) {
  const [crisis] = await db.select().from(crises).where(eq(crises.organizationId, organizationId));
  if (!crisis) return null;
  const [notice] = await db.select({ id: notifications.id }).from(notifications).where(and(eq(notifications.organizationId, organizationId), eq(notifications.crisisId, crisis.id))).limit(1);
  return notice ? crisis : null;
}

async function timeStorm(db: Db, storm: number, via: Via, ingestUrl: string): Promise<StormTiming> {
  const slug = `bench-storm-${via}-${storm}-${Date.now()}`;
  await createOrganization(db, { name: `Bench ${storm}`, slug, members: [{ email: `lead@${slug}.example`, name: 'Lead', role: 'lead', password: 'bench-password-0' }, { email: `agent@${slug}.example`, name: 'Agent', role: 'agent', password: 'bench-password-0' }, { email: `admin@${slug}.example`, name: 'Admin', role: 'admin', password: 'bench-password-0' }] });
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug));
  const organizationId = org!.id;
  const connections = await ensureSimulatorConnections({ ctx: { db, organizationId, actor: { type: 'system', reason: 'bench' } } });
  const stormOnly = (batch: IngestedMention[]) => batch.filter((m) => m.topicTerms.some((t) => t === '#lostluggage' || t === 'lost' || t === 'bag' || t === 'luggage' || t === 'jfk' || t === 'suitcase' || t === 'reply' || t === 'hours'));
  // Quiet traffic as events; storm posts (and the ordinary traffic of the same minutes) as webhooks or events.
  const send = async (batch: IngestedMention[]) => {
    if (via === 'events') return publish('mentions.ingested', { organizationId, mentions: batch });
    const storm = stormOnly(batch);
    const ordinary = batch.filter((m) => !storm.includes(m));
    if (ordinary.length > 0) publish('mentions.ingested', { organizationId, mentions: ordinary });
    await deliver(ingestUrl, connections, storm);
  };
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
    for (const batch of before) {
      if (batch[0]!.occurredAt.getTime() < scenario.stormStartMs) publish('mentions.ingested', { organizationId, mentions: batch });
      else await send(batch);
    }
    await service.idle();
    // Through HTTP the replay takes real seconds, and the live clock moves on with the wall clock between complaints: the
    // onset bucket can close (and the room open) while its last posts are still being delivered. That is 0 ms after
    // the bucket closed.
    const early = await roomAndNotice(db, organizationId);
    const began = performance.now();
    let room = early;
    // Where the data's clock was when the room came: alerts raised as complaints arrive (an emerging topic reaching its
    // room size) have no bucket of their own, so their lateness is the data time past the onset bucket's close.
    let openedAtDataMs = closesOnset;
    while (!room && next < batches.length) {
      const batch = batches[next++]!;
      await send(batch);
      await service.idle();
      room = await roomAndNotice(db, organizationId);
      openedAtDataMs = batch[0]!.occurredAt.getTime();
    }
    const processingMs = performance.now() - began;
    if (!room) throw new Error(`storm ${storm}: no room opened`);
    const [trigger] = await db.select().from(alerts).where(eq(alerts.id, room.triggerAlertId!));
    // A room opened by a later bucket waited for it: count those minutes too.
    const bucketStart = trigger!.explanation.bucketStart;
    const lateMs =
      typeof bucketStart === 'string' ? Math.max(0, Math.floor(Date.parse(bucketStart) / MINUTE_MS) - onsetBucket) * MINUTE_MS : Math.max(0, openedAtDataMs - closesOnset);
    return { storm, bucketsLate: Math.floor(lateMs / MINUTE_MS), processingMs, spikeToRoomMs: processingMs + lateMs, openedBy: `${trigger!.kind} ${trigger!.seriesKey}` };
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
  const ingest = await startIngestServer(database.db);
  const timings: Record<Via, StormTiming[]> = { webhooks: [], events: [] };
  try {
    for (const via of ['webhooks', 'events'] as const) for (let storm = 0; storm < STORMS; storm++) timings[via].push(await timeStorm(database.db, storm, via, ingest.url));
  } finally {
    await ingest.close();
    await database.close();
  }
  for (const via of ['webhooks', 'events'] as const) {
    const path = via === 'webhooks' ? 'signed webhooks over HTTP → ingest' : 'mentions.ingested published directly';
    console.log(`\nspike to room: ${path} → live detection → crisis row + committee notification (${database.kind}, ${STORMS} replayed storms)`);
    console.log('  storm  opened by             buckets late  after onset bucket closed');
    for (const t of timings[via]) console.log(`  ${String(t.storm).padStart(5)}  ${t.openedBy.padEnd(20)}  ${String(t.bucketsLate).padStart(12)}  ${t.spikeToRoomMs.toFixed(0).padStart(8)} ms`);
  }
  const latencies = timings.webhooks.map((t) => t.spikeToRoomMs);
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
