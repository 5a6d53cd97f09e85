import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DatabaseHandle } from '@/db/client';
import { crisisChecklistItems, crisisEvents } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import { changeCrisisStatus } from '@/lib/crises/lifecycle';
import { openCrisis } from '@/lib/crises/open';
import { seedDefaultProtocols } from '@/lib/crises/protocols';
import { type TestOrganization, createTestOrganization } from '@/test/fixtures';
import { connectClient, sessionCookie, startRoomServer } from '@/test/rooms';
import { waitFor } from '@/test/wait';
import { crisisDocumentName, crisisParts, readChecklist, readCompensation, setChecklistDone, upsertAffectedCustomers } from './crisis-doc';
import { createDbPersistence, loadDocument } from './persistence';
import { CLOSE_EDIT_REFUSED } from './room-server';

let database: DatabaseHandle;
let org: TestOrganization;
let other: TestOrganization;
let server: Awaited<ReturnType<typeof startRoomServer>>;

beforeAll(async () => {
  database = await createTestDatabase();
  org = await createTestOrganization(database.db, 'room-auth');
  other = await createTestOrganization(database.db, 'room-auth-other');
  await seedDefaultProtocols(database.db, org.id);
  server = await startRoomServer(database.db);
});
afterAll(async () => {
  await server.stop();
  await database.close();
});

async function newCrisis(title: string) {
  const { crisis } = await openCrisis({ ctx: org.as('lead'), input: { title } });
  return { crisis, doc: crisisDocumentName(crisis.id) };
}

async function join(role: keyof TestOrganization['members'], doc: string, from = org) {
  const client = connectClient(server.url, doc, { cookie: await sessionCookie(from.members[role]), origin: server.origin });
  return client;
}

const planText = (doc: Y.Doc) => crisisParts(doc).plan.toString();
function writePlan(doc: Y.Doc, text: string) {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  crisisParts(doc).plan.insert(crisisParts(doc).plan.length, [paragraph]);
}

