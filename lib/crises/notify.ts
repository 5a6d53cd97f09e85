import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { agentProfiles, members, notifications, organizationSettings, outbox, users } from '@/db/schema';
import type { Ctx } from '@/lib/context';
import type { CrisisRow } from './open';
import { appendCrisisEvent } from './timeline';

/** Roles that form the crisis committee and hear of every new room. */
export const committeeRoles = ['lead', 'executive'] as const;

export const NOTIFICATION_EMAIL = 'notification.email';
export const NOTIFICATION_WEBHOOK = 'notification.webhook';

export interface NotifyOptions {
  /** Whether email can be sent (SMTP_URL is set); read from the environment when not given. */
  emailEnabled?: boolean;
  /** The public address of Stormdesk, for links in emails and chat messages. */
  publicUrl?: string;
}

export interface CommitteeNotice {
  /** Members notified in the app. */
  memberIds: string[];
  /** The on-duty agent this crisis went to, if there is one. */
  dutyAgent: { memberId: string; name: string } | null;
  /** Outbox rows queued (emails, webhook). */
  queued: number;
}

type Recipient = { memberId: string; name: string; email: string };

/**
 * Tells the committee that a room opened: an in-app notification for every lead and executive, one for the next
 * on-duty agent in turn (round-robin, not everyone), emails when SMTP is configured and the organization's webhook
 * (Slack-compatible) when set — both queued in the outbox in the caller's transaction, so nothing is sent for a room
 * that was rolled back and nothing is lost if the process stops. The notice is written on the crisis timeline.
 */
export async function notifyCommittee(ctx: Ctx, crisis: CrisisRow, what: { headline: string; detail: string }, options: NotifyOptions = {}): Promise<CommitteeNotice> {
  const { db, organizationId } = ctx;
  const emailEnabled = options.emailEnabled ?? !!process.env.SMTP_URL;
  const publicUrl = (options.publicUrl ?? process.env.AUTH_URL ?? process.env.NEXTAUTH_URL ?? 'http://localhost:3000').replace(/\/$/, '');
  const roomUrl = `${publicUrl}/crises/${crisis.id}`;

  const committee: Recipient[] = await db
    .select({ memberId: members.id, name: users.name, email: users.email })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.organizationId, organizationId), inArray(members.role, [...committeeRoles])))
    .orderBy(users.name);
  const dutyAgent = await nextOnDutyAgent(ctx);

  const rows = [
    ...committee.map((m) => ({ organizationId, memberId: m.memberId, kind: 'crisis.opened', title: what.headline, body: what.detail, crisisId: crisis.id })),
    ...(dutyAgent
      ? [{ organizationId, memberId: dutyAgent.memberId, kind: 'crisis.duty', title: `You are on duty for the crisis “${crisis.title}”`, body: what.detail, crisisId: crisis.id }]
      : []),
  ];
  if (rows.length > 0) await db.insert(notifications).values(rows);

  const [settings] = await db.select({ notifications: organizationSettings.notifications }).from(organizationSettings).where(eq(organizationSettings.organizationId, organizationId));
  const webhookUrl = settings?.notifications.webhookUrl;
  const extraEmails = settings?.notifications.emailTo ?? [];
  const queued: (typeof outbox.$inferInsert)[] = [];
  if (emailEnabled) {
    const addresses = [...new Set([...committee.map((m) => m.email), ...(dutyAgent ? [dutyAgent.email] : []), ...extraEmails].map((a) => a.toLowerCase()))];
    for (const to of addresses) {
      queued.push({
        organizationId,
        kind: NOTIFICATION_EMAIL,
        channel: 'email',
        recipient: to,
        payload: { subject: `[Stormdesk] ${what.headline}`, text: `${what.headline}\n\n${what.detail}\n\nOpen the crisis room: ${roomUrl}\n` },
        idempotencyKey: `crisis:${crisis.id}:email:${to}`,
        crisisId: crisis.id,
      });
    }
  }
  if (webhookUrl) {
    queued.push({
      organizationId,
      kind: NOTIFICATION_WEBHOOK,
      channel: 'webhook',
      recipient: webhookUrl,
      payload: slackMessage(what.headline, what.detail, roomUrl, dutyAgent?.name ?? null),
      idempotencyKey: `crisis:${crisis.id}:webhook`,
      crisisId: crisis.id,
    });
  }
  if (queued.length > 0) await db.insert(outbox).values(queued).onConflictDoNothing();

  const told = [
    `${rows.length} member${rows.length === 1 ? '' : 's'} in the app`,
    ...(emailEnabled ? [`${queued.filter((q) => q.kind === NOTIFICATION_EMAIL).length} by email`] : []),
    ...(webhookUrl ? ['the team webhook'] : []),
  ];
  await appendCrisisEvent(ctx, crisis.id, {
    kind: 'committee.notify',
    summary: `Committee notified: ${told.join(', ')}${dutyAgent ? `; on duty: ${dutyAgent.name}` : '; no agent on duty'}`,
    data: { memberIds: rows.map((r) => r.memberId), dutyAgentId: dutyAgent?.memberId ?? null, queued: queued.map((q) => ({ kind: q.kind, recipient: q.kind === NOTIFICATION_WEBHOOK ? 'webhook' : q.recipient })) },
  });
  return { memberIds: rows.map((r) => r.memberId), dutyAgent: dutyAgent ? { memberId: dutyAgent.memberId, name: dutyAgent.name } : null, queued: queued.length };
}

