import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DatabaseHandle } from '@/db/client';
import { agentProfiles, alerts, crises, members, notifications, organizationSettings, users } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import type { Ctx } from '@/lib/context';
import { DomainError } from '@/lib/errors';
import { type TestOrganization, createTestOrganization } from '@/test/fixtures';
import { type RaiseAlertInput, markFalseAlarm, raiseAlert } from './alerts';
import { openCrisisByHand } from './open-by-hand';
import { listCrisisEvents } from './timeline';

let database: DatabaseHandle;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database.close());

const system = (org: TestOrganization): Ctx => ({ db, organizationId: org.id, actor: { type: 'system', reason: 'detection' } });

let onset = Date.UTC(2025, 4, 1);
function spike(overrides: Partial<RaiseAlertInput> = {}): RaiseAlertInput {
  onset += 60_000;
  return {
    kind: 'spike',
    seriesKey: 'all',
    topic: 'all',
    observed: 60,
    expected: 8,
    score: 6,
    since: new Date(onset),
    summary: 'Complaints: 60/min against 8 expected.',
    termShares: {},
    ...overrides,
  };
}

const rejectsWith = (code: DomainError['code']) => (e: unknown) => e instanceof DomainError && e.code === code;

describe('raiseAlert', () => {
  it('keeps an alert below the threshold without opening a room', async () => {
    const org = await createTestOrganization(db, 'alerts-threshold');
    await db.insert(organizationSettings).values({ organizationId: org.id, detection: { openCrisisScore: 5 } });
    const result = await raiseAlert({ ctx: system(org), input: spike({ score: 4.1 }) });
    expect(result.outcome).toBe('below_threshold');
    expect(await db.select().from(crises).where(eq(crises.organizationId, org.id))).toEqual([]);
    // Back at the default (4: every spike the detector raises), the same alert opens a room.
    await db.update(organizationSettings).set({ detection: {} }).where(eq(organizationSettings.organizationId, org.id));
    expect((await raiseAlert({ ctx: system(org), input: spike({ score: 4.1 }) })).outcome).toBe('opened');
  });

  it('one storm, one room: same topic, a generic series and a related term join; an unrelated topic opens its own', async () => {
    const org = await createTestOrganization(db, 'alerts-one-room');
    const first = await raiseAlert({ ctx: system(org), input: spike({ seriesKey: 'topic:#lostluggage', topic: '#lostluggage', termShares: { '#lostluggage': 1 } }) });
    expect(first.outcome).toBe('opened');
    expect(first.crisis).toMatchObject({ topicKey: 'topic:#lostluggage', title: 'Complaint storm about #lostluggage', severity: 'high' });
    const same = await raiseAlert({ ctx: system(org), input: spike({ kind: 'emerging_topic', seriesKey: 'topic:#lostluggage', topic: '#lostluggage', observed: 40 }) });
    const generic = await raiseAlert({ ctx: system(org), input: spike({ seriesKey: 'channel:x', topic: 'all', channel: 'x' }) });
    const related = await raiseAlert({ ctx: system(org), input: spike({ seriesKey: 'all', topic: 'bag', termShares: { bag: 0.7, '#lostluggage': 0.6 } }) });
    for (const r of [same, generic, related]) expect(r).toMatchObject({ outcome: 'attached', crisis: { id: first.crisis!.id } });
    const other = await raiseAlert({ ctx: system(org), input: spike({ seriesKey: 'topic:wifi', topic: 'wifi', termShares: { wifi: 0.9, outage: 0.5 } }) });
    expect(other.outcome).toBe('opened');
    expect(other.crisis!.id).not.toBe(first.crisis!.id);
    const events = await listCrisisEvents(db, org.id, first.crisis!.id);
    expect(events.filter((e) => e.kind === 'alert.attach')).toHaveLength(3);
  });

  it('stores one alert per series onset: a second instance raising it again is a duplicate', async () => {
    const org = await createTestOrganization(db, 'alerts-dedupe');
    const input = spike({ score: 3.5 });
    expect((await raiseAlert({ ctx: system(org), input })).outcome).toBe('below_threshold');
    expect((await raiseAlert({ ctx: system(org), input })).outcome).toBe('duplicate');
    expect(await db.select().from(alerts).where(eq(alerts.organizationId, org.id))).toHaveLength(1);
  });

  it('an emerging topic below the room size waits, then joins the room its storm opens', async () => {
    const org = await createTestOrganization(db, 'alerts-adopt');
    const early = await raiseAlert({ ctx: system(org), input: spike({ kind: 'emerging_topic', seriesKey: 'topic:ipad', topic: 'ipad', observed: 6, score: 12 }) });
    expect(early.outcome).toBe('below_threshold');
    const storm = await raiseAlert({ ctx: system(org), input: spike({ seriesKey: 'topic:ipad', topic: 'ipad' }) });
    expect(storm.outcome).toBe('opened');
    const [adopted] = await db.select().from(alerts).where(eq(alerts.id, early.alert!.id));
    expect(adopted).toMatchObject({ status: 'attached', crisisId: storm.crisis!.id });
  });

  it('an emerging topic that grows past the room size opens the room with the same alert', async () => {
    const org = await createTestOrganization(db, 'alerts-grown');
    const early = spike({ kind: 'emerging_topic', seriesKey: 'topic:#gatechaos', topic: '#gatechaos', observed: 6, score: 12 });
    expect((await raiseAlert({ ctx: system(org), input: early })).outcome).toBe('below_threshold');
    const grown = await raiseAlert({ ctx: system(org), input: { ...early, observed: 24, summary: '“#gatechaos” is suddenly frequent: 24 recent complaints mention it.' } });
    expect(grown.outcome).toBe('opened');
    expect(grown.crisis).toMatchObject({ title: 'Emerging complaints about #gatechaos' });
    const rows = await db.select().from(alerts).where(eq(alerts.organizationId, org.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ observed: 24, status: 'opened_crisis', crisisId: grown.crisis!.id });
    // Raised again (another instance), it is a repeat.
    expect((await raiseAlert({ ctx: system(org), input: { ...early, observed: 24 } })).outcome).toBe('duplicate');
  });

  it('rejects a malformed alert with a clear message and stores nothing', async () => {
    const org = await createTestOrganization(db, 'alerts-invalid');
    await expect(raiseAlert({ ctx: system(org), input: spike({ topic: '' }) })).rejects.toSatisfy(rejectsWith('INVALID_INPUT'));
    expect(await db.select().from(alerts).where(eq(alerts.organizationId, org.id))).toEqual([]);
  });
});

