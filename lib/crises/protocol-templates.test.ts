import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { listProtocols } from '@/db/queries/protocols';
import { createTestDatabase } from '@/db/testing';
import { DomainError } from '@/lib/errors';
import { type TestOrganization, createTestOrganization } from '@/test/fixtures';
import { openCrisis } from './open';
import { deleteProtocol, saveProtocol } from './protocol-templates';
import { defaultProtocol, protocolForTopic } from './protocols';

let database: DatabaseHandle;
let org: TestOrganization;

beforeAll(async () => {
  database = await createTestDatabase();
  org = await createTestOrganization(database.db, 'protocols');
});
afterAll(() => database.close());

const rejectsWith = (code: DomainError['code']) => (e: unknown) => e instanceof DomainError && e.code === code;

describe('protocol templates', () => {
  it('every organization starts with the default protocol: committee, public acknowledgement, team, one message, refunds, personal contact', async () => {
    const [only] = await listProtocols(database.db, org.id);
    expect(only!.name).toBe(defaultProtocol.name);
    const texts = only!.items.map((i) => `${i.text} (${i.dueOffsetMinutes})`).join(' | ');
    expect(texts).toMatch(/Form the crisis committee.*\(15\)/);
    expect(texts).toMatch(/Acknowledge publicly.*\(60\)/);
    expect(texts).toMatch(/dedicated team.*\(1440\)/);
    expect(texts).toMatch(/one clear statement.*all channels/);
    expect(texts).toMatch(/Refund every affected customer \(1440\)/);
    expect(texts).toMatch(/Contact every affected customer personally/);
  });

  it('an admin adds a protocol for lost luggage; a room on that hashtag is seeded from it', async () => {
    const saved = await saveProtocol({
      ctx: org.as('admin'),
      input: {
        name: 'Lost luggage',
        matchTopics: ['#LostLuggage', 'lost bag'],
        items: [
          { text: 'Trace every bag with the ground handler', ownerRole: 'agent', dueOffsetMinutes: 30 },
          { text: 'Offer a voucher for essentials', ownerRole: 'lead', dueOffsetMinutes: '120' as unknown as number },
        ],
      },
    });
    expect(saved.matchTopics).toEqual(['#lostluggage', 'lost bag']);
    expect((await protocolForTopic(database.db, org.id, '#lostluggage'))!.id).toBe(saved.id);
    expect((await protocolForTopic(database.db, org.id, 'wifi'))!.name).toBe(defaultProtocol.name);
    const { crisis } = await openCrisis({ ctx: org.as('lead'), input: { title: 'Bags lost at JFK', topic: '#lostluggage' } });
    expect(crisis.protocolTemplateId).toBe(saved.id);
    const edited = await saveProtocol({ ctx: org.as('admin'), input: { id: saved.id, name: 'Lost luggage (v2)', items: [{ text: 'Trace every bag', ownerRole: 'agent', dueOffsetMinutes: 20 }] } });
    expect(edited).toMatchObject({ id: saved.id, name: 'Lost luggage (v2)', matchTopics: [] });
  });

  it('refuses non-admins, empty checklists, bad roles and deleting the last protocol', async () => {
    const item = { text: 'Do something', ownerRole: 'lead' as const, dueOffsetMinutes: 10 };
    await expect(saveProtocol({ ctx: org.as('lead'), input: { name: 'Mine', items: [item] } })).rejects.toSatisfy(rejectsWith('FORBIDDEN'));
    await expect(saveProtocol({ ctx: org.as('admin'), input: { name: 'Empty', items: [] } })).rejects.toSatisfy(rejectsWith('INVALID_INPUT'));
    await expect(saveProtocol({ ctx: org.as('admin'), input: { name: 'Bad role', items: [{ ...item, ownerRole: 'ceo' as never }] } })).rejects.toSatisfy(rejectsWith('INVALID_INPUT'));
    const other = await createTestOrganization(database.db, 'protocols-other');
    const [theirs] = await listProtocols(database.db, other.id);
    await expect(saveProtocol({ ctx: org.as('admin'), input: { id: theirs!.id, name: 'Hijack', items: [item] } })).rejects.toSatisfy(rejectsWith('NOT_FOUND'));
    await expect(deleteProtocol({ ctx: other.as('admin'), input: { id: theirs!.id } })).rejects.toSatisfy(rejectsWith('FORBIDDEN'));
  });
});
