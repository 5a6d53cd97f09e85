import { and, desc, eq, gte, inArray, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { alertKinds, alerts, crises, mentions, organizationSettings, tickets } from '@/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import { type Ctx, inTransaction } from '@/lib/context';
import { liveSettingsOf, type LiveDetectionSettings } from '@/lib/detection/live-settings';
import { exhaustiveSwitchError, forbidden, notFound } from '@/lib/errors';
import { publish } from '@/lib/events';
import { parseInput } from '@/lib/validation';
import { type NotifyOptions, notifyCommittee } from './notify';
import { type CrisisRow, openCrisis } from './open';
import { appendCrisisEvent } from './timeline';

/** An alert as a detector raises it (see lib/detection/live.ts AlertDraft). */
export const RaiseAlertInput = z.object({
  kind: z.enum(alertKinds),
  seriesKey: z.string().min(1).max(300),
  topic: z.string().trim().toLowerCase().min(1).max(100),
  channel: z.string().max(40).nullable().default(null),
  observed: z.number().finite(),
  expected: z.number().finite(),
  score: z.number().finite(),
  since: z.coerce.date(),
  summary: z.string().min(1).max(4000),
  explanation: z.record(z.string(), z.unknown()).default({}),
  termShares: z.record(z.string(), z.number()).default({}),
  ticketIds: z.array(z.string().uuid()).max(1000).default([]),
  mentionId: z.string().uuid().nullable().default(null),
});
export type RaiseAlertInput = z.input<typeof RaiseAlertInput>;

export type AlertRow = typeof alerts.$inferSelect;
export type AlertOutcome = 'opened' | 'attached' | 'below_threshold' | 'duplicate';

// A room's topic explains an alert when at least this share of the alert's complaints mention it.
const RELATED_SHARE = 0.3;

/**
 * Stores an alert and acts on it, in one transaction under a per-organization lock (so two instances that see the
 * same storm agree): a duplicate onset is ignored; an alert related to a room opened within the storm window joins
 * it (same topic, the room's topic in most of the alert's complaints, or a generic `all` on either side); otherwise
 * an alert above the organization's threshold opens a room — seeded from the protocol, tickets linked, timeline
 * written, committee notified — and one below it is kept for the dashboard.
 */
export async function raiseAlert({ ctx, input, notify }: { ctx: Ctx; input: RaiseAlertInput; notify?: NotifyOptions }): Promise<{ outcome: AlertOutcome; alert: AlertRow | null; crisis: CrisisRow | null; notified: string[] }> {
  if (ctx.actor.type === 'member') assertCan(ctx.actor.role, 'crisis.open');
  const data = parseInput(RaiseAlertInput, input);
  const { organizationId } = ctx;
  const result = await inTransaction(ctx, async (tx) => {
    const { db } = tx;
    await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`stormdesk.alerts:${organizationId}`}))`);
    const settings = await detectionSettings(tx);
    const mentionId = data.mentionId ? await existingMention(tx, data.mentionId) : null;
    const measured = { observed: data.observed, expected: data.expected, score: data.score, explanation: { ...data.explanation, summary: data.summary, termShares: data.termShares } };
    const [inserted] = await db
      .insert(alerts)
      .values({ organizationId, kind: data.kind, seriesKey: data.seriesKey, topic: data.topic, channel: data.channel, since: data.since, mentionId, ...measured })
      .onConflictDoNothing()
      .returning();
    // The same onset again: a repeat (another instance, a replay), or a surge that was below the threshold and has
    // grown past it, whose alert is brought up to date and goes on to open or join a room.
    const alert = inserted ?? (aboveThreshold(data, settings) ? await grownAlert(tx, data, measured) : undefined);
    if (!alert) return { outcome: 'duplicate' as const, alert: null, crisis: null, notified: [] };

    const related = await relatedOpenCrisis(tx, data, settings);
    if (related) {
      await attachAlert(tx, alert, related, data);
      return { outcome: 'attached' as const, alert: { ...alert, crisisId: related.id, status: 'attached' as const }, crisis: related, notified: [] };
    }
    if (!aboveThreshold(data, settings)) {
      await db.update(alerts).set({ status: 'below_threshold' }).where(eq(alerts.id, alert.id));
      return { outcome: 'below_threshold' as const, alert: { ...alert, status: 'below_threshold' as const }, crisis: null, notified: [] };
    }
    const { crisis, created } = await openCrisis({
      ctx: tx,
      input: { title: crisisTitle(data), topic: data.topic, severity: data.kind === 'promoted_post' ? 'critical' : 'high', alertId: alert.id, ticketIds: data.ticketIds },
    });
    await appendCrisisEvent(tx, crisis.id, { kind: eventKind(data.kind), summary: data.summary, data: { alertId: alert.id, kind: data.kind, seriesKey: data.seriesKey, score: data.score, ...data.explanation } });
    if (!created) return { outcome: 'attached' as const, alert: { ...alert, crisisId: crisis.id, status: 'attached' as const }, crisis, notified: [] };
    await adoptEarlierAlerts(tx, crisis, data.topic, settings);
    const notice = await notifyCommittee(tx, crisis, { headline: `Crisis opened: ${crisis.title}`, detail: data.summary }, notify);
    return { outcome: 'opened' as const, alert: { ...alert, crisisId: crisis.id, status: 'opened_crisis' as const }, crisis, notified: notice.memberIds };
  });
  publish('live.changed', { organizationId, topic: 'alerts' });
  if (result.crisis) {
    publish('live.changed', { organizationId, topic: 'crises' });
    publish('live.changed', { organizationId, topic: `crisis:${result.crisis.id}` });
  }
  if (result.notified.length > 0) publish('live.changed', { organizationId, topic: 'notifications', memberIds: result.notified });
  return result;
}

export const MarkFalseAlarmInput = z.object({
  alertId: z.string().uuid('Unknown alert.'),
  note: z.string().trim().max(500).default(''),
});
export type MarkFalseAlarmInput = z.input<typeof MarkFalseAlarmInput>;

/** Marks an alert a false alarm: kept, with who said so and when, as feedback on detection. A room it opened stays open. */
export async function markFalseAlarm({ ctx, input }: { ctx: Ctx; input: MarkFalseAlarmInput }): Promise<AlertRow> {
  if (ctx.actor.type !== 'member') throw forbidden('Only a member can give feedback on an alert.');
  assertCan(ctx.actor.role, 'alerts.feedback');
  const data = parseInput(MarkFalseAlarmInput, input);
  const memberId = ctx.actor.memberId;
  const updated = await inTransaction(ctx, async (tx) => {
    const [before] = await tx.db.select().from(alerts).where(and(eq(alerts.organizationId, ctx.organizationId), eq(alerts.id, data.alertId)));
    if (!before) throw notFound('This alert does not exist in your organization.');
    const [row] = await tx.db
      .update(alerts)
      .set({ status: 'false_alarm', feedbackBy: memberId, feedbackAt: new Date(), explanation: { ...before.explanation, feedback: { previousStatus: before.status, note: data.note } } })
      .where(eq(alerts.id, before.id))
      .returning();
    if (before.crisisId) {
      await appendCrisisEvent(tx, before.crisisId, { kind: 'alert.false_alarm', summary: `An alert was marked a false alarm${data.note ? `: ${data.note}` : ''}`, data: { alertId: before.id } });
    }
    return row!;
  });
  publish('live.changed', { organizationId: ctx.organizationId, topic: 'alerts' });
  return updated;
}

/** The organization's live detection settings (defaults for what it has not set). */
export async function detectionSettings(ctx: Ctx): Promise<LiveDetectionSettings> {
  const [row] = await ctx.db.select({ detection: organizationSettings.detection }).from(organizationSettings).where(eq(organizationSettings.organizationId, ctx.organizationId));
  return liveSettingsOf(row?.detection);
}

async function existingMention(ctx: Ctx, mentionId: string): Promise<string | null> {
  const [row] = await ctx.db.select({ id: mentions.id }).from(mentions).where(and(eq(mentions.organizationId, ctx.organizationId), eq(mentions.id, mentionId)));
  return row?.id ?? null;
}

const topicOfCrisis = (crisis: CrisisRow) => (crisis.topicKey.startsWith('topic:') ? crisis.topicKey.slice('topic:'.length) : null);

async function relatedOpenCrisis(ctx: Ctx, alert: z.output<typeof RaiseAlertInput>, settings: LiveDetectionSettings): Promise<CrisisRow | null> {
  const open = await ctx.db
    .select()
    .from(crises)
    .where(and(eq(crises.organizationId, ctx.organizationId), ne(crises.status, 'resolved')))
    .orderBy(desc(crises.openedAt));
  const sameTopic = open.find((c) => topicOfCrisis(c) === alert.topic);
  if (sameTopic) return sameTopic;
  const windowStart = Date.now() - settings.stormWindowMinutes * 60_000;
  return (
    open.find((c) => {
      if (c.openedAt.getTime() < windowStart) return false;
      const topic = topicOfCrisis(c);
      if (topic === null) return false;
      return topic === 'all' || alert.topic === 'all' || (alert.termShares[topic] ?? 0) >= RELATED_SHARE;
    }) ?? null
  );
}

/** The stored alert of this onset if it was below the threshold, updated with what the surge measures now. */
async function grownAlert(ctx: Ctx, data: z.output<typeof RaiseAlertInput>, measured: Pick<typeof alerts.$inferInsert, 'observed' | 'expected' | 'score' | 'explanation'>): Promise<AlertRow | undefined> {
  const [row] = await ctx.db
    .update(alerts)
    .set({ ...measured, status: 'new' })
    .where(and(eq(alerts.organizationId, ctx.organizationId), eq(alerts.kind, data.kind), eq(alerts.seriesKey, data.seriesKey), eq(alerts.since, data.since), eq(alerts.status, 'below_threshold')))
    .returning();
  return row;
}

function aboveThreshold(alert: z.output<typeof RaiseAlertInput>, settings: LiveDetectionSettings): boolean {
  switch (alert.kind) {
    case 'spike':
      return alert.score >= settings.openCrisisScore;
    case 'emerging_topic':
      return alert.score >= settings.openCrisisScore && alert.observed >= settings.emergingCrisisMinComplaints;
    case 'promoted_post':
      return alert.observed >= settings.promotedReachToOpen;
    default:
      return exhaustiveSwitchError(alert.kind);
  }
}

function crisisTitle(alert: z.output<typeof RaiseAlertInput>): string {
  const about = alert.topic === 'all' ? '' : ` about ${alert.topic}`;
  switch (alert.kind) {
    case 'spike':
      return `Complaint storm${about}`;
    case 'emerging_topic':
      return `Emerging complaints${about}`;
    case 'promoted_post':
      return `Promoted complaint attack${about}`;
    default:
      return exhaustiveSwitchError(alert.kind);
  }
}

function eventKind(kind: z.output<typeof RaiseAlertInput>['kind']): string {
  return kind === 'promoted_post' ? 'alert.promoted_post' : 'alert.raise';
}

async function attachAlert(ctx: Ctx, alert: AlertRow, crisis: CrisisRow, data: z.output<typeof RaiseAlertInput>): Promise<void> {
  await ctx.db.update(alerts).set({ crisisId: crisis.id, status: 'attached' }).where(eq(alerts.id, alert.id));
  if (data.ticketIds.length > 0) {
    await ctx.db
      .update(tickets)
      .set({ crisisId: crisis.id })
      .where(and(eq(tickets.organizationId, ctx.organizationId), inArray(tickets.id, data.ticketIds), isNull(tickets.crisisId)));
  }
  await appendCrisisEvent(ctx, crisis.id, {
    kind: data.kind === 'promoted_post' ? 'alert.promoted_post' : 'alert.attach',
    summary: data.kind === 'promoted_post' ? data.summary : `Another alert on the same storm joined the room: ${data.summary}`,
    data: { alertId: alert.id, kind: data.kind, seriesKey: data.seriesKey, topic: data.topic, score: data.score, tickets: data.ticketIds.length, ...data.explanation },
  });
}

// Alerts on the room's topic that came before it, below the threshold (an emerging topic still small), join it.
async function adoptEarlierAlerts(ctx: Ctx, crisis: CrisisRow, topic: string, settings: LiveDetectionSettings): Promise<void> {
  const adopted = await ctx.db
    .update(alerts)
    .set({ crisisId: crisis.id, status: 'attached' })
    .where(
      and(
        eq(alerts.organizationId, ctx.organizationId),
        eq(alerts.status, 'below_threshold'),
        eq(alerts.topic, topic),
        gte(alerts.createdAt, new Date(Date.now() - settings.stormWindowMinutes * 60_000)),
      ),
    )
    .returning({ id: alerts.id });
  if (adopted.length > 0) {
    await appendCrisisEvent(ctx, crisis.id, { kind: 'alert.attach', summary: `${adopted.length} earlier alert${adopted.length === 1 ? '' : 's'} on ${topic} joined the room`, data: { alertIds: adopted.map((a) => a.id) } });
  }
}
