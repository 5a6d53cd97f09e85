import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { detectionBuckets, detectionSeries, organizationSettings } from '@/db/schema';
import type { Ctx } from '@/lib/context';
import { type AlertOutcome, raiseAlert } from '@/lib/crises/alerts';
import type { NotifyOptions } from '@/lib/crises/notify';
import { type IngestedMention, publish, subscribe } from '@/lib/events';
import { type LiveOutput, OrganizationDetector } from './live';
import { liveSettingsOf } from './live-settings';
import { loadLearnedTerms, saveTermChanges } from './term-store';

export interface LiveDetectionOptions {
  db: Db;
  log?: (message: string) => void;
  /** The wall clock (tests and benchmarks keep the real one; it only moves the data's clock between complaints). */
  now?: () => number;
  /** How often buckets are closed by the clock when no complaint arrives. */
  tickMs?: number;
  notify?: NotifyOptions;
  /** Called when a room opened and notifications were queued (kicks the delivery worker). */
  onNotificationsQueued?: () => void;
  /** How often learned series and terms are saved, so that a restart resumes them. */
  snapshotEveryMs?: number;
  /** How often the organization's settings are read again. */
  settingsEveryMs?: number;
  /** Days of dashboard buckets kept. */
  keepBucketsDays?: number;
}

/** What happened to one alert, for tests and the benchmark. */
export interface RaisedAlert {
  organizationId: string;
  kind: string;
  seriesKey: string;
  outcome: AlertOutcome;
  crisisId: string | null;
  notified: number;
}

export interface LiveDetectionService {
  /** Resolves once everything received so far has been detected and stored. */
  idle(): Promise<void>;
  /** The detector of an organization, once it has seen traffic. */
  detectorOf(organizationId: string): OrganizationDetector | undefined;
  /** Listens to what happened to each alert; returns the unsubscribe function. */
  onAlert(listener: (raised: RaisedAlert) => void): () => void;
  stop(): Promise<void>;
}

type OrgState = {
  detector: OrganizationDetector | null;
  queue: Promise<void>;
  pending: number;
  settingsAt: number;
  snapshotAt: number;
  prunedAt: number;
  liveAt: number;
};

const BUCKET_INSERT_CHUNK = 1_000;
const LIVE_PUBLISH_MS = 2_000;

/**
 * The live detection service of one process: subscribes to `mentions.ingested`, runs each organization's detector
 * (one queue per organization, so its buckets close in order), stores closed buckets for the dashboard, and hands
 * every alert to `raiseAlert` (store, open or join a room, notify). A one-second tick closes buckets when no
 * complaint comes. Learned series and terms are saved now and then and restored when an organization is first seen
 * again.
 */
