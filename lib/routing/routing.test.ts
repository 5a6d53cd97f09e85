import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { agentProfiles, notifications, tickets } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import type { NormalizedMention } from '@/lib/channels/types';
import type { Ctx } from '@/lib/context';
import { addMember } from '@/lib/orgs/members';
import { ingestMentions } from '@/lib/signals/ingest';
import { type TestOrganization, createTestOrganization } from '@/test/fixtures';
import { type RoutingCandidate, type TicketToRoute, assignTickets, chooseAgent } from './assign';
import { escalateDueTickets } from './escalate';
import { setTicketStatus } from './tickets';

const agent = (memberId: string, extra: Partial<RoutingCandidate> = {}): RoutingCandidate => ({
  memberId,
  name: memberId,
  channels: [],
  languages: [],
  topics: [],
  maxOpenTickets: 10,
  openTickets: 0,
  csat: null,
  avgResponseSeconds: null,
  ...extra,
});
const ticket = (extra: Partial<TicketToRoute> = {}): TicketToRoute => ({ id: 't', channel: 'x', language: 'en', sentiment: -0.2, priority: 50, topicTerms: [], assigneeId: null, ...extra });

describe('chooseAgent', () => {
  it('assigns by channel and language skill', () => {
    const team = [agent('email-only', { channels: ['email'] }), agent('spanish', { languages: ['es'] }), agent('anything')];
    expect(chooseAgent(ticket({ channel: 'x', language: 'es' }), team)?.memberId).toBe('spanish');
    expect(chooseAgent(ticket({ channel: 'x', language: 'en' }), team.slice(0, 2))).toBeNull();
    expect(chooseAgent(ticket({ channel: 'email', language: 'pt-BR' }), [agent('pt', { languages: ['pt'] })])?.memberId).toBe('pt');
  });

  it('prefers topic skills, then the lightest load relative to the cap, and never exceeds a cap', () => {
    expect(chooseAgent(ticket({ topicTerms: ['#lostluggage'] }), [agent('a'), agent('bags', { topics: ['#lostluggage'], openTickets: 5 })])?.memberId).toBe('bags');
    expect(chooseAgent(ticket(), [agent('busy', { openTickets: 8 }), agent('free', { openTickets: 2 })])?.memberId).toBe('free');
    expect(chooseAgent(ticket(), [agent('full', { openTickets: 10 })])).toBeNull();
  });

  it('sends strongly negative or high-value tickets to the best-rated available agent', () => {
    const team = [agent('fast-new', { csat: 3.9, avgResponseSeconds: 60 }), agent('star', { csat: 4.9, avgResponseSeconds: 300, openTickets: 6 }), agent('star-full', { csat: 5, openTickets: 10 })];
    expect(chooseAgent(ticket({ sentiment: -0.8 }), team)?.memberId).toBe('star');
    expect(chooseAgent(ticket({ sentiment: 0 }), team, 2_500)?.memberId).toBe('star');
    expect(chooseAgent(ticket({ sentiment: 0 }), team, 50)?.memberId).toBe('fast-new');
  });

  it('counts each assignment against the cap while distributing a burst', () => {
    const team = [agent('a', { maxOpenTickets: 2 }), agent('b', { maxOpenTickets: 2 })];
    const burst = Array.from({ length: 5 }, (_, i) => ticket({ id: `t${i}` }));
    assignTickets(burst, team);
    expect(burst.map((t) => t.assigneeId)).toEqual(['a', 'b', 'a', 'b', null]);
  });
});

