import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { type DatabaseHandle, type Db, openPostgres } from '@/db/client';
import * as schema from '@/db/schema';
import { customerIdentities, customers, mentions, tickets } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import type { NormalizedMention } from '@/lib/channels/types';
import { type Ctx } from '@/lib/context';
import { type DomainEvents, subscribe } from '@/lib/events';
import { type TestOrganization, createTestOrganization } from '@/test/fixtures';
import { parsePhoneCall } from '@/lib/channels/phone/parse';
import { ingestMentions } from './ingest';
import { importPurchases } from './purchases';
import { updateListeningSettings } from './settings';

let database: DatabaseHandle;
let org: TestOrganization;
let other: TestOrganization;
let system: Ctx;

const t0 = new Date('2026-03-05T09:00:00Z');
const minutesAfter = (m: number) => new Date(t0.getTime() + m * 60_000);

function mention(overrides: Partial<NormalizedMention> & Pick<NormalizedMention, 'externalId'>): NormalizedMention {
  return {
    channel: 'x',
    kind: 'post',
    text: 'My bag is lost and nobody answers. I want a refund 😡',
    occurredAt: t0,
    author: { externalId: '1001', handle: 'maria_travels', name: 'María', followers: 800 },
    isPublic: true,
    hashtags: [],
    raw: { id: overrides.externalId },
    ...overrides,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  org = await createTestOrganization(database.db, 'ingest');
  other = await createTestOrganization(database.db, 'ingest-other');
  system = { db: database.db, organizationId: org.id, actor: { type: 'system', reason: 'test' } };
});
afterAll(() => database.close());