describe('committee notification', () => {
  it('notifies leads and executives, and gives each new room to the next on-duty agent in turn', async () => {
    const org = await createTestOrganization(db, 'alerts-round-robin');
    const extra = await Promise.all(
      ['Bea Agent', 'Cal Agent'].map(async (name, i) => {
        const [user] = await db.insert(users).values({ email: `agent${i}@round-robin.example`, name, passwordHash: 'x' }).returning();
        const [member] = await db.insert(members).values({ organizationId: org.id, userId: user!.id, role: 'agent' }).returning();
        return member!.id;
      }),
    );
    // Profiles exist: only on-duty agents take turns (the fixture's agent is off duty).
    await db.insert(agentProfiles).values([
      { memberId: org.members.agent.memberId, organizationId: org.id, onDuty: false },
      { memberId: extra[0]!, organizationId: org.id, onDuty: true },
      { memberId: extra[1]!, organizationId: org.id, onDuty: true },
    ]);
    const duty: string[] = [];
    for (const topic of ['a1', 'b2', 'c3', 'd4']) {
      const { crisis } = await raiseAlert({ ctx: system(org), input: spike({ seriesKey: `topic:${topic}`, topic }) });
      const [given] = await db.select().from(notifications).where(and(eq(notifications.crisisId, crisis!.id), eq(notifications.kind, 'crisis.duty')));
      duty.push(given!.memberId);
      const committee = await db.select().from(notifications).where(and(eq(notifications.crisisId, crisis!.id), eq(notifications.kind, 'crisis.opened')));
      expect(committee.map((n) => n.memberId).sort()).toEqual([org.members.lead.memberId, org.members.executive.memberId].sort());
    }
    expect(duty[0]).not.toBe(duty[1]);
    expect(duty[2]).toBe(duty[0]);
    expect(duty[3]).toBe(duty[1]);
    expect(duty).not.toContain(org.members.agent.memberId);
  });
});