export function startLiveDetection(options: LiveDetectionOptions): LiveDetectionService {
  const { db, log = () => undefined, now = Date.now, tickMs = 1_000, snapshotEveryMs = 5 * 60_000, settingsEveryMs = 30_000, keepBucketsDays = 8 } = options;
  const orgs = new Map<string, OrgState>();
  const listeners = new Set<(raised: RaisedAlert) => void>();
  let stopped = false;

  const systemCtx = (organizationId: string): Ctx => ({ db, organizationId, actor: { type: 'system', reason: 'detection' } });

  function enqueue(organizationId: string, task: (state: OrgState) => Promise<void>): void {
    let state = orgs.get(organizationId);
    if (!state) {
      state = { detector: null, queue: Promise.resolve(), pending: 0, settingsAt: 0, snapshotAt: now(), prunedAt: 0, liveAt: 0 };
      orgs.set(organizationId, state);
    }
    const s = state;
    s.pending++;
    s.queue = s.queue
      .then(() => task(s))
      .catch((error: unknown) => log(`detection for ${organizationId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`))
      .finally(() => {
        s.pending--;
      });
  }

  async function loadSettings(organizationId: string) {
    const [row] = await db.select({ detection: organizationSettings.detection }).from(organizationSettings).where(eq(organizationSettings.organizationId, organizationId));
    return liveSettingsOf(row?.detection);
  }

  async function ensureDetector(organizationId: string, state: OrgState): Promise<OrganizationDetector> {
    if (state.detector) {
      if (now() - state.settingsAt >= settingsEveryMs) {
        state.settingsAt = now();
        state.detector.applySettings(await loadSettings(organizationId));
      }
      return state.detector;
    }
    const detector = new OrganizationDetector(await loadSettings(organizationId));
    const saved = await db.select({ seriesKey: detectionSeries.seriesKey, state: detectionSeries.state }).from(detectionSeries).where(eq(detectionSeries.organizationId, organizationId));
    detector.restore(saved);
    const learned = await loadLearnedTerms(db, organizationId);
    if (learned) detector.emerging.restore(learned);
    state.detector = detector;
    state.settingsAt = now();
    return detector;
  }

  async function store(organizationId: string, state: OrgState, out: LiveOutput): Promise<void> {
    for (let i = 0; i < out.buckets.length; i += BUCKET_INSERT_CHUNK) {
      const rows = out.buckets.slice(i, i + BUCKET_INSERT_CHUNK).map((b) => ({
        organizationId,
        seriesKey: b.seriesKey,
        bucketStart: new Date(b.bucketStartMs),
        observed: b.observed,
        expected: b.expected,
        upper: b.upper,
      }));
      await db.insert(detectionBuckets).values(rows).onConflictDoNothing();
    }
    for (const draft of out.alerts) {
      const { sinceMs, atMs: _at, ...rest } = draft;
      const result = await raiseAlert({ ctx: systemCtx(organizationId), input: { ...rest, since: new Date(sinceMs) }, notify: options.notify });
      if (result.outcome === 'opened') options.onNotificationsQueued?.();
      const raised: RaisedAlert = { organizationId, kind: draft.kind, seriesKey: draft.seriesKey, outcome: result.outcome, crisisId: result.crisis?.id ?? null, notified: result.notified.length };
      for (const listener of listeners) listener(raised);
    }
    if (out.buckets.length > 0 && now() - state.liveAt >= LIVE_PUBLISH_MS) {
      state.liveAt = now();
      publish('live.changed', { organizationId, topic: 'detection' });
    }
    if (now() - state.snapshotAt >= snapshotEveryMs) await saveSnapshot(organizationId, state);
    if (now() - state.prunedAt >= 3_600_000) {
      state.prunedAt = now();
      await db.delete(detectionBuckets).where(and(eq(detectionBuckets.organizationId, organizationId), lt(detectionBuckets.bucketStart, new Date(now() - keepBucketsDays * 86_400_000))));
    }
  }

  async function saveSnapshot(organizationId: string, state: OrgState): Promise<void> {
    state.snapshotAt = now();
    if (!state.detector) return;
    const snapshot = state.detector.snapshot();
    for (let i = 0; i < snapshot.length; i += 200) {
      const rows = snapshot.slice(i, i + 200).map((s) => ({ organizationId, seriesKey: s.seriesKey, state: s.state, updatedAt: new Date() }));
      await db
        .insert(detectionSeries)
        .values(rows)
        .onConflictDoUpdate({ target: [detectionSeries.organizationId, detectionSeries.seriesKey], set: { state: sql`excluded.state`, updatedAt: sql`excluded.updated_at` } });
    }
    await saveTermChanges(db, organizationId, state.detector.emerging.takeChanges());
  }

  const unsubscribe = subscribe('mentions.ingested', ({ organizationId, mentions }: { organizationId: string; mentions: IngestedMention[] }) => {
    if (stopped) return;
    enqueue(organizationId, async (state) => {
      const detector = await ensureDetector(organizationId, state);
      await store(organizationId, state, detector.ingest(mentions, now()));
    });
  });

  const timer = setInterval(() => {
    for (const [organizationId, state] of orgs) {
      // A busy organization closes its buckets with its next batch; ticks do not pile up behind it.
      if (state.pending > 0 || !state.detector) continue;
      enqueue(organizationId, async (s) => {
        const detector = await ensureDetector(organizationId, s);
        const out = detector.tick(now());
        if (out.buckets.length > 0 || out.alerts.length > 0) await store(organizationId, s, out);
      });
    }
  }, tickMs);
  timer.unref();

  const idle = async () => {
    for (;;) {
      const busy = [...orgs.values()].filter((s) => s.pending > 0);
      if (busy.length === 0) return;
      await Promise.all(busy.map((s) => s.queue));
    }
  };

  return {
    idle,
    detectorOf: (organizationId) => orgs.get(organizationId)?.detector ?? undefined,
    onAlert(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      unsubscribe();
      clearInterval(timer);
      await idle();
      for (const [organizationId, state] of orgs) {
        if (state.detector) await saveSnapshot(organizationId, state).catch((error: unknown) => log(`saving detection state of ${organizationId}: ${String(error)}`));
      }
    },
  };
}
