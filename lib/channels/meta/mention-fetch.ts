import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { auditLog, channelConnections, instagramMentionFetches } from '@/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import { defaultGraphUrl, fetchInstagramMention, GraphApiError } from '@/lib/channels/meta/graph';
import type { InstagramMentionToFetch } from '@/lib/channels/meta/parse';
import { type Ctx, actorLabel, inTransaction } from '@/lib/context';
import { publish, subscribe } from '@/lib/events';
import { type QueueWorker, startQueueWorker } from '@/lib/queue-worker';
import { forbidden } from '@/lib/errors';
import { ingestMentions } from '@/lib/signals/ingest';
import { parseInput } from '@/lib/validation';

type FetchRow = typeof instagramMentionFetches.$inferSelect;

/**
 * Records the id-only Instagram mentions of a webhook delivery, durably, before Meta gets its 200: one row per
 * (organization, connection, media, comment), so a Meta retry finds its row instead of queueing a second fetch.
 * Returns how many were new and how many were known already; wakes the fetch worker when something is new.
 */
export async function recordMentionFetches(db: Db, input: { organizationId: string; connectionId: string; fetches: InstagramMentionToFetch[] }): Promise<{ recorded: number; known: number }> {
  const unique = new Map(input.fetches.map((f) => [`${f.mediaId}\u0000${f.commentId ?? ''}`, f]));
  if (unique.size === 0) return { recorded: 0, known: 0 };
  const inserted = await db
    .insert(instagramMentionFetches)
    .values(
      [...unique.values()].map((f) => ({
        organizationId: input.organizationId,
        connectionId: input.connectionId,
        accountId: f.accountId,
        mediaId: f.mediaId,
        commentId: f.commentId ?? '',
        notifiedAt: f.notifiedAt,
      })),
    )
    .onConflictDoNothing({ target: [instagramMentionFetches.organizationId, instagramMentionFetches.connectionId, instagramMentionFetches.mediaId, instagramMentionFetches.commentId] })
    .returning({ id: instagramMentionFetches.id });
  if (inserted.length > 0) publish('mentions.fetchQueued', { organizationId: input.organizationId });
  return { recorded: inserted.length, known: input.fetches.length - inserted.length };
}

/** One connection's Instagram mentions still waiting for the Graph API, or given up on, as the Channels page shows them. */
export interface MentionFetchBacklog {
  connectionId: string;
  /** Pending or being fetched now. */
  waiting: number;
  /** The most attempts any waiting one has had. */
  waitingAttempts: number;
  /** The latest error among the waiting ones (they are being retried). */
  waitingError: string | null;
  nextAttemptAt: Date | null;
  /** Given up: a permanent error (bad token, unknown object) or every attempt used. */
  failed: number;
  failedError: string | null;
  lastAttemptAt: Date | null;
}

/** An organization's connections with Instagram mentions waiting or failed; connections with none are left out. */
export async function listMentionFetchBacklog(db: Db, organizationId: string): Promise<MentionFetchBacklog[]> {
  const t = instagramMentionFetches;
  const waiting = sql`${t.status} in ('pending', 'fetching')`;
  const latestError = (condition: ReturnType<typeof sql>) =>
    sql<string | null>`(array_agg(${t.lastError} order by ${t.lastAttemptAt} desc nulls last) filter (where ${condition} and ${t.lastError} is not null))[1]`;
  const rows = await db
    .select({
      connectionId: t.connectionId,
      waiting: sql<number>`(count(*) filter (where ${waiting}))::int`,
      waitingAttempts: sql<number>`coalesce(max(${t.attempts}) filter (where ${waiting}), 0)::int`,
      waitingError: latestError(waiting),
      nextAttemptAt: sql<string | null>`min(${t.nextAttemptAt}) filter (where ${waiting})`,
      failed: sql<number>`(count(*) filter (where ${t.status} = 'failed'))::int`,
      failedError: latestError(sql`${t.status} = 'failed'`),
      lastAttemptAt: sql<string | null>`max(${t.lastAttemptAt})`,
    })
    .from(t)
    .where(and(eq(t.organizationId, organizationId), inArray(t.status, ['pending', 'fetching', 'failed'])))
    .groupBy(t.connectionId);
  const date = (v: string | Date | null) => (v === null ? null : new Date(v));
  return rows.map((r) => ({ ...r, waiting: Number(r.waiting), waitingAttempts: Number(r.waitingAttempts), failed: Number(r.failed), nextAttemptAt: date(r.nextAttemptAt), lastAttemptAt: date(r.lastAttemptAt) }));
}