describe('by hand', () => {
  it('a lead opens a crisis by hand; the committee hears of it; the same topic again returns that room', async () => {
    const org = await createTestOrganization(db, 'alerts-by-hand');
    const opened = await openCrisisByHand({ ctx: org.as('lead'), input: { title: 'Oversold tablets', topic: 'ipad', reason: 'Shop oversold the discounted iPad' } });
    expect(opened.created).toBe(true);
    expect(opened.crisis).toMatchObject({ trigger: 'manual', openedBy: org.members.lead.name, topicKey: 'topic:ipad' });
    const told = await db.select().from(notifications).where(eq(notifications.crisisId, opened.crisis.id));
    expect(told).toHaveLength(3);
    expect(told[0]!.body).toContain('Shop oversold');
    const again = await openCrisisByHand({ ctx: org.as('agent'), input: { title: 'iPad again', topic: 'iPad' } });
    expect(again).toMatchObject({ created: false, crisis: { id: opened.crisis.id } });
    expect(await db.select().from(notifications).where(eq(notifications.crisisId, opened.crisis.id))).toHaveLength(3);
  });

  it('observers cannot open one, and a title is required', async () => {
    const org = await createTestOrganization(db, 'alerts-by-hand-refused');
    await expect(openCrisisByHand({ ctx: org.as('observer'), input: { title: 'Nope nope' } })).rejects.toSatisfy(rejectsWith('FORBIDDEN'));
    await expect(openCrisisByHand({ ctx: org.as('lead'), input: { title: ' ' } })).rejects.toSatisfy(rejectsWith('INVALID_INPUT'));
  });
});

describe('markFalseAlarm', () => {
  it('keeps the alert as feedback with who and when, and notes it on the room timeline', async () => {
    const org = await createTestOrganization(db, 'alerts-false-alarm');
    const { alert, crisis } = await raiseAlert({ ctx: system(org), input: spike() });
    const marked = await markFalseAlarm({ ctx: org.as('agent'), input: { alertId: alert!.id, note: 'A marketing email went out' } });
    expect(marked).toMatchObject({ status: 'false_alarm', feedbackBy: org.members.agent.memberId, crisisId: crisis!.id });
    expect(marked.feedbackAt).toBeInstanceOf(Date);
    expect(marked.explanation).toMatchObject({ feedback: { previousStatus: 'opened_crisis', note: 'A marketing email went out' } });
    const events = await listCrisisEvents(db, org.id, crisis!.id);
    expect(events.at(-1)).toMatchObject({ kind: 'alert.false_alarm', actor: `member:${org.members.agent.memberId}` });
  });

  it('refuses observers and alerts of another organization', async () => {
    const org = await createTestOrganization(db, 'alerts-false-alarm-refused');
    const other = await createTestOrganization(db, 'alerts-false-alarm-other');
    const { alert } = await raiseAlert({ ctx: system(other), input: spike({ score: 3.5 }) });
    await expect(markFalseAlarm({ ctx: org.as('observer'), input: { alertId: alert!.id } })).rejects.toSatisfy(rejectsWith('FORBIDDEN'));
    await expect(markFalseAlarm({ ctx: org.as('lead'), input: { alertId: alert!.id } })).rejects.toSatisfy(rejectsWith('NOT_FOUND'));
    const [untouched] = await db.select().from(alerts).where(eq(alerts.id, alert!.id));
    expect(untouched!.status).toBe('below_threshold');
  });
});
