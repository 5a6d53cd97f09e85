import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DatabaseHandle } from '@/db/client';
import { alerts, crises, customers, detectionBuckets, detectionSeries, detectionTerms, mentions, notifications, tickets } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import { listCrisisEvents } from '@/lib/crises/timeline';
import { type IngestedMention, publish } from '@/lib/events';
import { createTestOrganization } from '@/test/fixtures';
import { waitFor } from '@/test/wait';
import { ordinaryTraffic } from './ordinary-traffic';
import { startLiveDetection } from './service';
import { type StormScenario, airlineStormScenario, batchesOf } from './storm-scenario';

let database: DatabaseHandle;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database.close());

/** Stores the storm's complaints as real tickets (and the promoted post as a real mention), as ingest would have. */
async function storeStormTickets(organizationId: string, scenario: StormScenario): Promise<Map<string, string>> {
  const [customer] = await db.insert(customers).values({ organizationId, displayName: 'Stranded travellers' }).returning();
  const storm = scenario.mentions.filter((m) => m.occurredAt.getTime() >= scenario.stormStartMs && m.category === 'complaint');
  const ticketOf = new Map<string, string>();
  for (let i = 0; i < storm.length; i += 500) {
    const rows = await db
      .insert(tickets)
      .values(storm.slice(i, i + 500).map((m) => ({ organizationId, customerId: customer!.id, subject: m.text.slice(0, 80), channel: 'x' as const, slaDueAt: new Date(m.occurredAt.getTime() + 3_600_000) })))
      .returning({ id: tickets.id });
    rows.forEach((row, k) => ticketOf.set(storm[i + k]!.id, row.id));
  }
  const post = scenario.promotedPost;
  await db.insert(mentions).values({
    id: post.id,
    organizationId,
    channel: 'x',
    externalId: 'promoted-1',
    kind: 'post',
    text: post.text,
    occurredAt: post.occurredAt,
    isPublic: true,
    promoted: true,
    metrics: post.metrics,
    authorHandle: post.authorHandle,
    authorFollowers: post.authorFollowers,
    category: 'complaint',
    customerId: customer!.id,
    ticketId: ticketOf.get(post.id),
    raw: {},
  });
  return ticketOf;
}

function replay(organizationId: string, scenario: StormScenario, ticketOf: Map<string, string>) {
  for (const batch of batchesOf(scenario.mentions)) {
    const withTickets: IngestedMention[] = batch.map((m) => ({ ...m, ticketId: ticketOf.get(m.id) ?? null }));
    publish('mentions.ingested', { organizationId, mentions: withTickets });
  }
}

