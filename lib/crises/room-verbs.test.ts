import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { compensationTotals } from '@/db/queries/crises';
import { compensations, crises, crisisCustomers, crisisEvents, customerIdentities, customers, tickets } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import { crisisDocumentName, proposeCompensation, readCompensation, readCustomers } from '@/lib/collab/crisis-doc';
import { liveRooms } from '@/lib/collab/live-rooms';
import { DomainError } from '@/lib/errors';
import { type TestOrganization, createTestOrganization } from '@/test/fixtures';
import { startRoomServer } from '@/test/rooms';
import { waitFor } from '@/test/wait';
import { parseCsv } from '@/lib/csv';
import { updateListeningSettings } from '@/lib/signals/settings';
import { addAffectedCustomers, addAffectedCustomersFromTickets, importAffectedCustomersCsv } from './affected-customers';
import { approveCompensation, markCompensationPaid } from './compensation';
import { toCsv } from './csv';
import { changeCrisisStatus } from './lifecycle';
import { openCrisis } from './open';
import { seedDefaultProtocols } from './protocols';
import { listCrisisEvents } from './timeline';

let database: DatabaseHandle;
let org: TestOrganization;
let server: Awaited<ReturnType<typeof startRoomServer>>;

beforeAll(async () => {
  database = await createTestDatabase();
  org = await createTestOrganization(database.db, 'room-verbs');
  await seedDefaultProtocols(database.db, org.id);
  server = await startRoomServer(database.db);
});
afterAll(async () => {
  await server.stop();
  await database.close();
});

const code = (code: DomainError['code']) => (e: unknown) => e instanceof DomainError && e.code === code;
const open = async (title: string) => (await openCrisis({ ctx: org.as('lead'), input: { title } })).crisis;
const roomDoc = (crisisId: string) => liveRooms()!.change(crisisDocumentName(crisisId), org.id, (doc) => ({ customers: readCustomers(doc), compensation: readCompensation(doc) }));

/** A known customer with identities on several channels, as ingest would have stored them. */
async function knownCustomer(name: string, keys: string[]) {
  const [customer] = await database.db.insert(customers).values({ organizationId: org.id, displayName: name }).returning();
  await database.db.insert(customerIdentities).values(keys.map((key) => ({ organizationId: org.id, customerId: customer!.id, key })));
  return customer!;
}

