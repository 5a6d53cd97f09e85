import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { agentProfiles, members, tickets, users } from '@/db/schema';
import type { Channel } from '@/lib/channels/types';

/** What routing needs to know about a ticket; `assigneeId` is set by `assignTickets`. */
export interface TicketToRoute {
  id: string;
  channel: Channel;
  /** BCP 47 or 'unknown'. */
  language: string;
  sentiment: number;
  priority: number;
  topicTerms: string[];
  assigneeId: string | null;
}

/** A member who can take tickets, with their skills, cap and current load. */
export interface RoutingCandidate {
  memberId: string;
  name: string;
  /** Empty = any channel / language / topic. */
  channels: string[];
  languages: string[];
  topics: string[];
  maxOpenTickets: number;
  openTickets: number;
  csat: number | null;
  avgResponseSeconds: number | null;
}

/** When a ticket counts as one for the best-rated available agent. */
export const escalatedRouting = { sentimentAtMost: -0.6, lifetimeValueAtLeast: 1_000 } as const;

const defaultMaxOpenTickets = 15;

/** Agents (and leads) on duty with their profile, or the defaults when an admin has not set one, and their open tickets now. */
export async function loadRoutingCandidates(db: Db, organizationId: string): Promise<RoutingCandidate[]> {
  const rows = await db
    .select({
      memberId: members.id,
      name: users.name,
      role: members.role,
      channels: agentProfiles.channels,
      languages: agentProfiles.languages,
      topics: agentProfiles.topics,
      maxOpenTickets: agentProfiles.maxOpenTickets,
      onDuty: agentProfiles.onDuty,
      csat: agentProfiles.csat,
      avgResponseSeconds: agentProfiles.avgResponseSeconds,
      // Current load in the same statement, counted up to the agent's cap (past it they take nothing more, whatever
      // the number): in a storm, counting every open ticket of every agent on each webhook grew with the backlog.
      openTickets: sql<number>`(select count(*)::int from (select 1 from ${tickets} where ${tickets.assigneeId} = ${members.id} and ${tickets.status} <> 'resolved' limit coalesce(${agentProfiles.maxOpenTickets}, ${defaultMaxOpenTickets})) as open)`,
    })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .leftJoin(agentProfiles, eq(agentProfiles.memberId, members.id))
    .where(and(eq(members.organizationId, organizationId), inArray(members.role, ['agent', 'lead'])))
    .prepare('routing_candidates')
    .execute();
  // Leads take tickets only when they have a profile saying so; agents take them by default.
  const eligible = rows.filter((r) => (r.onDuty ?? r.role === 'agent') === true);
  const loadOf = new Map(eligible.map((r) => [r.memberId, Number(r.openTickets)]));
  return eligible.map((r) => ({
    memberId: r.memberId,
    name: r.name,
    channels: r.channels ?? [],
    languages: r.languages ?? [],
    topics: r.topics ?? [],
    maxOpenTickets: r.maxOpenTickets ?? defaultMaxOpenTickets,
    openTickets: loadOf.get(r.memberId) ?? 0,
    csat: r.csat ?? null,
    avgResponseSeconds: r.avgResponseSeconds ?? null,
  }));
}

const matchesSkill = (skills: string[], value: string) => skills.length === 0 || skills.includes(value);
const primaryLanguage = (lang: string) => lang.toLowerCase().split('-')[0] ?? lang;

/** Whether an agent may take a ticket at all: channel and language skills, and room under their cap. */
export function canTake(candidate: RoutingCandidate, ticket: TicketToRoute): boolean {
  if (candidate.openTickets >= candidate.maxOpenTickets) return false;
  if (!matchesSkill(candidate.channels, ticket.channel)) return false;
  const lang = primaryLanguage(ticket.language);
  if (lang !== 'unknown' && candidate.languages.length > 0 && !candidate.languages.map(primaryLanguage).includes(lang)) return false;
  return true;
}

/** Whether a ticket goes to the best-rated available agent rather than the least loaded one. */
export function needsBestAgent(ticket: TicketToRoute, lifetimeValue: number): boolean {
  return ticket.sentiment <= escalatedRouting.sentimentAtMost || lifetimeValue >= escalatedRouting.lifetimeValueAtLeast;
}

const rating = (c: RoutingCandidate) => c.csat ?? 0;
const speed = (c: RoutingCandidate) => c.avgResponseSeconds ?? Number.POSITIVE_INFINITY;
const topicMatches = (c: RoutingCandidate, t: TicketToRoute) => (c.topics.length === 0 ? 0 : t.topicTerms.filter((term) => c.topics.includes(term)).length);
/** How specifically an agent fits: a listed channel, a listed language and matching topics beat a generalist. */
const fit = (c: RoutingCandidate, t: TicketToRoute) => (c.channels.includes(t.channel) ? 1 : 0) + (c.languages.map(primaryLanguage).includes(primaryLanguage(t.language)) ? 1 : 0) + topicMatches(c, t);

/**
 * Picks an agent for one ticket, or null when nobody can take it. Strongly negative or high-value tickets go to the
 * best-rated agent with room (then the fastest); the others to the one whose skills fit most specifically, then the
 * lightest load relative to their cap, then the fastest, then the best rated.
 */
export function chooseAgent(ticket: TicketToRoute, candidates: readonly RoutingCandidate[], lifetimeValue = 0): RoutingCandidate | null {
  const able = candidates.filter((c) => canTake(c, ticket));
  if (able.length === 0) return null;
  const best = needsBestAgent(ticket, lifetimeValue);
  const sorted = [...able].sort((a, b) => {
    if (best) return rating(b) - rating(a) || speed(a) - speed(b) || a.openTickets / a.maxOpenTickets - b.openTickets / b.maxOpenTickets;
    return (
      fit(b, ticket) - fit(a, ticket) ||
      a.openTickets / a.maxOpenTickets - b.openTickets / b.maxOpenTickets ||
      speed(a) - speed(b) ||
      rating(b) - rating(a) ||
      a.memberId.localeCompare(b.memberId)
    );
  });
  return sorted[0] ?? null;
}

/** Assigns tickets in the given order (highest priority first), counting each assignment against the agent's cap; tickets nobody can take stay unassigned in the queue. */
export function assignTickets<T extends TicketToRoute>(ordered: T[], candidates: RoutingCandidate[], options: { lifetimeValueOf?: (ticket: T) => number } = {}): T[] {
  for (const ticket of ordered) {
    if (ticket.assigneeId) continue;
    const agent = chooseAgent(ticket, candidates, options.lifetimeValueOf?.(ticket) ?? 0);
    if (!agent) continue;
    ticket.assigneeId = agent.memberId;
    agent.openTickets += 1;
  }
  return ordered;
}