// A day of quiet traffic then a storm, through the real service into the real database: slow on a loaded 2-core
// machine, so these get a generous hang guard (not a speed assertion).
describe('live detection service', { timeout: 120_000 }, () => {
  it('replays the airline storm: exactly one crisis, the promoted post flagged, tickets linked, committee notified', async () => {
    const org = await createTestOrganization(db, 'airline-replay');
    const scenario = airlineStormScenario({ startMs: Date.UTC(2025, 2, 3, 0, 0), seed: 1 });
    const ticketOf = await storeStormTickets(org.id, scenario);
    const service = startLiveDetection({ db, snapshotEveryMs: 0 });
    try {
      replay(org.id, scenario, ticketOf);
      await service.idle();
    } finally {
      await service.stop();
    }

    const rooms = await db.select().from(crises).where(eq(crises.organizationId, org.id));
    expect(rooms).toHaveLength(1);
    const [room] = rooms;
    expect(room).toMatchObject({ status: 'open', topicKey: 'topic:#lostluggage', trigger: 'alert', openedBy: 'Stormdesk' });

    const found = await db.select().from(alerts).where(eq(alerts.organizationId, org.id));
    // Nothing in the quiet day before the storm; every alert of the storm is in the one room.
    expect(found.every((a) => a.since.getTime() >= scenario.stormStartMs - 60_000)).toBe(true);
    expect(found.filter((a) => a.status !== 'below_threshold').every((a) => a.crisisId === room!.id)).toBe(true);
    const promoted = found.filter((a) => a.kind === 'promoted_post');
    expect(promoted).toHaveLength(1);
    expect(promoted[0]).toMatchObject({ mentionId: scenario.promotedPost.id, crisisId: room!.id, observed: 180_000 });
    expect(promoted[0]!.explanation).toMatchObject({ author: { handle: '@stranded_sam', followers: 150 }, reachEstimate: 180_000, post: { text: scenario.promotedPost.text } });
    const spike = found.find((a) => a.kind === 'spike' && a.seriesKey === 'all');
    expect(spike).toBeDefined();
    // Onset within two buckets of the storm's start, explained by its hashtag.
    expect(spike!.createdAt).toBeDefined();
    expect(spike!.since.getTime() - scenario.stormStartMs).toBeLessThan(2 * 60_000);
    expect(spike!.observed).toBeGreaterThan(3 * spike!.expected);
    expect(JSON.stringify(spike!.explanation.terms)).toContain('#lostluggage');

    const events = await listCrisisEvents(db, org.id, room!.id);
    const kinds = events.map((e) => e.kind);
    expect(kinds.slice(0, 2)).toEqual(['crisis.open', 'alert.promoted_post']);
    expect(kinds).toContain('committee.notify');
    expect(events.find((e) => e.kind === 'alert.promoted_post')!.summary).toContain('@stranded_sam');

    const linked = await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.crisisId, room!.id));
    expect(linked.length).toBeGreaterThan(50);

    const told = await db.select().from(notifications).where(eq(notifications.crisisId, room!.id));
    expect(told.map((n) => n.memberId).sort()).toEqual([org.members.lead.memberId, org.members.executive.memberId, org.members.agent.memberId].sort());
    expect(told.find((n) => n.memberId === org.members.agent.memberId)!.kind).toBe('crisis.duty');
    expect(told.some((n) => n.memberId === org.members.observer.memberId)).toBe(false);

    // The dashboard's buckets: the all-complaints series with its expected band, through the storm.
    const stormBuckets = await db
      .select()
      .from(detectionBuckets)
      .where(and(eq(detectionBuckets.organizationId, org.id), eq(detectionBuckets.seriesKey, 'all'), inArray(detectionBuckets.bucketStart, [new Date(scenario.stormStartMs + 10 * 60_000)])));
    expect(stormBuckets[0]!.observed).toBeGreaterThan(stormBuckets[0]!.upper);
    const saved = await db.select().from(detectionSeries).where(eq(detectionSeries.organizationId, org.id));
    expect(saved.map((s) => s.seriesKey)).toEqual(expect.arrayContaining(['all', 'channel:x', 'topic:#lostluggage']));
  });

  it('two instances seeing the same storm open one room and store each alert once', async () => {
    const org = await createTestOrganization(db, 'airline-two-instances');
    const scenario = airlineStormScenario({ startMs: Date.UTC(2025, 2, 10, 0, 0), seed: 2 });
    const first = startLiveDetection({ db });
    const second = startLiveDetection({ db });
    const outcomes: string[] = [];
    first.onAlert((raised) => outcomes.push(raised.outcome));
    second.onAlert((raised) => outcomes.push(raised.outcome));
    try {
      replay(org.id, scenario, new Map());
      await Promise.all([first.idle(), second.idle()]);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    const rooms = await db.select().from(crises).where(eq(crises.organizationId, org.id));
    expect(rooms).toHaveLength(1);
    // Every alert was raised by both; each onset is stored once, and only the first raise of it did anything.
    const found = await db.select().from(alerts).where(eq(alerts.organizationId, org.id));
    expect(new Set(found.map((a) => `${a.kind}|${a.seriesKey}|${a.since.toISOString()}`)).size).toBe(found.length);
    expect(outcomes.filter((o) => o !== 'duplicate')).toHaveLength(found.length);
    expect(outcomes.filter((o) => o === 'opened')).toHaveLength(1);
  });

  it('closes buckets by the clock when no complaint comes, and resumes learned series after a restart', async () => {
    const org = await createTestOrganization(db, 'clock-close');
    let wall = Date.UTC(2025, 3, 1, 12, 0, 30);
    const service = startLiveDetection({ db, now: () => wall, tickMs: 10, snapshotEveryMs: 0 });
    const complaint = (id: string, atMs: number): IngestedMention => ({
      id,
      channel: 'chat',
      occurredAt: new Date(atMs),
      category: 'complaint',
      topicTerms: ['refund'],
      hashtags: [],
      text: 'refund please',
      isPublic: false,
      promoted: false,
      metrics: null,
      authorHandle: null,
      authorFollowers: null,
      customerId: null,
      ticketId: null,
    });
    try {
      publish('mentions.ingested', { organizationId: org.id, mentions: [complaint('00000000-0000-4000-8000-000000000001', wall), complaint('00000000-0000-4000-8000-000000000002', wall + 1000)] });
      await service.idle();
      expect(await db.select().from(detectionBuckets).where(eq(detectionBuckets.organizationId, org.id))).toEqual([]);
      // The wall clock passes the bucket's end and grace: the next tick closes it, with no further complaint.
      wall += 60_000;
      const rows = await waitFor(async () => {
        const found = await db.select().from(detectionBuckets).where(and(eq(detectionBuckets.organizationId, org.id), eq(detectionBuckets.seriesKey, 'all')));
        return found.length > 0 ? found : null;
      });
      expect(rows[0]).toMatchObject({ observed: 2, bucketStart: new Date(Date.UTC(2025, 3, 1, 12, 0)) });
    } finally {
      await service.stop();
    }
    const restarted = startLiveDetection({ db, now: () => wall });
    try {
      publish('mentions.ingested', { organizationId: org.id, mentions: [complaint('00000000-0000-4000-8000-000000000003', wall)] });
      await restarted.idle();
      const state = restarted.detectorOf(org.id)!.spike.stateOf('all');
      expect(state?.lastBucketStartMs).toBe(Date.UTC(2025, 3, 1, 12, 0));
    } finally {
      await restarted.stop();
    }
  });

  it('remembers which terms are common across a restart: a rare hashtag right after it still emerges, common words do not', async () => {
    const org = await createTestOrganization(db, 'terms-restart');
    const startMs = Date.UTC(2025, 4, 5, 6, 0);
    const restartMs = startMs + 6 * 3_600_000;
    const storm = { startMs: restartMs, minutes: 30, perMinute: 2, hashtag: '#lostluggage' };
    const minutes = [...ordinaryTraffic({ startMs, days: 7 / 24, complaintsPerMinute: 4, seed: 21, storm })];
    const before = minutes.filter((batch) => batch[0] && batch[0].occurredAt.getTime() < restartMs);
    const after = minutes.slice(before.length);

    const first = startLiveDetection({ db });
    let learned: { share: number; perHour: number; terms: number };
    try {
      for (const batch of before) publish('mentions.ingested', { organizationId: org.id, mentions: batch });
      await first.idle();
      const emerging = first.detectorOf(org.id)!.emerging;
      learned = { share: emerging.usualShare('flight'), perHour: emerging.baselinePerHour('flight'), terms: emerging.size };
    } finally {
      await first.stop();
    }
    // Saved in batches at the stop: one row per remembered term, plus the totals.
    const rows = await db.select({ term: detectionTerms.term }).from(detectionTerms).where(eq(detectionTerms.organizationId, org.id));
    expect(rows).toHaveLength(learned.terms + 1);

    const restarted = startLiveDetection({ db });
    try {
      for (const batch of after) publish('mentions.ingested', { organizationId: org.id, mentions: batch });
      await restarted.idle();
      // "flight" is as common as it was: an hour later its usual rate is what six hours had taught.
      const perHour = restarted.detectorOf(org.id)!.emerging.baselinePerHour('flight');
      expect(Math.abs(perHour - learned.perHour) / learned.perHour).toBeLessThan(0.25);
    } finally {
      await restarted.stop();
    }
    const found = await db.select().from(alerts).where(and(eq(alerts.organizationId, org.id), eq(alerts.kind, 'emerging_topic')));
    expect(found.map((a) => a.topic)).toEqual(['#lostluggage']);
    // Within minutes of the restart: a finder starting from nothing would still be learning what is usual.
    expect(found[0]!.since.getTime() - restartMs).toBeLessThan(10 * 60_000);
    expect(Number((found[0]!.explanation as { baselinePerHour: number }).baselinePerHour)).toBeLessThan(0.1);
    expect(learned.share).toBeGreaterThan(0.1);
    expect(learned.perHour).toBeGreaterThan(2);
  });
});
