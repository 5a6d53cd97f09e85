import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Db } from '@/db/client';
import { outbox } from '@/db/schema';
import { publish } from '@/lib/events';
import { type QueueWorker, startQueueWorker } from '@/lib/queue-worker';
import { NOTIFICATION_EMAIL, NOTIFICATION_WEBHOOK } from './notify';
import { appendCrisisEvent } from './timeline';

export interface NotificationDeliveryOptions {
  db: Db;
  /** `smtp://user:pass@host:port` (or smtps://); email rows fail visibly without it. */
  smtpUrl?: string;
  smtpFrom?: string;
  log?: (message: string) => void;
  /** How often the outbox is looked at when nothing kicks the worker. */
  pollMs?: number;
  maxAttempts?: number;
  /** First retry delay; each further attempt waits twice as long, up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  timeoutMs?: number;
}

export type NotificationDelivery = QueueWorker;

type OutboxRow = typeof outbox.$inferSelect;

const KINDS = [NOTIFICATION_EMAIL, NOTIFICATION_WEBHOOK];
// A row claimed by a worker that then died is claimable again after this lease.
const LEASE_MS = 60_000;

/**
 * Delivers queued committee notifications (email, webhook) from the outbox: claims due rows with SKIP LOCKED (several
 * instances share the work), retries failures with exponential backoff, marks a row `failed` after the last attempt,
 * and writes every failure (and the final success) on the crisis timeline — a failed send never goes unseen.
 */
export function startNotificationDelivery(options: NotificationDeliveryOptions): NotificationDelivery {
  const { db, log = () => undefined, pollMs = 1_000, maxAttempts = 6, backoffMs = 5_000, maxBackoffMs = 10 * 60_000, timeoutMs = 10_000 } = options;
  const from = options.smtpFrom ?? 'Stormdesk <stormdesk@localhost>';
  const mailer = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl, { connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs }) : null;

  async function claim(): Promise<OutboxRow | null> {
    const due = db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(inArray(outbox.kind, KINDS), inArray(outbox.status, ['pending', 'sending']), lte(outbox.nextAttemptAt, sql`now()`)))
      .orderBy(outbox.nextAttemptAt)
      .limit(1)
      .for('update', { skipLocked: true });
    const [row] = await db
      .update(outbox)
      .set({ status: 'sending', attempts: sql`${outbox.attempts} + 1`, nextAttemptAt: sql`now() + ${`${LEASE_MS} milliseconds`}::interval` })
      .where(inArray(outbox.id, due))
      .returning();
    return row ?? null;
  }

  async function send(row: OutboxRow): Promise<void> {
    const payload = row.payload;
    switch (row.kind) {
      case NOTIFICATION_WEBHOOK: {
        const response = await fetch(row.recipient, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok) throw new Error(`the webhook answered HTTP ${response.status}${(await response.text().catch(() => '')).slice(0, 200).replace(/^/, ': ')}`);
        return;
      }
      case NOTIFICATION_EMAIL: {
        if (!mailer) throw new Error('SMTP_URL is not configured');
        await mailer.sendMail({ from, to: row.recipient, subject: String(payload.subject ?? 'Stormdesk'), text: String(payload.text ?? '') });
        return;
      }
      default:
        throw new Error(`unknown notification kind ${row.kind}`);
    }
  }

  const what = (row: OutboxRow) => (row.kind === NOTIFICATION_WEBHOOK ? 'Team webhook' : `Email to ${row.recipient}`);

  async function deliver(row: OutboxRow): Promise<void> {
    try {
      await send(row);
      await db.transaction(async (tx) => {
        await tx.update(outbox).set({ status: 'sent', sentAt: new Date(), lastError: null }).where(eq(outbox.id, row.id));
        if (row.crisisId) {
          await appendCrisisEvent({ db: tx as unknown as Db, organizationId: row.organizationId, actor: { type: 'system', reason: 'notifications' } }, row.crisisId, {
            kind: 'notification.sent',
            summary: `${what(row)} delivered${row.attempts > 1 ? ` after ${row.attempts} attempts` : ''}`,
            data: { outboxId: row.id, attempts: row.attempts },
          });
        }
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const giveUp = row.attempts >= maxAttempts;
      const delay = Math.min(maxBackoffMs, backoffMs * 2 ** (row.attempts - 1));
      log(`notification ${row.id} (${row.kind}) attempt ${row.attempts} failed: ${reason}`);
      await db.transaction(async (tx) => {
        await tx
          .update(outbox)
          .set({ status: giveUp ? 'failed' : 'pending', lastError: reason, nextAttemptAt: new Date(Date.now() + delay) })
          .where(eq(outbox.id, row.id));
        if (row.crisisId) {
          await appendCrisisEvent({ db: tx as unknown as Db, organizationId: row.organizationId, actor: { type: 'system', reason: 'notifications' } }, row.crisisId, {
            kind: 'notification.failed',
            summary: `${what(row)} failed (attempt ${row.attempts} of ${maxAttempts}): ${reason}${giveUp ? ' — gave up' : `; retrying in ${Math.round(delay / 1000)} s`}`,
            data: { outboxId: row.id, attempts: row.attempts, error: reason, gaveUp: giveUp },
          });
        }
      });
      if (row.crisisId) publish('live.changed', { organizationId: row.organizationId, topic: `crisis:${row.crisisId}` });
    }
  }

  return startQueueWorker({ name: 'notification delivery', pollMs, log, claim, handle: deliver, onStop: () => mailer?.close() });
}
