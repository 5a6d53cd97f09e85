import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { customerIdentities, customers, mentions, purchases, tickets } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import type { NormalizedMention } from '@/lib/channels/types';
import type { Ctx } from '@/lib/context';
import { DomainError } from '@/lib/errors';
import { type TestOrganization, createTestOrganization } from '@/test/fixtures';
import { importMentionsCsv } from './csv-import';
import { mergeCustomers, splitCustomer } from './customers';
import { ingestMentions } from './ingest';
import { importPurchases, parsePurchasesCsv } from './purchases';

let database: DatabaseHandle;
let org: TestOrganization;
let system: Ctx;

const at = new Date('2026-03-05T09:00:00Z');
const tweet = (id: string, author: NormalizedMention['author'], text = 'Lost my bag, help'): NormalizedMention => ({ channel: 'x', externalId: id, kind: 'post', text, occurredAt: at, author, isPublic: true, hashtags: [], raw: {} });
const email = (id: string, address: string): NormalizedMention => ({ channel: 'email', externalId: id, kind: 'email', text: 'Where is my refund?', occurredAt: at, author: { externalId: address, email: address }, isPublic: false, hashtags: [], raw: '' });

const customerOf = async (externalId: string) => (await database.db.select({ id: mentions.customerId }).from(mentions).where(and(eq(mentions.organizationId, org.id), eq(mentions.externalId, externalId))))[0]!.id!;

beforeAll(async () => {
  database = await createTestDatabase();
  org = await createTestOrganization(database.db, 'customers');
  system = { db: database.db, organizationId: org.id, actor: { type: 'system', reason: 'test' } };
});
afterAll(() => database.close());

describe('purchases', () => {
  it('imports a CSV, links purchases by email or handle, and recomputes lifetime value', async () => {
    await ingestMentions({ ctx: system, input: { mentions: [tweet('p1', { externalId: '11', handle: 'buyer_one' })] } });
    const csv = 'customer_email,customer_handle,external_id,amount,currency,purchased_at,description\n,@Buyer_One,ord-1,120.50,usd,2026-01-10,Flight MAD-JFK\n,buyer_one,ord-2,79.50,USD,2026-02-01T10:00:00Z,Seat upgrade\nnew@example.com,,ord-3,10,EUR,2026-02-02,Bag fee\n';
    const result = await importPurchases({ ctx: org.as('agent'), input: { purchases: parsePurchasesCsv(csv) } });
    expect(result).toEqual({ imported: 3, duplicates: 0, customersUpdated: 2 });
    const [buyer] = await database.db.select().from(customers).where(eq(customers.id, await customerOf('p1')));
    expect(buyer).toMatchObject({ lifetimeValueCents: 20_000, currency: 'USD' });
    const again = await importPurchases({ ctx: org.as('agent'), input: { purchases: parsePurchasesCsv(csv) } });
    expect(again).toMatchObject({ imported: 0, duplicates: 3 });
  });

  it('rejects the whole import, naming the bad rows, and stores nothing', async () => {
    const csv = 'customer_email,external_id,amount,currency,purchased_at\na@example.com,ord-9,12.345,USD,2026-01-01\n,ord-10,5,USD,2026-01-01\n';
    const error = await (async () => importPurchases({ ctx: org.as('agent'), input: { purchases: parsePurchasesCsv(csv) } }))().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).message).toMatch(/2 of 2 rows are invalid. line 2, amount: expected an amount like 129.99; line 3, customer_email: a purchase needs/);
    expect(await database.db.select().from(purchases).where(eq(purchases.externalId, 'ord-9'))).toHaveLength(0);
  });

  it('observers cannot import', async () => {
    await expect(importPurchases({ ctx: org.as('observer'), input: { purchases: [] } })).rejects.toSatisfy((e: unknown) => e instanceof DomainError && e.code === 'FORBIDDEN');
  });
});

