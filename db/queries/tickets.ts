import { and, asc, desc, eq, inArray, isNotNull, isNull, ne, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '@/db/client';
import { type ChannelName, type TicketStatus, crises, customers, members, mentions, tickets, users } from '@/db/schema';
import { unverifiedSenderPrefix } from '@/lib/channels/types';

/** Queue filters as the page's search params carry them. */
export interface QueueFilters {
  channel?: ChannelName;
  /** 'active' = open or pending (the default). */
  status?: TicketStatus | 'active' | 'all';
  /** 'me' needs `memberId`; 'unassigned'; or a member id. */
  assignee?: string;
  /** 'any' = in a crisis, 'none' = not, or a crisis id. */
  crisis?: string;
}

export interface QueueRow {
  id: string;
  subject: string;
  channel: ChannelName;
  status: TicketStatus;
  priority: number;
  priorityBreakdown: { factor: string; points: number; reason: string }[];
  slaDueAt: Date;
  firstResponseAt: Date | null;
  escalatedAt: Date | null;
  createdAt: Date;
  lastMentionAt: Date;
  crisisId: string | null;
  crisisTitle: string | null;
  customerId: string;
  customerName: string;
  customerFollowers: number;
  customerLifetimeValueCents: number;
  customerCurrency: string;
  agitatorKind: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  mentionCount: number;
  channels: ChannelName[];
  /** A promoted post is in the ticket. */
  promoted: boolean;
  /** The most impressions any of its posts had. */
  maxImpressions: number | null;
  /** A message in it came from an email address our mail server did not authenticate. */
  senderUnverified: boolean;
}

const assigneeUser = alias(users, 'assignee_user');

/** The unified queue: tickets of every channel, most urgent first, filtered; at most `limit`. */
export async function listQueue(db: Db, organizationId: string, filters: QueueFilters, memberId: string, limit = 200): Promise<QueueRow[]> {
  const where: SQL[] = [eq(tickets.organizationId, organizationId)];
  const status = filters.status ?? 'active';
  if (status === 'active') where.push(ne(tickets.status, 'resolved'));
  else if (status !== 'all') where.push(eq(tickets.status, status));
  // A ticket belongs to every channel the customer used in it.
  if (filters.channel) where.push(sql`exists (select 1 from ${mentions} where ${mentions.ticketId} = ${tickets.id} and ${mentions.channel} = ${filters.channel})`);
  if (filters.assignee === 'me') where.push(eq(tickets.assigneeId, memberId));
  else if (filters.assignee === 'unassigned') where.push(isNull(tickets.assigneeId));
  else if (filters.assignee && /^[0-9a-f-]{36}$/i.test(filters.assignee)) where.push(eq(tickets.assigneeId, filters.assignee));
  if (filters.crisis === 'any') where.push(isNotNull(tickets.crisisId));
  else if (filters.crisis === 'none') where.push(isNull(tickets.crisisId));
  else if (filters.crisis && /^[0-9a-f-]{36}$/i.test(filters.crisis)) where.push(eq(tickets.crisisId, filters.crisis));

  return selectQueue(db, organizationId, where, limit);
}

async function selectQueue(db: Db, organizationId: string, where: SQL[], limit: number): Promise<QueueRow[]> {
  const rows = await db
    .select({
      id: tickets.id,
      subject: tickets.subject,
      channel: tickets.channel,
      status: tickets.status,
      priority: tickets.priority,
      priorityBreakdown: tickets.priorityBreakdown,
      slaDueAt: tickets.slaDueAt,
      firstResponseAt: tickets.firstResponseAt,
      escalatedAt: tickets.escalatedAt,
      createdAt: tickets.createdAt,
      lastMentionAt: tickets.lastMentionAt,
      crisisId: tickets.crisisId,
      crisisTitle: crises.title,
      customerId: tickets.customerId,
      customerName: customers.displayName,
      customerFollowers: customers.followers,
      customerLifetimeValueCents: customers.lifetimeValueCents,
      customerCurrency: customers.currency,
      agitatorKind: sql<string | null>`${customers.agitator}->>'kind'`,
      assigneeId: tickets.assigneeId,
      assigneeName: assigneeUser.name,
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(members, eq(members.id, tickets.assigneeId))
    .leftJoin(assigneeUser, eq(assigneeUser.id, members.userId))
    .leftJoin(crises, eq(crises.id, tickets.crisisId))
    .where(and(...where))
    .orderBy(desc(tickets.priority), asc(tickets.slaDueAt))
    .limit(limit);
  if (rows.length === 0) return [];
  const stats = await db
    .select({
      ticketId: mentions.ticketId,
      n: sql<number>`count(*)::int`,
      channels: sql<ChannelName[]>`array_agg(distinct ${mentions.channel})`,
      promoted: sql<boolean>`bool_or(${mentions.promoted})`,
      maxImpressions: sql<number | null>`max((${mentions.metrics}->>'impressions')::bigint)`,
      senderUnverified: sql<boolean>`bool_or(${mentions.authorExternalId} like ${`${unverifiedSenderPrefix}%`})`,
    })
    .from(mentions)
    .where(and(eq(mentions.organizationId, organizationId), inArray(mentions.ticketId, rows.map((r) => r.id))))
    .groupBy(mentions.ticketId);
  const statsOf = new Map(stats.map((s) => [s.ticketId, s]));
  return rows.map((r) => {
    const stat = statsOf.get(r.id);
    return { ...r, mentionCount: Number(stat?.n ?? 0), channels: stat?.channels ?? [r.channel], promoted: stat?.promoted ?? false, maxImpressions: stat?.maxImpressions == null ? null : Number(stat.maxImpressions), senderUnverified: stat?.senderUnverified ?? false };
  });
}

/** How many active tickets the queue holds per channel, for the filter bar. */
export async function queueCounts(db: Db, organizationId: string): Promise<{ total: number; overdue: number; unassigned: number }> {
  const [row] = await db
    .select({
      total: sql<number>`count(*)::int`,
      overdue: sql<number>`count(*) filter (where ${tickets.slaDueAt} < now() and ${tickets.firstResponseAt} is null)::int`,
      unassigned: sql<number>`count(*) filter (where ${tickets.assigneeId} is null)::int`,
    })
    .from(tickets)
    .where(and(eq(tickets.organizationId, organizationId), ne(tickets.status, 'resolved')));
  return { total: Number(row?.total ?? 0), overdue: Number(row?.overdue ?? 0), unassigned: Number(row?.unassigned ?? 0) };
}

/** One ticket of the organization with its queue columns, or null. */
export async function findTicket(db: Db, organizationId: string, ticketId: string): Promise<QueueRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(ticketId)) return null;
  const [row] = await selectQueue(db, organizationId, [eq(tickets.organizationId, organizationId), eq(tickets.id, ticketId)], 1);
  return row ?? null;
}

/** The mentions of one ticket, oldest first. */
export function listTicketMentions(db: Db, organizationId: string, ticketId: string) {
  return db
    .select()
    .from(mentions)
    .where(and(eq(mentions.organizationId, organizationId), eq(mentions.ticketId, ticketId)))
    .orderBy(asc(mentions.occurredAt));
}

/** Crises a ticket can be filtered by: the ones not resolved, newest first. */
export function listCrisesForFilter(db: Db, organizationId: string) {
  return db
    .select({ id: crises.id, title: crises.title })
    .from(crises)
    .where(and(eq(crises.organizationId, organizationId), ne(crises.status, 'resolved')))
    .orderBy(desc(crises.openedAt))
    .limit(50);
}