/** Puts a connection's failed fetches back in the queue with a fresh set of attempts (after its token or permissions were fixed); the caller publishes `mentions.fetchQueued` after commit. */
export async function requeueFailedMentionFetches(db: Db, organizationId: string, connectionId: string): Promise<number> {
  const rows = await db
    .update(instagramMentionFetches)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: sql`now()` })
    .where(and(eq(instagramMentionFetches.organizationId, organizationId), eq(instagramMentionFetches.connectionId, connectionId), eq(instagramMentionFetches.status, 'failed')))
    .returning({ id: instagramMentionFetches.id });
  return rows.length;
}

export const RetryMentionFetchesInput = z.object({ connectionId: z.string().uuid() });
export type RetryMentionFetchesInput = z.input<typeof RetryMentionFetchesInput>;

/** An admin asks for a connection's failed Instagram mentions to be fetched again; audited. */
export async function retryMentionFetches({ ctx, input }: { ctx: Ctx; input: RetryMentionFetchesInput }): Promise<{ requeued: number }> {
  if (ctx.actor.type !== 'member') throw forbidden('Only a signed-in admin can retry fetches.');
  assertCan(ctx.actor.role, 'channels.manage');
  const data = parseInput(RetryMentionFetchesInput, input);
  const requeued = await inTransaction(ctx, async ({ db }) => {
    const n = await requeueFailedMentionFetches(db, ctx.organizationId, data.connectionId);
    await db.insert(auditLog).values({ organizationId: ctx.organizationId, actor: actorLabel(ctx.actor), action: 'connection.mentions_retry', subject: data.connectionId, data: { requeued: n } });
    return n;
  });
  if (requeued > 0) publish('mentions.fetchQueued', { organizationId: ctx.organizationId });
  return { requeued };
}

export interface MentionFetchOptions {
  db: Db;
  /** META_GRAPH_URL: the Graph API's base URL, without the version. */
  graphUrl?: string;
  log?: (message: string) => void;
  /** How often the queue is looked at when nothing wakes the worker. */
  pollMs?: number;
  maxAttempts?: number;
  /** First retry delay; each further attempt waits twice as long, up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A throttled call (codes 4, 17, 32, 341, 613, HTTP 429) waits at least this long, and so do the connection's other waiting fetches. */
  rateLimitBackoffMs?: number;
  timeoutMs?: number;
  /** Fetched and skipped rows are kept this long (Meta retries a webhook for up to 36 hours), then deleted. */
  keepDoneMs?: number;
}

export type MentionFetchWorker = QueueWorker;

// A row claimed by a worker that then died is claimable again after this lease (longer than a fetch and an ingest).
const LEASE_MS = 60_000;

/** Removes the token from a message before it is stored or logged, wherever an outside system may have echoed it. */
const scrub = (message: string, secrets: (string | undefined)[]) => secrets.reduce<string>((m, s) => (s && s.length >= 8 ? m.replaceAll(s, '[redacted]') : m), message).slice(0, 500);

/**
 * Drains id-only Instagram mentions: claims due rows with SKIP LOCKED (several instances share the work), fetches each
 * from the Graph API with its connection's access token, and ingests it like any other mention (the Graph answer kept
 * as raw). Throttling, 5xx and network failures are retried with exponential backoff; a permanent error (unknown object,
 * bad token, missing permission) or the last attempt marks the row failed, with its error, on the Channels page.
 */