describe('merge and split', () => {
  it('merge moves identities, mentions, tickets and purchases to the survivor', async () => {
    await ingestMentions({ ctx: system, input: { mentions: [tweet('m1', { externalId: '21', handle: 'lucia_x', followers: 5_000 }), email('<m2@example.com>', 'lucia@example.com')] } });
    await importPurchases({ ctx: system, input: { purchases: [{ customerEmail: 'lucia@example.com', externalId: 'ord-l1', amount: 300, currency: 'USD', purchasedAt: '2026-01-01' }] } });
    const survivor = await customerOf('<m2@example.com>');
    const merged = await customerOf('m1');
    expect(survivor).not.toBe(merged);

    const result = await mergeCustomers({ ctx: org.as('agent'), input: { survivorId: survivor, mergedId: merged } });
    expect(result.moved).toMatchObject({ identities: 2, mentions: 1, tickets: 1, purchases: 0 });
    expect(await customerOf('m1')).toBe(survivor);
    const [kept] = await database.db.select().from(customers).where(eq(customers.id, survivor));
    expect(kept).toMatchObject({ lifetimeValueCents: 30_000, followers: 5_000, mergedIntoId: null });
    const [gone] = await database.db.select().from(customers).where(eq(customers.id, merged));
    expect(gone!.mergedIntoId).toBe(survivor);
    const keys = await database.db.select({ key: customerIdentities.key }).from(customerIdentities).where(eq(customerIdentities.customerId, survivor));
    expect(keys.map((k) => k.key).sort()).toEqual(['email:lucia@example.com', 'x:@lucia_x', 'x:id:21']);
    const ticketRows = await database.db.select().from(tickets).where(eq(tickets.customerId, survivor));
    expect(ticketRows).toHaveLength(2);

    // New mentions from the merged account now land on the survivor.
    await ingestMentions({ ctx: system, input: { mentions: [tweet('m3', { externalId: '21', handle: 'lucia_x' })] } });
    expect(await customerOf('m3')).toBe(survivor);
  });

  it('refuses to merge a customer into itself or into one already merged', async () => {
    const id = await customerOf('<m2@example.com>');
    await expect(mergeCustomers({ ctx: org.as('agent'), input: { survivorId: id, mergedId: id } })).rejects.toThrow(/two different customers/);
    const gone = await customerOf('p1');
    await mergeCustomers({ ctx: org.as('lead'), input: { survivorId: id, mergedId: gone } });
    await expect(mergeCustomers({ ctx: org.as('lead'), input: { survivorId: gone, mergedId: id } })).rejects.toThrow(/already merged/);
  });

  it('split moves the chosen identities, their mentions and their own tickets to a new customer', async () => {
    const wrongly = await customerOf('<m2@example.com>');
    const identities = await database.db.select().from(customerIdentities).where(eq(customerIdentities.customerId, wrongly));
    const xIdentities = identities.filter((i) => i.key === 'x:id:21' || i.key === 'x:@lucia_x');
    const result = await splitCustomer({ ctx: org.as('agent'), input: { customerId: wrongly, identityIds: xIdentities.map((i) => i.id), displayName: 'Lucía on X' } });
    expect(result.moved.identities).toBe(2);
    expect(result.moved.mentions).toBe(2);
    expect(await customerOf('m1')).toBe(result.newCustomerId);
    expect(await customerOf('m3')).toBe(result.newCustomerId);
    expect(await customerOf('<m2@example.com>')).toBe(wrongly);
    const [split] = await database.db.select().from(customers).where(eq(customers.id, result.newCustomerId));
    expect(split).toMatchObject({ displayName: 'Lucía on X', followers: 5_000 });
  });

  it('an unverified sender stays apart from the address’s owner, and a merge drops its key instead of adopting it', async () => {
    const forged = (id: string): NormalizedMention => ({ ...email(id, 'unverified:owner@example.com'), author: { externalId: 'unverified:owner@example.com', email: 'owner@example.com', verified: false } });
    await ingestMentions({ ctx: system, input: { mentions: [email('<o1@example.com>', 'owner@example.com'), forged('<f1@attacker.example>')] } });
    const owner = await customerOf('<o1@example.com>');
    const impostor = await customerOf('<f1@attacker.example>');
    expect(impostor).not.toBe(owner);

    // An agent judged the message genuine and merged it in: the mention moves, the unverified key does not.
    const result = await mergeCustomers({ ctx: org.as('agent'), input: { survivorId: owner, mergedId: impostor } });
    expect(result.moved).toMatchObject({ identities: 0, mentions: 1 });
    const keys = await database.db.select({ key: customerIdentities.key }).from(customerIdentities).where(eq(customerIdentities.organizationId, org.id));
    expect(keys.map((k) => k.key)).not.toContain('unverified:owner@example.com');

    // The next forged email from that address is a stranger again, not the owner.
    await ingestMentions({ ctx: system, input: { mentions: [forged('<f2@attacker.example>')] } });
    expect(await customerOf('<f2@attacker.example>')).not.toBe(owner);
  });

  it('split refuses to take every identity, and observers cannot split', async () => {
    const id = await customerOf('<m2@example.com>');
    const identities = await database.db.select().from(customerIdentities).where(eq(customerIdentities.customerId, id));
    await expect(splitCustomer({ ctx: org.as('agent'), input: { customerId: id, identityIds: identities.map((i) => i.id) } })).rejects.toThrow(/Keep at least one identity/);
    await expect(splitCustomer({ ctx: org.as('observer'), input: { customerId: id, identityIds: [identities[0]!.id] } })).rejects.toSatisfy((e: unknown) => e instanceof DomainError && e.code === 'FORBIDDEN');
  });
});

describe('CSV import of mentions', () => {
  it('goes through the same ingest path, all or nothing', async () => {
    const csv = 'channel,external_id,occurred_at,text,author_handle\nx,csv-1,2026-03-05T10:00:00Z,"Refund, please",csv_user\nfacebook,csv-2,2026-03-05T10:01:00Z,Great service,fb.user\n';
    expect(await importMentionsCsv({ ctx: org.as('admin'), input: { csv } })).toEqual({ accepted: 2, duplicates: 0 });
    expect(await importMentionsCsv({ ctx: org.as('admin'), input: { csv } })).toEqual({ accepted: 0, duplicates: 2 });
    await expect(importMentionsCsv({ ctx: org.as('admin'), input: { csv: 'channel,external_id,occurred_at,text\nx,csv-3,yesterday,hi\n' } })).rejects.toThrow(/row 2, occurred_at/);
    await expect(importMentionsCsv({ ctx: org.as('agent'), input: { csv } })).rejects.toSatisfy((e: unknown) => e instanceof DomainError && e.code === 'FORBIDDEN');
  });
});