describe('crisis room rights', () => {
  it('lets a lead and an agent edit the checklist, and an executive only the plan', async () => {
    const { doc } = await newCrisis('Rights storm');
    const lead = await join('lead', doc);
    const executive = await join('executive', doc);
    await waitFor(() => lead.provider.synced && executive.provider.synced);
    expect(readChecklist(lead.doc).length).toBeGreaterThan(3);

    writePlan(executive.doc, 'Executive: one message everywhere');
    await waitFor(() => planText(lead.doc).includes('one message everywhere'), { message: 'the executive’s plan edit to reach the lead' });

    const first = readChecklist(executive.doc)[0]!;
    setChecklistDone(executive.doc, first.id, { memberId: org.members.executive.memberId, name: 'exec' });
    await waitFor(() => executive.closes.includes(CLOSE_EDIT_REFUSED), { message: 'the executive’s checklist edit to be refused' });
    await server.rooms.flushAll();
    expect(readChecklist(lead.doc)[0]!.doneAt).toBeNull();
    lead.destroy();
    executive.destroy();
  });

  it('drops an observer’s edits and refuses members of another organization', async () => {
    const { doc } = await newCrisis('Observer storm');
    const observer = await join('observer', doc);
    const lead = await join('lead', doc);
    const outsider = await join('admin', doc, other);
    await waitFor(() => observer.provider.synced && lead.provider.synced && outsider.closes.includes(4403));
    writePlan(observer.doc, 'OBSERVER');
    writePlan(lead.doc, 'lead writes');
    await waitFor(() => planText(observer.doc).includes('lead writes'));
    await server.rooms.flushAll();
    expect(planText(lead.doc)).not.toContain('OBSERVER');
    expect(crisisParts(outsider.doc).checklist.length).toBe(0);
    for (const c of [observer, lead, outsider]) c.destroy();
  });

  it('refuses a client that approves a compensation, adds a customer itself, or marks an item done in someone else’s name', async () => {
    const { doc } = await newCrisis('Forgery storm');
    await server.rooms.change(doc, org.id, (d) =>
      upsertAffectedCustomers(
        d,
        [{ customerKey: 'email:jane@example.com', customerId: null, identityKeys: [], name: 'Jane', contacts: [], whatHappened: '', source: 'manual', ticketIds: [] }],
        { by: 'test', currency: 'USD', newId: () => 'entry-jane' },
      ),
    );
    const attempts: [string, (d: Y.Doc) => void][] = [
      ['approve', (d) => (crisisParts(d).compensation.get('email:jane@example.com') as Y.Map<unknown>).set('status', 'approved')],
      [
        'add customer',
        (d) => {
          const entry = new Y.Map<unknown>();
          entry.set('id', 'forged');
          entry.set('customerKey', 'email:x@example.com');
          crisisParts(d).customers.push([entry]);
        },
      ],
      ['done as someone else', (d) => setChecklistDone(d, readChecklist(d)[0]!.id, { memberId: org.members.lead.memberId, name: 'Lead' })],
    ];
    for (const [what, forge] of attempts) {
      const agent = await join('agent', doc);
      await waitFor(() => agent.provider.synced);
      forge(agent.doc);
      await waitFor(() => agent.closes.includes(CLOSE_EDIT_REFUSED), { message: `the forged “${what}” to be refused` });
      agent.destroy();
    }
    // The agent may still propose amounts and tick items in their own name.
    const agent = await join('agent', doc);
    await waitFor(() => agent.provider.synced);
    (crisisParts(agent.doc).compensation.get('email:jane@example.com') as Y.Map<unknown>).set('refundCents', 12000);
    setChecklistDone(agent.doc, readChecklist(agent.doc)[0]!.id, { memberId: org.members.agent.memberId, name: 'Agent' });
    const stored = await waitFor(
      async () => {
        const copy = await loadDocument(createDbPersistence(database.db), doc);
        return readChecklist(copy)[0]!.doneAt && readCompensation(copy).get('email:jane@example.com')?.refundCents === 12000 ? copy : null;
      },
      { message: 'the agent’s proposal and tick to be stored' },
    );
    expect(readCompensation(stored).get('email:jane@example.com')).toMatchObject({ refundCents: 12000, status: 'proposed' });
    expect(readChecklist(stored)[0]!.doneById).toBe(org.members.agent.memberId);
    expect(agent.closes).not.toContain(CLOSE_EDIT_REFUSED);
    agent.destroy();
  });

  it('mirrors the checklist into SQL on flush and writes “item done” on the timeline in the same transaction', async () => {
    const { crisis, doc } = await newCrisis('Projection storm');
    const agent = await join('agent', doc);
    await waitFor(() => agent.provider.synced);
    const item = readChecklist(agent.doc)[1]!;
    setChecklistDone(agent.doc, item.id, { memberId: org.members.agent.memberId, name: org.members.agent.name });
    await waitFor(async () => {
      const [row] = await database.db
        .select()
        .from(crisisChecklistItems)
        .where(and(eq(crisisChecklistItems.crisisId, crisis.id), eq(crisisChecklistItems.itemId, item.id)));
      return row?.doneBy === org.members.agent.name;
    }, { message: 'the projection' });
    const events = await database.db.select().from(crisisEvents).where(eq(crisisEvents.crisisId, crisis.id));
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['crisis.open', 'room.join', 'checklist.done']));
    expect(events.find((e) => e.kind === 'checklist.done')).toMatchObject({ actor: `member:${org.members.agent.memberId}` });
    agent.destroy();
  });

  it('[CL2] makes a resolved room read-only for everyone, connected peers included', async () => {
    const { crisis, doc } = await newCrisis('Resolved storm');
    const lead = await join('lead', doc);
    await waitFor(() => lead.provider.synced);
    await changeCrisisStatus({ ctx: org.as('lead'), input: { crisisId: crisis.id, from: 'open', to: 'resolved' } });
    await waitFor(() => lead.closes.includes(4000), { message: 'the server to reconnect the lead' });
    await waitFor(() => lead.provider.wsconnected && lead.provider.synced, { message: 'the reconnect' });
    writePlan(lead.doc, 'after resolution');
    const watcher = await join('admin', doc);
    await waitFor(() => watcher.provider.synced);
    await server.rooms.flushAll();
    expect(planText(watcher.doc)).not.toContain('after resolution');
    lead.destroy();
    watcher.destroy();
  });
});