describe('routing and SLA escalation in the database', () => {
  let database: DatabaseHandle;
  let org: TestOrganization;
  let system: Ctx;
  let secondLeadId: string;
  const t0 = new Date('2026-03-05T09:00:00Z');
  const mention = (id: string, text: string, extra: Partial<NormalizedMention> = {}): NormalizedMention => ({
    channel: 'x',
    externalId: id,
    kind: 'post',
    text,
    occurredAt: t0,
    author: { externalId: `a-${id}`, handle: `author_${id}` },
    isPublic: true,
    hashtags: [],
    raw: {},
    ...extra,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    org = await createTestOrganization(database.db, 'routing');
    system = { db: database.db, organizationId: org.id, actor: { type: 'system', reason: 'test' } };
    secondLeadId = (await addMember({ ctx: org.as('admin'), input: { email: 'lead2@routing.example', name: 'Second Lead', role: 'lead' } })).member.memberId;
  });
  afterAll(() => database.close());

  it('assigns new tickets to on-duty agents by skill; a Spanish ticket goes to the Spanish speaker', async () => {
    const spanish = (await addMember({ ctx: org.as('admin'), input: { email: 'es@routing.example', name: 'Sofía', role: 'agent' } })).member.memberId;
    await database.db.insert(agentProfiles).values([
      { memberId: org.members.agent.memberId, organizationId: org.id, languages: ['en'], csat: 4.2 },
      { memberId: spanish, organizationId: org.id, languages: ['es'], csat: 4.6 },
    ]);
    const result = await ingestMentions({ ctx: system, input: { mentions: [mention('r1', 'Me perdieron la maleta, ayuda por favor'), mention('r2', 'How do I change my seat?')] } });
    const rows = await database.db.select({ id: tickets.id, assigneeId: tickets.assigneeId, subject: tickets.subject }).from(tickets).where(eq(tickets.organizationId, org.id));
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.subject.startsWith('Me perdieron'))?.assigneeId).toBe(spanish);
    expect(rows.find((r) => r.subject.startsWith('How do I'))?.assigneeId).toBe(org.members.agent.memberId);
    expect(result.newTicketIds).toHaveLength(2);
  });

  it('escalates tickets nearing their target to the leads in turn, once, and never answered ones only', async () => {
    const receivedAt = new Date();
    const { newTicketIds } = await ingestMentions({ ctx: system, input: { receivedAt, mentions: ['e1', 'e2', 'e3', 'e4', 'e5'].map((id) => mention(id, 'Lost my bag, help!')) } });
    await setTicketStatus({ ctx: org.as('agent'), input: { ticketId: newTicketIds[4]!, status: 'pending' } });

    const early = await escalateDueTickets({ db: database.db, now: new Date(receivedAt.getTime() + 30 * 60_000) });
    expect(early.escalated).toHaveLength(0);

    const nearTarget = new Date(receivedAt.getTime() + 50 * 60_000);
    const { escalated } = await escalateDueTickets({ db: database.db, now: nearTarget });
    // The two tickets of the test before are long overdue and escalate too; the answered one does not.
    expect(escalated.map((e) => e.ticketId).filter((id) => newTicketIds.includes(id)).sort()).toEqual(newTicketIds.slice(0, 4).sort());
    expect(escalated).toHaveLength(6);
    const perLead = escalated.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.memberId]: (acc[e.memberId] ?? 0) + 1 }), {});
    expect(perLead).toEqual({ [org.members.lead.memberId]: 3, [secondLeadId]: 3 });

    const notes = await database.db.select().from(notifications).where(eq(notifications.organizationId, org.id));
    expect(notes).toHaveLength(6);
    expect(notes.filter((n) => newTicketIds.includes(n.ticketId!)).every((n) => n.title === 'First response due in 10 min: Lost my bag, help!')).toBe(true);
    expect(notes.every((n) => n.memberId !== org.members.agent.memberId && n.memberId !== org.members.admin.memberId)).toBe(true);

    const again = await escalateDueTickets({ db: database.db, now: new Date(nearTarget.getTime() + 60_000) });
    expect(again.escalated.filter((e) => newTicketIds.includes(e.ticketId))).toHaveLength(0);
  });

  it('stops at the agent’s cap across separate ingests, whatever the backlog', async () => {
    const capped = await createTestOrganization(database.db, 'routing-cap');
    await database.db.insert(agentProfiles).values({ memberId: capped.members.agent.memberId, organizationId: capped.id, maxOpenTickets: 2 });
    const ctx: Ctx = { db: database.db, organizationId: capped.id, actor: { type: 'system', reason: 'test' } };
    for (let i = 0; i < 5; i++) await ingestMentions({ ctx, input: { mentions: [mention(`cap-${i}`, 'My bag is lost, please help')] } });
    const rows = await database.db.select({ assigneeId: tickets.assigneeId }).from(tickets).where(eq(tickets.organizationId, capped.id));
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.assigneeId === capped.members.agent.memberId)).toHaveLength(2);
    expect(rows.filter((r) => r.assigneeId === null)).toHaveLength(3);
  });
});
