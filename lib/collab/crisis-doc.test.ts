import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addChecklistItem,
  crisisParts,
  moveChecklistItem,
  orderKeyBetween,
  proposeCompensation,
  readChecklist,
  readCompensation,
  readCustomers,
  seedCrisisDocument,
  setChecklistDone,
  updateAffectedCustomer,
  updateChecklistItem,
  upsertAffectedCustomers,
} from './crisis-doc';

/** mulberry32: a small seeded generator, so a failing seed replays exactly. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]! };
}

describe('order keys', () => {
  it('always find a key strictly between two keys, however often one bisects', () => {
    const random = prng(7);
    let keys = [orderKeyBetween(null, null)];
    for (let i = 0; i < 2000; i += 1) {
      const at = random.int(keys.length + 1);
      const key = orderKeyBetween(keys[at - 1] ?? null, keys[at] ?? null);
      if (at > 0) expect(key > keys[at - 1]!).toBe(true);
      if (at < keys.length) expect(key < keys[at]!).toBe(true);
      keys = [...keys.slice(0, at), key, ...keys.slice(at)];
    }
    expect(new Set(keys).size).toBe(keys.length);
  });
});

/** A room's document as the crisis starts: the seeded checklist, shared by every copy. */
function seededCopies(count: number): Y.Doc[] {
  const seed = seedCrisisDocument(
    ['Form the committee', 'Acknowledge publicly', 'Reply in public', 'Approve a statement', 'Refund everyone'].map((text, i) => ({
      id: `seed-${i}`,
      text,
      ownerRole: 'lead',
      dueAt: new Date(Date.UTC(2026, 0, 1, 10, i * 15)).toISOString(),
    })),
  );
  return Array.from({ length: count }, () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, seed);
    return doc;
  });
}

const snapshot = (doc: Y.Doc) =>
  JSON.stringify({
    checklist: readChecklist(doc),
    customers: readCustomers(doc),
    compensation: [...readCompensation(doc).entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
    plan: crisisParts(doc).plan.toString(),
    rawChecklistLength: crisisParts(doc).checklist.length,
  });

/**
 * Random concurrent edits on several copies of a crisis room, every update delivered to every other copy in a
 * shuffled order (as a network with independent paths would), the way Yjs tests itself.
 */
function runScenario(seed: number, copies = 4, rounds = 40) {
  const random = prng(seed);
  const docs = seededCopies(copies);
  const inbox: { to: number; update: Uint8Array }[] = [];
  docs.forEach((doc, index) =>
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'remote') return;
      docs.forEach((_, to) => to !== index && inbox.push({ to, update }));
    }),
  );
  let counter = 0;
  const keys = ['customer:a', 'customer:b', 'email:c@example.com'];
  const operations: ((doc: Y.Doc, who: number) => void)[] = [
    (doc) => {
      const items = readChecklist(doc);
      const item = random.pick(items);
      moveChecklistItem(doc, item.id, random.int(items.length));
    },
    (doc) => {
      const items = readChecklist(doc);
      // Everyone drags the same item at once: the case that duplicates items under delete + insert.
      moveChecklistItem(doc, items[0]!.id, random.int(items.length));
    },
    (doc, who) => addChecklistItem(doc, { id: `item-${who}-${(counter += 1)}`, text: `step ${counter}` }),
    (doc, who) => setChecklistDone(doc, random.pick(readChecklist(doc)).id, random.next() < 0.7 ? { memberId: `m${who}`, name: `member ${who}` } : null),
    (doc) => updateChecklistItem(doc, random.pick(readChecklist(doc)).id, { text: `edited ${random.int(1000)}` }),
    (doc) => proposeCompensation(doc, random.pick(keys), { refundCents: random.int(50_000), compensationCents: random.int(10_000) }, { currency: 'USD' }),
    (doc) =>
      upsertAffectedCustomers(
        doc,
        [{ customerKey: random.pick(keys), customerId: null, identityKeys: [], name: 'Someone', contacts: [], whatHappened: '', source: 'manual', ticketIds: [] }],
        { by: 'test', currency: 'USD', newId: () => `entry-${(counter += 1)}` },
      ),
    (doc) => {
      const customers = readCustomers(doc);
      if (customers.length > 0) updateAffectedCustomer(doc, random.pick(customers).id, { state: random.pick(['to_contact', 'contacted', 'resolved'] as const) });
    },
    (doc, who) => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(`note ${who}.${random.int(100)}`)]);
      const plan = crisisParts(doc).plan;
      plan.insert(random.int(plan.length + 1), [paragraph]);
    },
  ];
  for (let round = 0; round < rounds; round += 1) {
    // Some copies edit concurrently (before hearing each other), then part of the traffic is delivered, shuffled.
    docs.forEach((doc, who) => {
      if (random.next() < 0.6) random.pick(operations)(doc, who);
    });
    for (let i = inbox.length - 1; i > 0; i -= 1) {
      const j = random.int(i + 1);
      [inbox[i], inbox[j]] = [inbox[j]!, inbox[i]!];
    }
    const deliver = inbox.splice(0, random.int(inbox.length + 1));
    for (const { to, update } of deliver) Y.applyUpdate(docs[to]!, update, 'remote');
  }
  for (const { to, update } of inbox.splice(0).reverse()) Y.applyUpdate(docs[to]!, update, 'remote');
  return docs;
}

describe('crisis room convergence', () => {
  for (const seed of [1, 2, 3, 42, 1337, 9001]) {
    it(`every copy ends equal, with each checklist item once (seed ${seed})`, () => {
      const docs = runScenario(seed);
      const first = snapshot(docs[0]!);
      for (const doc of docs.slice(1)) expect(snapshot(doc)).toBe(first);
      const items = readChecklist(docs[0]!);
      expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
      // Reorders never added or removed an entry: the raw array holds exactly the seeded and added items.
      expect(crisisParts(docs[0]!).checklist.length).toBe(items.length);
      const customers = readCustomers(docs[0]!);
      expect(new Set(customers.map((c) => c.customerKey)).size).toBe(customers.length);
    });
  }
});