/**
 * The on-duty agent whose turn it is: the one who was given a crisis longest ago (or never). Agents with a profile
 * count only when on duty; an organization that keeps no profiles treats every agent as on duty. Stateless, so
 * several instances agree; callers serialise per organization (the alert lock) so two rooms do not pick the same turn.
 */
export async function nextOnDutyAgent(ctx: Ctx): Promise<Recipient | null> {
  const { db, organizationId } = ctx;
  const [anyProfile] = await db.select({ id: agentProfiles.memberId }).from(agentProfiles).where(eq(agentProfiles.organizationId, organizationId)).limit(1);
  const agents: Recipient[] = anyProfile
    ? await db
        .select({ memberId: members.id, name: users.name, email: users.email })
        .from(agentProfiles)
        .innerJoin(members, eq(members.id, agentProfiles.memberId))
        .innerJoin(users, eq(users.id, members.userId))
        .where(and(eq(agentProfiles.organizationId, organizationId), eq(agentProfiles.onDuty, true), eq(members.role, 'agent')))
    : await db
        .select({ memberId: members.id, name: users.name, email: users.email })
        .from(members)
        .innerJoin(users, eq(users.id, members.userId))
        .where(and(eq(members.organizationId, organizationId), eq(members.role, 'agent')));
  if (agents.length === 0) return null;
  const turns = await db
    .select({ memberId: notifications.memberId, last: sql<string>`max(${notifications.createdAt})`.as('last') })
    .from(notifications)
    .where(and(eq(notifications.organizationId, organizationId), eq(notifications.kind, 'crisis.duty'), inArray(notifications.memberId, agents.map((a) => a.memberId))))
    .groupBy(notifications.memberId)
    .orderBy(desc(sql`max(${notifications.createdAt})`));
  const lastTurn = new Map(turns.map((t) => [t.memberId, new Date(t.last).getTime()]));
  agents.sort((a, b) => (lastTurn.get(a.memberId) ?? -1) - (lastTurn.get(b.memberId) ?? -1) || a.memberId.localeCompare(b.memberId));
  return agents[0]!;
}

// Slack mrkdwn treats &, < and > as markup: complaint text quoted in a message must not become links or mentions.
const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Slack-compatible incoming-webhook body: `text` for any receiver, `blocks` for Slack. */
export function slackMessage(headline: string, detail: string, roomUrl: string, dutyAgent: string | null): { text: string; blocks: unknown[] } {
  return {
    text: `:rotating_light: ${slackEscape(headline)} — ${slackEscape(detail)} <${roomUrl}|Open the crisis room>`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: headline.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: slackEscape(detail).slice(0, 2900) } },
      { type: 'section', text: { type: 'mrkdwn', text: `<${roomUrl}|Open the crisis room>${dutyAgent ? ` · on duty: ${slackEscape(dutyAgent)}` : ''}` } },
    ],
  };
}
