import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { DatabaseHandle } from '@/db/client';
import { crises } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import { crisisDocumentName, crisisParts } from '@/lib/collab/crisis-doc';
import { createDbPersistence, loadDocument } from '@/lib/collab/persistence';
import { DomainError } from '@/lib/errors';
import { type TestOrganization, createTestOrganization } from '@/test/fixtures';
import { openCrisis } from './open';
import { defaultProtocol, seedDefaultProtocols } from './protocols';
import { listCrisisEvents } from './timeline';

let database: DatabaseHandle;
let org: TestOrganization;

beforeAll(async () => {
  database = await createTestDatabase();
  org = await createTestOrganization(database.db, 'crises');
  await seedDefaultProtocols(database.db, org.id);
});
afterAll(() => database.close());

describe('openCrisis', () => {
  it('opens a room seeded from the protocol, with its timeline event', async () => {
    const { crisis, created } = await openCrisis({ ctx: org.as('lead'), input: { title: 'Lost bags at JFK', topic: '#LostLuggage' } });
    expect(created).toBe(true);
    expect(crisis).toMatchObject({ status: 'open', topicKey: 'topic:#lostluggage', openedBy: org.members.lead.name });
    const doc = await loadDocument(createDbPersistence(database.db), crisisDocumentName(crisis.id));
    const items = crisisParts(doc).checklist.toArray().map((item) => (item as Y.Map<unknown>).get('text'));
    expect(items).toEqual(defaultProtocol.items.map((item) => item.text));
    const events = await listCrisisEvents(database.db, org.id, crisis.id);
    expect(events.map((e) => e.kind)).toEqual(['crisis.open']);
  });

  it('one storm, one room: concurrent opens on the same topic attach to a single crisis', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => openCrisis({ ctx: { ...org.as('agent'), actor: { type: 'system', reason: 'detector' } }, input: { title: 'Tablet storm', topic: 'ipad' } })),
    );
    expect(new Set(results.map((r) => r.crisis.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await database.db.select().from(crises).where(eq(crises.topicKey, 'topic:ipad'));
    expect(rows).toHaveLength(1);
  });

  it('observers cannot open a crisis', async () => {
    await expect(openCrisis({ ctx: org.as('observer'), input: { title: 'Nope' } })).rejects.toSatisfy((e: unknown) => e instanceof DomainError && e.code === 'FORBIDDEN');
  });
});