export function startInstagramMentionFetch(options: MentionFetchOptions): MentionFetchWorker {
  const { db, log = () => undefined, pollMs = 5_000, maxAttempts = 10, backoffMs = 30_000, maxBackoffMs = 60 * 60_000, rateLimitBackoffMs = 5 * 60_000, timeoutMs = 15_000, keepDoneMs = 7 * 86_400_000 } = options;
  const graphUrl = options.graphUrl || defaultGraphUrl;
  const t = instagramMentionFetches;

  async function claim(): Promise<FetchRow | null> {
    const due = db
      .select({ id: t.id })
      .from(t)
      .where(and(inArray(t.status, ['pending', 'fetching']), lte(t.nextAttemptAt, sql`now()`)))
      .orderBy(t.nextAttemptAt)
      .limit(1)
      .for('update', { skipLocked: true });
    const [row] = await db
      .update(t)
      .set({ status: 'fetching', attempts: sql`${t.attempts} + 1`, lastAttemptAt: sql`now()`, nextAttemptAt: sql`now() + ${`${LEASE_MS} milliseconds`}::interval` })
      .where(inArray(t.id, due))
      .returning();
    return row ?? null;
  }

  async function finish(row: FetchRow, status: 'fetched' | 'skipped'): Promise<void> {
    await db.update(t).set({ status, lastError: null, fetchedAt: sql`now()` }).where(eq(t.id, row.id));
  }

  async function fail(row: FetchRow, error: unknown, secrets: (string | undefined)[]): Promise<void> {
    const graph = error instanceof GraphApiError ? error.info : null;
    // Our own failures (the database during ingest) are worth another try, like Meta's 5xx.
    const retryable = graph ? graph.retryable : true;
    const reason = scrub(error instanceof Error ? error.message : String(error), secrets);
    const giveUp = !retryable || row.attempts >= maxAttempts;
    let delay = Math.min(maxBackoffMs, backoffMs * 2 ** (row.attempts - 1));
    if (graph?.rateLimited) delay = Math.max(delay, rateLimitBackoffMs);
    const nextAttemptAt = new Date(Date.now() + delay);
    const lastError = giveUp && retryable ? `${reason} — gave up after ${row.attempts} attempts` : reason;
    await db.transaction(async (tx) => {
      await tx.update(t).set({ status: giveUp ? 'failed' : 'pending', lastError, nextAttemptAt }).where(eq(t.id, row.id));
      // The limit is the token's or the app's: the connection's other fetches would only be throttled too.
      if (graph?.rateLimited) {
        await tx
          .update(t)
          .set({ nextAttemptAt: sql`greatest(${t.nextAttemptAt}, ${nextAttemptAt.toISOString()}::timestamptz)` })
          .where(and(eq(t.connectionId, row.connectionId), eq(t.status, 'pending')));
      }
    });
    log(`instagram mention ${row.mediaId}${row.commentId ? `/${row.commentId}` : ''} attempt ${row.attempts} failed: ${reason}${giveUp ? ' — marked failed' : `; retrying in ${Math.round(delay / 1000)} s`}`);
  }

  async function fetchOne(row: FetchRow): Promise<void> {
    const [connection] = await db
      .select({ secrets: channelConnections.secrets })
      .from(channelConnections)
      .where(and(eq(channelConnections.organizationId, row.organizationId), eq(channelConnections.id, row.connectionId)));
    const accessToken = connection?.secrets.accessToken;
    const appSecret = connection?.secrets.appSecret;
    try {
      if (!accessToken) throw new GraphApiError('no access token is set on this connection: paste one under Channels and the waiting mentions are fetched again', { retryable: false, rateLimited: false });
      const fetched = await fetchInstagramMention(
        { graphUrl, accessToken, ...(appSecret && { appSecret }), timeoutMs },
        { accountId: row.accountId, mediaId: row.mediaId, ...(row.commentId && { commentId: row.commentId }), notifiedAt: row.notifiedAt },
      );
      if ('skipped' in fetched) {
        await finish(row, 'skipped');
        return;
      }
      const ctx: Ctx = { db, organizationId: row.organizationId, actor: { type: 'system', reason: 'webhook:instagram' } };
      // A mention stored before a crash (and fetched again after the lease) is a duplicate here, never a second row.
      await ingestMentions({ ctx, input: { mentions: [fetched.mention], connectionId: row.connectionId } });
      await finish(row, 'fetched');
    } catch (error) {
      await fail(row, error, [accessToken, appSecret]);
    }
  }

  let prunedAt = 0;
  /** Deletes long-done rows, once an hour: failed ones stay until fetched or their connection goes. */
  async function prune(): Promise<void> {
    if (Date.now() - prunedAt < 60 * 60_000) return;
    prunedAt = Date.now();
    await db.delete(t).where(and(inArray(t.status, ['fetched', 'skipped']), lte(t.fetchedAt, new Date(Date.now() - keepDoneMs))));
  }

  const worker = startQueueWorker({ name: 'instagram mention fetch', pollMs, log, claim, handle: fetchOne, beforeEachRun: prune });
  const unsubscribe = subscribe('mentions.fetchQueued', worker.kick);
  return {
    ...worker,
    async stop() {
      unsubscribe();
      await worker.stop();
    },
  };
}