describe('ingestMentions', () => {
  it('stores a mention classified and scored, with a customer and a ticket due in the default 60 minutes, then publishes', async () => {
    const seen: DomainEvents['mentions.ingested'][] = [];
    const live: DomainEvents['live.changed'][] = [];
    const stop = [subscribe('mentions.ingested', (e) => seen.push(e)), subscribe('live.changed', (e) => live.push(e))];
    const receivedAt = minutesAfter(1);
    const result = await ingestMentions({ ctx: system, input: { mentions: [mention({ externalId: '5001' })], receivedAt } });
    stop.forEach((s) => s());

    expect(result).toMatchObject({ accepted: 1, duplicates: 0 });
    const [row] = await database.db.select().from(mentions).where(eq(mentions.externalId, '5001'));
    expect(row).toMatchObject({ organizationId: org.id, category: 'complaint', authorHandle: 'maria_travels', raw: { id: '5001' } });
    expect(row!.priority).toBeGreaterThan(20);
    expect(row!.priorityBreakdown.map((b) => b.factor)).toContain('cross_channel');
    const [ticket] = await database.db.select().from(tickets).where(eq(tickets.id, row!.ticketId!));
    expect(ticket!.slaDueAt.getTime()).toBe(receivedAt.getTime() + 60 * 60_000);
    expect(ticket!.priority).toBe(row!.priority);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.mentions[0]).toMatchObject({ id: row!.id, category: 'complaint', ticketId: ticket!.id });
    expect(live).toContainEqual({ organizationId: org.id, topic: 'queue' });
  });

  it('stores a message delivered twice once, and counts the retry as a duplicate', async () => {
    const again = await ingestMentions({ ctx: system, input: { mentions: [mention({ externalId: '5001' }), mention({ externalId: '5002', occurredAt: minutesAfter(2) }), mention({ externalId: '5002', occurredAt: minutesAfter(2) })] } });
    expect(again).toMatchObject({ accepted: 1, duplicates: 2 });
    const rows = await database.db.select().from(mentions).where(and(eq(mentions.organizationId, org.id), eq(mentions.externalId, '5001')));
    expect(rows).toHaveLength(1);
  });

  it('dedupes per organization: the same id in another organization is a different mention', async () => {
    const result = await ingestMentions({ ctx: { ...system, organizationId: other.id }, input: { mentions: [mention({ externalId: '5001' })] } });
    expect(result.accepted).toBe(1);
  });

  it('refuses, in the database, a row of one organization that names another organization’s customer', async () => {
    const result = await ingestMentions({ ctx: system, input: { mentions: [mention({ externalId: 'tenancy-1', author: { externalId: '5005', handle: 'tenant_a' } })] } });
    const customerId = result.mentions[0]!.customerId!;
    await expect(database.db.insert(customerIdentities).values({ organizationId: other.id, customerId, key: 'x:@intruder' })).rejects.toThrow();
    const [ticket] = await database.db.select().from(tickets).where(eq(tickets.customerId, customerId));
    await expect(database.db.update(tickets).set({ organizationId: other.id }).where(eq(tickets.id, ticket!.id))).rejects.toThrow();
  });

  it('deletes an organization’s mentions and tickets with it, through its customers', async () => {
    const doomed = await createTestOrganization(database.db, 'ingest-doomed');
    await ingestMentions({ ctx: { ...system, organizationId: doomed.id }, input: { mentions: [mention({ externalId: 'doomed-1' })] } });
    const count = async () => (await database.db.select({ id: mentions.id }).from(mentions).where(eq(mentions.organizationId, doomed.id))).length + (await database.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.organizationId, doomed.id))).length;
    expect(await count()).toBe(2);
    await database.db.delete(schema.organizations).where(eq(schema.organizations.id, doomed.id));
    expect(await count()).toBe(0);
  });

  it('links one customer across channels, groups into their open ticket and ranks the second channel higher', async () => {
    const emailAt = minutesAfter(10);
    const email = mention({ externalId: '<m1@example.com>', channel: 'email', kind: 'email', isPublic: false, occurredAt: emailAt, author: { externalId: 'joao@example.com', email: 'joao@example.com', name: 'João' }, text: 'Still waiting for my refund, order 7781.' });
    await ingestMentions({ ctx: system, input: { mentions: [email] } });
    // A listening tool knows both the handle and the address; the webhook later only the account.
    const listened = mention({ externalId: '6000', occurredAt: minutesAfter(100), author: { externalId: '2002', handle: 'joao_b', email: 'JOAO@example.com' }, text: 'Where is my refund?' });
    await ingestMentions({ ctx: system, input: { mentions: [listened] } });
    const tweet = mention({ externalId: '6001', occurredAt: minutesAfter(190), author: { externalId: '2002', handle: 'JOAO_B', followers: 120 }, text: 'Three hours and no answer to my email. Refund now!' });
    await ingestMentions({ ctx: system, input: { mentions: [tweet] } });

    const rows = await database.db.select().from(mentions).where(and(eq(mentions.organizationId, org.id), eq(mentions.externalId, '6001')));
    const emailRow = (await database.db.select().from(mentions).where(eq(mentions.externalId, '<m1@example.com>')))[0]!;
    expect(rows[0]!.customerId).toBe(emailRow.customerId);
    expect(rows[0]!.ticketId).toBe(emailRow.ticketId);
    const crossChannel = rows[0]!.priorityBreakdown.find((b) => b.factor === 'cross_channel');
    expect(crossChannel?.reason).toBe('Contacted us by email 3 hours ago and now on X.');
    expect(rows[0]!.priority).toBeGreaterThan(emailRow.priority);
    expect(crossChannel!.points).toBeGreaterThan(0);
    const keys = await database.db.select({ key: customerIdentities.key }).from(customerIdentities).where(eq(customerIdentities.customerId, emailRow.customerId!));
    expect(keys.map((k) => k.key).sort()).toEqual(['email:joao@example.com', 'x:@joao_b', 'x:id:2002']);
    const [customer] = await database.db.select().from(customers).where(eq(customers.id, emailRow.customerId!));
    expect(customer).toMatchObject({ displayName: 'João', followers: 120 });
  });

  it('gives an unverified email sender no credit for history they may not own', async () => {
    const sender = { externalId: 'unverified:vip@example.com', email: 'vip@example.com', name: 'Claims to be VIP', verified: false };
    const email = (externalId: string, minutes: number) => mention({ externalId, channel: 'email', kind: 'email', isPublic: false, occurredAt: minutesAfter(minutes), author: sender });
    await ingestMentions({ ctx: system, input: { mentions: [email('<forged-1@example.com>', 20)] } });
    const second = await ingestMentions({ ctx: system, input: { mentions: [email('<forged-2@example.com>', 50)] } });
    const [row] = await database.db.select().from(mentions).where(eq(mentions.id, second.mentions[0]!.id));
    const reasonOf = (factor: string) => row!.priorityBreakdown.find((b) => b.factor === factor)?.reason;
    expect(reasonOf('cross_channel')).toMatch(/^Sender not verified/);
    expect(reasonOf('customer_value')).toMatch(/^Sender not verified/);
    const keys = await database.db.select({ key: customerIdentities.key }).from(customerIdentities).where(eq(customerIdentities.customerId, row!.customerId!));
    expect(keys.map((k) => k.key)).toEqual(['unverified:vip@example.com']);
  });

  it('gives a caller whose number is not attested no credit for the value and history of the customer who owns it', async () => {
    // A business-class customer on file by phone, who emailed an hour before.
    await importPurchases({ ctx: system, input: { purchases: [{ customerPhone: '+1 312 555 0187', customerEmail: 'daniel.okafor@example.com', customerName: 'Daniel Okafor', externalId: 'PNR-Q7MD4K', amount: 2860, currency: 'USD', purchasedAt: '2026-02-03' }] } });
    const email = mention({ externalId: '<daniel-1@example.com>', channel: 'email', kind: 'email', isPublic: false, occurredAt: minutesAfter(400), author: { externalId: 'daniel.okafor@example.com', email: 'daniel.okafor@example.com', name: 'Daniel Okafor' }, text: 'My flight DA 90 was cancelled, where is my refund?' });
    await ingestMentions({ ctx: system, input: { mentions: [email] } });
    const call = (callId: string, minutes: number, callerVerification: string) =>
      parsePhoneCall({ callId, direction: 'inbound', from: '+13125550187', to: '+16465550100', startedAt: minutesAfter(minutes).toISOString(), durationSeconds: 300, callerName: 'Daniel Okafor', agentSummary: 'Wants the refund of PNR-Q7MD4K sent today to a new card. Urgent, very upset.', callerVerification });

    const spoofed = await ingestMentions({ ctx: system, input: { mentions: [call('CA-spoofed', 430, 'TN-Validation-Passed-C')] } });
    const attested = await ingestMentions({ ctx: system, input: { mentions: [call('CA-attested', 431, 'TN-Validation-Passed-A')] } });
    const rowOf = async (id: string) => (await database.db.select().from(mentions).where(eq(mentions.id, id)))[0]!;
    const emailRow = (await database.db.select().from(mentions).where(eq(mentions.externalId, '<daniel-1@example.com>')))[0]!;
    const [fake, real] = [await rowOf(spoofed.mentions[0]!.id), await rowOf(attested.mentions[0]!.id)];
    const breakdown = (row: typeof fake, factor: string) => row.priorityBreakdown.find((b) => b.factor === factor)!;

    expect(real.customerId).toBe(emailRow.customerId);
    expect(breakdown(real, 'customer_value').reason).toMatch(/^Lifetime value 2,860/);
    expect(breakdown(real, 'cross_channel').reason).toMatch(/by email/);
    expect(fake.customerId).not.toBe(emailRow.customerId);
    expect(fake.authorExternalId).toBe('unverified:phone:+13125550187');
    expect(breakdown(fake, 'customer_value')).toMatchObject({ points: 0, reason: expect.stringMatching(/^Sender not verified/) });
    expect(breakdown(fake, 'cross_channel')).toMatchObject({ points: 0, reason: expect.stringMatching(/^Sender not verified/) });
    expect(fake.priority).toBeLessThan(real.priority);
    const keys = await database.db.select({ key: customerIdentities.key }).from(customerIdentities).where(eq(customerIdentities.customerId, fake.customerId!));
    expect(keys.map((k) => k.key)).toEqual(['unverified:phone:+13125550187']);
  });

  it('opens tickets due after the organization’s SLA for the channel', async () => {
    await updateListeningSettings({ ctx: org.as('admin'), input: { slaMinutes: { chat: 15 } } });
    const receivedAt = minutesAfter(300);
    const chat = mention({ externalId: 's1/m1', channel: 'chat', kind: 'chat', isPublic: false, author: { externalId: 'visitor-9' }, text: 'How can I change my seat?' });
    const result = await ingestMentions({ ctx: system, input: { mentions: [chat], receivedAt } });
    const [ticket] = await database.db.select().from(tickets).where(eq(tickets.id, result.newTicketIds[0]!));
    expect(ticket!.slaDueAt.getTime()).toBe(receivedAt.getTime() + 15 * 60_000);
    expect(ticket!.subject).toBe('How can I change my seat?');
  });

  it('uses the organization’s trigger phrases', async () => {
    await updateListeningSettings({ ctx: org.as('admin'), input: { triggers: { complaint: { en: ['stranded'] } } } });
    const result = await ingestMentions({ ctx: system, input: { mentions: [mention({ externalId: '7001', author: { externalId: '3003', handle: 'pat' }, text: 'We are stranded at gate 12' })] } });
    const [row] = await database.db.select().from(mentions).where(eq(mentions.id, result.mentions[0]!.id));
    expect(row).toMatchObject({ category: 'complaint', matchedTriggers: ['stranded'] });
  });

  it('keeps text with markup, emoji, right-to-left script and NUL as data', async () => {
    const text = '<script>alert(1)</script> مرحبا، حقيبتي ضاعت 😡\u0000';
    const result = await ingestMentions({ ctx: system, input: { mentions: [mention({ externalId: '8001', author: { externalId: '4004', handle: 'rtl_user' }, text, raw: { text } })] } });
    const [row] = await database.db.select().from(mentions).where(eq(mentions.id, result.mentions[0]!.id));
    expect(row!.text).toBe('<script>alert(1)</script> مرحبا، حقيبتي ضاعت 😡\uFFFD');
    expect(row!.raw).toEqual({ text: '<script>alert(1)</script> مرحبا، حقيبتي ضاعت 😡\uFFFD' });
  });

  it('stores hostile text the same alone as in a storm (one statement for a few rows, COPY for many)', async () => {
    const text = 'Tab\there, line\nbreak, CR\r, back\\slash \\N "quoted" {braces} , NUL\u0000 <img src=x onerror=alert(1)> مرحبا 😡';
    const name = 'Ana\t"\\N"\nPérez';
    const hashtags = ['lost"bag', 'back\\slash', 'NULL', 'a,b', ''];
    const raw = { text, nested: { name, list: ['\\', '"', '\t'] } };
    const stored = text.replace('\u0000', '\uFFFD');
    for (const count of [1, 150]) {
      const batch = Array.from({ length: count }, (_, i) => mention({ externalId: `hostile-${count}-${i}`, author: { externalId: `h${count}-${i}`, handle: `hostile_${count}_${i}`, name }, text, hashtags, raw, occurredAt: new Date(t0.getTime() + 123 + i) }));
      const result = await ingestMentions({ ctx: system, input: { mentions: batch } });
      expect(result.accepted).toBe(count);
      const rows = await database.db.select().from(mentions).where(and(eq(mentions.organizationId, org.id), like(mentions.externalId, `hostile-${count}-%`)));
      expect(rows).toHaveLength(count);
      for (const row of rows) {
        expect(row.text).toBe(stored);
        expect(row.authorName).toBe(name);
        expect(row.hashtags).toEqual(hashtags);
        expect(row.raw).toEqual({ text: stored, nested: raw.nested });
        expect(row.occurredAt.getTime()).toBe(t0.getTime() + 123 + Number(row.externalId.split('-')[2]));
      }
      const [customer] = await database.db.select().from(customers).where(eq(customers.id, rows[0]!.customerId));
      expect(customer!.displayName).toBe(name);
    }
  });

  it('ingests a batch of thousands in one call, each author once', async () => {
    const batch = Array.from({ length: 3_000 }, (_, i) => mention({ externalId: `bulk-${i}`, author: { externalId: `u${i % 1_000}`, handle: `user_${i % 1_000}` }, occurredAt: minutesAfter(400 + i / 100) }));
    const result = await ingestMentions({ ctx: system, input: { mentions: batch } });
    expect(result).toMatchObject({ accepted: 3_000, duplicates: 0 });
    expect(result.newTicketIds).toHaveLength(1_000);
    // Each author wrote early, midway and late in the batch: one ticket and one customer each, that know the last mention.
    const rows = await database.db.select({ externalId: mentions.externalId, ticketId: mentions.ticketId, customerId: mentions.customerId }).from(mentions).where(and(eq(mentions.organizationId, org.id), like(mentions.externalId, 'bulk-%')));
    expect(new Set(rows.map((r) => r.ticketId)).size).toBe(1_000);
    expect(new Set(rows.map((r) => r.customerId)).size).toBe(1_000);
    const latest = rows.find((r) => r.externalId === 'bulk-2999')!;
    const [ticket] = await database.db.select().from(tickets).where(eq(tickets.id, latest.ticketId!));
    const [customer] = await database.db.select().from(customers).where(eq(customers.id, latest.customerId!));
    expect(ticket!.lastMentionAt).toEqual(minutesAfter(400 + 2_999 / 100));
    expect(customer!.lastContactAt).toEqual(minutesAfter(400 + 2_999 / 100));
  });

  it('stores a large retry once when two server instances ingest it at the same time', async () => {
    // A second instance: its own connections to the same database (its own ingest lane), so the two runs race.
    let second: { db: Db; close: () => Promise<void> };
    if (database.kind === 'postgres') {
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${((await database.sql`select current_database() as name`) as unknown as { name: string }[])[0]!.name}`;
      second = await openPostgres(url.toString(), { max: 2 });
    } else {
      second = { db: drizzlePglite({ client: database.pglite, schema }) as unknown as Db, close: async () => undefined };
    }
    try {
      const batch = Array.from({ length: 2_500 }, (_, i) => mention({ externalId: `race-${i}`, author: { externalId: `r${i % 900}`, handle: `race_${i % 900}` }, occurredAt: minutesAfter(600 + i / 100) }));
      const results = await Promise.all([system, { ...system, db: second.db }].map((ctx) => ingestMentions({ ctx, input: { mentions: batch } })));
      expect(results.map((r) => r.accepted + r.duplicates)).toEqual([2_500, 2_500]);
      expect(results[0]!.accepted + results[1]!.accepted).toBe(2_500);
      const rows = await database.db.select({ id: mentions.id }).from(mentions).where(and(eq(mentions.organizationId, org.id), like(mentions.externalId, 'race-%')));
      expect(rows).toHaveLength(2_500);
      const identities = await database.db.select({ key: customerIdentities.key }).from(customerIdentities).where(and(eq(customerIdentities.organizationId, org.id), like(customerIdentities.key, 'x:@race_%')));
      expect(identities).toHaveLength(900);
    } finally {
      await second.close();
    }
  });

  it('runs concurrent calls together and still answers each one for its own mentions', async () => {
    const calls = Array.from({ length: 20 }, (_, i) => ingestMentions({ ctx: system, input: { mentions: [mention({ externalId: `conc-${i % 15}`, author: { externalId: `c${i}`, handle: `conc_${i}` } })] } }));
    const results = await Promise.all(calls);
    expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBe(15);
    expect(results.reduce((sum, r) => sum + r.duplicates, 0)).toBe(5);
    expect(results.slice(0, 15).every((r) => r.accepted === 1 && r.mentions[0]?.id)).toBe(true);
    const rows = await database.db.select({ id: mentions.id }).from(mentions).where(and(eq(mentions.organizationId, org.id), like(mentions.externalId, 'conc-%')));
    expect(rows).toHaveLength(15);
  });
});

