import * as Y from 'yjs';
import type { Role } from '@/db/schema';

/** The document name of a crisis room. */
export const crisisDocumentName = (crisisId: string) => `crisis:${crisisId}`;

/**
 * The crisis room document's shape (DESIGN.md): `plan` (XML fragment bound to the editor), `checklist` (array of
 * maps), `customers` (array of maps), `compensation` (map customer key → map), `statements` (array of maps).
 */
export function crisisParts(doc: Y.Doc) {
  return {
    plan: doc.getXmlFragment('plan'),
    checklist: doc.getArray<Y.Map<unknown>>('checklist'),
    customers: doc.getArray<Y.Map<unknown>>('customers'),
    compensation: doc.getMap<Y.Map<unknown>>('compensation'),
    statements: doc.getArray<Y.Map<unknown>>('statements'),
  };
}

export interface SeedItem {
  id: string;
  text: string;
  ownerRole: Role;
  dueAt: string;
}

/** The first update of a new crisis room: the checklist from its protocol, ordered by an order key (never by position). */
export function seedCrisisDocument(items: SeedItem[]): Uint8Array {
  const doc = new Y.Doc();
  const { checklist } = crisisParts(doc);
  doc.transact(() => {
    items.forEach((item, index) => {
      const entry = new Y.Map<unknown>();
      entry.set('id', item.id);
      entry.set('text', item.text);
      entry.set('ownerRole', item.ownerRole);
      entry.set('dueAt', item.dueAt);
      entry.set('order', (index + 1) * 1024);
      entry.set('doneBy', null);
      entry.set('doneAt', null);
      checklist.push([entry]);
    });
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