describe('crisis lifecycle', () => {
  it('[CL1][CL4] moves open → monitoring → open → resolved, recording who and when on the timeline', async () => {
    const crisis = await open('Lifecycle storm');
    await changeCrisisStatus({ ctx: org.as('executive'), input: { crisisId: crisis.id, from: 'open', to: 'monitoring' } });
    await changeCrisisStatus({ ctx: org.as('lead'), input: { crisisId: crisis.id, from: 'monitoring', to: 'open', note: 'flaring up on Instagram' } });
    const resolved = await changeCrisisStatus({ ctx: org.as('lead'), input: { crisisId: crisis.id, from: 'open', to: 'resolved' } });
    expect(resolved).toMatchObject({ status: 'resolved', statusChangedBy: org.members.lead.name });
    expect(resolved.resolvedAt).toBeInstanceOf(Date);
    const events = (await listCrisisEvents(database.db, org.id, crisis.id)).filter((e) => e.kind === 'crisis.status');
    expect(events.map((e) => e.data)).toEqual([
      { from: 'open', to: 'monitoring', note: null },
      { from: 'monitoring', to: 'open', note: 'flaring up on Instagram' },
      { from: 'open', to: 'resolved', note: null },
    ]);
    expect(events[0]!.actor).toBe(`member:${org.members.executive.memberId}`);
  });

  it('[CL2][CL3][CL5] refuses leaving resolved, agents and observers, and a move from a stale status', async () => {
    const crisis = await open('Refusals storm');
    await expect(changeCrisisStatus({ ctx: org.as('agent'), input: { crisisId: crisis.id, from: 'open', to: 'monitoring' } })).rejects.toSatisfy(code('FORBIDDEN'));
    await expect(changeCrisisStatus({ ctx: org.as('observer'), input: { crisisId: crisis.id, from: 'open', to: 'resolved' } })).rejects.toSatisfy(code('FORBIDDEN'));
    const both = await Promise.allSettled([
      changeCrisisStatus({ ctx: org.as('lead'), input: { crisisId: crisis.id, from: 'open', to: 'monitoring' } }),
      changeCrisisStatus({ ctx: org.as('executive'), input: { crisisId: crisis.id, from: 'open', to: 'resolved' } }),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((both.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toSatisfy(code('CONFLICT'));
    const [row] = await database.db.select().from(crises).where(eq(crises.id, crisis.id));
    if (row!.status !== 'resolved') await changeCrisisStatus({ ctx: org.as('lead'), input: { crisisId: crisis.id, from: row!.status, to: 'resolved' } });
    await expect(changeCrisisStatus({ ctx: org.as('lead'), input: { crisisId: crisis.id, from: 'resolved', to: 'open' } })).rejects.toSatisfy(code('INVALID_INPUT'));
    await expect(addAffectedCustomers({ ctx: org.as('lead'), input: { crisisId: crisis.id, customers: [{ name: 'Late', email: 'late@example.com' }] } })).rejects.toSatisfy(code('CONFLICT'));
  });
});

describe('affected customers', () => {
  it('[AC1][AC2] two people adding the same customer at once from different channels give one entry and one compensation', async () => {
    const crisis = await open('Identity storm');
    const jane = await knownCustomer('Jane Doe', ['x:@janedoe', 'email:jane@example.com', 'phone:+34600112233']);
    await Promise.all([
      addAffectedCustomers({ ctx: org.as('agent'), input: { crisisId: crisis.id, customers: [{ name: 'Jane (X)', x: '@JaneDoe' }] } }),
      addAffectedCustomers({ ctx: org.as('lead'), input: { crisisId: crisis.id, customers: [{ name: 'Jane (email)', email: 'JANE@example.com' }] } }),
      addAffectedCustomers({ ctx: org.as('agent'), input: { crisisId: crisis.id, customers: [{ name: 'Jane (phone)', phone: '+34 600 11 22 33' }] } }),
    ]);
    const { customers: listed, compensation } = await roomDoc(crisis.id);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ customerKey: `customer:${jane.id}`, customerId: jane.id });
    expect(listed[0]!.contacts.map((c) => c.channel).sort()).toEqual(['email', 'phone', 'x']);
    expect([...compensation.keys()]).toEqual([`customer:${jane.id}`]);
    await server.rooms.flushAll();
    const rows = await database.db.select().from(compensations).where(eq(compensations.crisisId, crisis.id));
    expect(rows).toHaveLength(1);
    const projected = await database.db.select().from(crisisCustomers).where(eq(crisisCustomers.crisisId, crisis.id));
    expect(projected).toMatchObject([{ customerKey: `customer:${jane.id}`, state: 'to_contact' }]);
  });

  it('adds customers from queue tickets, one entry per person, and links the tickets', async () => {
    const crisis = await open('Ticket storm');
    const tom = await knownCustomer('Tom Tablet', ['email:tom@example.com']);
    const ana = await knownCustomer('Ana Buyer', ['x:@anabuyer']);
    const due = new Date(Date.now() + 3600_000);
    const made = await database.db
      .insert(tickets)
      .values([
        { organizationId: org.id, customerId: tom.id, subject: 'Order cancelled', channel: 'email', slaDueAt: due },
        { organizationId: org.id, customerId: tom.id, subject: 'Still no refund', channel: 'x', slaDueAt: due },
        { organizationId: org.id, customerId: ana.id, subject: 'Tablet never shipped', channel: 'x', slaDueAt: due },
      ])
      .returning();
    const result = await addAffectedCustomersFromTickets({ ctx: org.as('agent'), input: { crisisId: crisis.id, ticketIds: made.map((t) => t.id) } });
    expect(result).toEqual({ added: 2, merged: 0 });
    const again = await addAffectedCustomersFromTickets({ ctx: org.as('agent'), input: { crisisId: crisis.id, ticketIds: [made[2]!.id] } });
    expect(again).toEqual({ added: 0, merged: 1 });
    const { customers: listed } = await roomDoc(crisis.id);
    expect(listed.find((c) => c.name === 'Tom Tablet')).toMatchObject({ source: 'ticket', whatHappened: 'Order cancelled; Still no refund' });
    const linked = await database.db.select({ crisisId: tickets.crisisId }).from(tickets).where(eq(tickets.customerId, tom.id));
    expect(linked.every((t) => t.crisisId === crisis.id)).toBe(true);
    await expect(addAffectedCustomersFromTickets({ ctx: org.as('observer'), input: { crisisId: crisis.id, ticketIds: [made[0]!.id] } })).rejects.toSatisfy(code('FORBIDDEN'));
  });

  it('shows an unverified sender’s claimed number and address as such, not as a channel named “unverified”', async () => {
    const crisis = await open('Spoofed storm');
    const caller = await knownCustomer('Claims to be Daniel', ['unverified:phone:+13125550187']);
    const writer = await knownCustomer('Claims to be Jane', ['unverified:jane@example.com']);
    const due = new Date(Date.now() + 3600_000);
    const made = await database.db
      .insert(tickets)
      .values([
        { organizationId: org.id, customerId: caller.id, subject: 'Send my refund to a new card', channel: 'phone', slaDueAt: due },
        { organizationId: org.id, customerId: writer.id, subject: 'New bank details', channel: 'email', slaDueAt: due },
      ])
      .returning();
    await addAffectedCustomersFromTickets({ ctx: org.as('agent'), input: { crisisId: crisis.id, ticketIds: made.map((t) => t.id) } });
    const { customers: listed } = await roomDoc(crisis.id);
    expect(listed.map((c) => c.contacts)).toEqual([[{ channel: 'phone', value: '+13125550187', unverified: true }], [{ channel: 'email', value: 'jane@example.com', unverified: true }]]);
  });

  it('[AC3] imports a CSV all or nothing, naming the bad line', async () => {
    const crisis = await open('CSV storm');
    const bad = 'name,email,phone,what_happened\nAl,al@example.com,,bag lost\nBo,not-an-email,,late\n';
    await expect(importAffectedCustomersCsv({ ctx: org.as('lead'), input: { crisisId: crisis.id, csv: bad } })).rejects.toThrow(/line 3: Email “not-an-email” is not valid/);
    expect((await roomDoc(crisis.id)).customers).toHaveLength(0);
    const good = 'Name,Email,Phone,What happened\r\n"Doe, Al",al@example.com,,"bag lost, ""twice"""\r\nBo,,+14155550100,late\r\n';
    expect(await importAffectedCustomersCsv({ ctx: org.as('lead'), input: { crisisId: crisis.id, csv: good } })).toEqual({ added: 2, merged: 0 });
    expect((await roomDoc(crisis.id)).customers.map((c) => [c.name, c.whatHappened])).toEqual([
      ['Doe, Al', 'bag lost, "twice"'],
      ['Bo', 'late'],
    ]);
  });

  it('reads a national phone number in the organization’s calling code, so the import finds the customer who called', async () => {
    const crisis = await open('National numbers storm');
    const caller = await knownCustomer('Lucía Fernández', ['phone:+34611223344']);
    const csv = 'name,phone,what_happened\nLucía,611 22 33 44,bag lost\n';
    await expect(importAffectedCustomersCsv({ ctx: org.as('lead'), input: { crisisId: crisis.id, csv } })).rejects.toThrow(/line 2: Phone “611 22 33 44” is not valid/);
    await updateListeningSettings({ ctx: org.as('admin'), input: { defaultCallingCode: '34' } });
    try {
      expect(await importAffectedCustomersCsv({ ctx: org.as('lead'), input: { crisisId: crisis.id, csv } })).toEqual({ added: 1, merged: 0 });
      expect(await addAffectedCustomers({ ctx: org.as('agent'), input: { crisisId: crisis.id, customers: [{ name: 'Lucía (typed)', phone: '611223344' }] } })).toEqual({ added: 0, merged: 1 });
      expect((await roomDoc(crisis.id)).customers).toMatchObject([{ customerKey: `customer:${caller.id}`, customerId: caller.id }]);
    } finally {
      await updateListeningSettings({ ctx: org.as('admin'), input: { defaultCallingCode: null } });
    }
  });

  it('writes CSV that round-trips and never starts a cell with a formula', () => {
    const csv = toCsv([['name', 'note'], ['=HYPERLINK("x")', 'a,b "c"']]);
    expect(parseCsv(csv)).toEqual([['name', 'note'], ["'=HYPERLINK(\"x\")", 'a,b "c"']]);
  });
});

describe('compensation', () => {
  async function proposal(title: string) {
    const crisis = await open(title);
    await addAffectedCustomers({ ctx: org.as('agent'), input: { crisisId: crisis.id, customers: [{ name: 'Pat', email: `pat-${crisis.id}@example.com` }] } });
    const key = `email:pat-${crisis.id}@example.com`;
    await liveRooms()!.change(crisisDocumentName(crisis.id), org.id, (doc) => proposeCompensation(doc, key, { refundCents: 12_000, compensationCents: 5_000 }, { currency: 'USD' }));
    return { crisis, key };
  }

  it('[CO1] agents and observers cannot approve; executives and leads can', async () => {
    const { crisis, key } = await proposal('Approval roles storm');
    for (const role of ['agent', 'observer', 'admin'] as const) {
      await expect(approveCompensation({ ctx: org.as(role), input: { crisisId: crisis.id, customerKey: key } })).rejects.toSatisfy(code('FORBIDDEN'));
    }
    const row = await approveCompensation({ ctx: org.as('executive'), input: { crisisId: crisis.id, customerKey: key } });
    expect(row).toMatchObject({ status: 'approved', refundCents: 12_000, compensationCents: 5_000, approvedBy: org.members.executive.memberId });
  });

  it('[CO2][CO3][CO4] two approvers at once: one approval, recorded in SQL, timeline and room; then paid once', async () => {
    const { crisis, key } = await proposal('Approval race storm');
    const results = await Promise.allSettled([
      approveCompensation({ ctx: org.as('executive'), input: { crisisId: crisis.id, customerKey: key } }),
      approveCompensation({ ctx: org.as('lead'), input: { crisisId: crisis.id, customerKey: key } }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toSatisfy(code('CONFLICT'));
    const rows = await database.db.select().from(compensations).where(and(eq(compensations.crisisId, crisis.id), eq(compensations.customerKey, key)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'approved', refundCents: 12_000 });
    const events = await database.db.select().from(crisisEvents).where(and(eq(crisisEvents.crisisId, crisis.id), eq(crisisEvents.kind, 'compensation.approve')));
    expect(events).toHaveLength(1);
    expect(events[0]!.summary).toMatch(/approved \$120\.00 refund \+ \$50\.00 voucher for Pat/);
    expect((await roomDoc(crisis.id)).compensation.get(key)).toMatchObject({ status: 'approved', approvedBy: expect.any(String) });

    // The projection never moves an approved amount, even if the document said otherwise.
    await server.rooms.flushAll();
    expect((await database.db.select().from(compensations).where(eq(compensations.crisisId, crisis.id)))[0]).toMatchObject({ status: 'approved', refundCents: 12_000 });

    await markCompensationPaid({ ctx: org.as('lead'), input: { crisisId: crisis.id, customerKey: key } });
    await expect(markCompensationPaid({ ctx: org.as('lead'), input: { crisisId: crisis.id, customerKey: key } })).rejects.toSatisfy(code('CONFLICT'));
    const totals = await compensationTotals(database.db, org.id, crisis.id);
    expect(totals).toEqual([{ status: 'paid', currency: 'USD', customers: 1, refundCents: 12_000, compensationCents: 5_000 }]);
  });

  it('refuses to approve nothing, and an unknown customer', async () => {
    const crisis = await open('Empty approval storm');
    await addAffectedCustomers({ ctx: org.as('agent'), input: { crisisId: crisis.id, customers: [{ name: 'Zed', email: 'zed@example.com' }] } });
    await expect(approveCompensation({ ctx: org.as('lead'), input: { crisisId: crisis.id, customerKey: 'email:zed@example.com' } })).rejects.toSatisfy(code('INVALID_INPUT'));
    await expect(approveCompensation({ ctx: org.as('lead'), input: { crisisId: crisis.id, customerKey: 'email:nobody@example.com' } })).rejects.toSatisfy(code('NOT_FOUND'));
    await waitFor(async () => (await database.db.select().from(crisisCustomers).where(eq(crisisCustomers.crisisId, crisis.id))).length === 1, { message: 'the projection' });
  });
});
