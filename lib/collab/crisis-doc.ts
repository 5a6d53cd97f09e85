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

export const customerStates = ['to_contact', 'contacted', 'resolved'] as const;
export type CustomerState = (typeof customerStates)[number];
export const compensationStatuses = ['proposed', 'approved', 'paid'] as const;
export type CompensationStatus = (typeof compensationStatuses)[number];
export const compensationTypes = ['voucher', 'cash', 'miles', 'credit', 'other'] as const;

/** One protocol step in the room. */
export interface ChecklistItem {
  id: string;
  text: string;
  ownerRole: Role | null;
  ownerName: string | null;
  dueAt: string | null;
  order: string;
  doneBy: string | null;
  doneById: string | null;
  doneAt: string | null;
}

/** How to reach an affected customer. */
export interface Contact {
  channel: string;
  value: string;
  /** An address or number a sender claimed and nobody confirmed: it reaches its owner, who may not be who wrote. */
  unverified?: boolean;
}

/** One affected customer in the room; `customerKey` is their one identity (the customer id when known). */
export interface AffectedCustomer {
  id: string;
  customerKey: string;
  customerId: string | null;
  name: string;
  contacts: Contact[];
  whatHappened: string;
  state: CustomerState;
  source: 'ticket' | 'csv' | 'manual';
  ticketIds: string[];
  addedBy: string;
  addedAt: string;
}

/** The compensation of one affected customer; status and approval are written by the server only. */
export interface CompensationEntry {
  customerKey: string;
  refundCents: number;
  compensationCents: number;
  compensationType: string;
  currency: string;
  status: CompensationStatus;
  approvedBy: string | null;
  approvedById: string | null;
  approvedAt: string | null;
  paidBy: string | null;
  paidAt: string | null;
}

/** Compensation fields only the server writes (approval is a server action that checks the role). */
export const serverOnlyCompensationFields = ['status', 'approvedBy', 'approvedById', 'approvedAt', 'paidBy', 'paidAt'] as const;

// ---- order keys -------------------------------------------------------------------------------------------------
// Yjs 13 has no move: an item's place is its `order` key, a string compared byte by byte, and moving an item only
// rewrites that key. Concurrent moves of one item then settle on one key (last writer wins), never on two copies.

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
const digit = (char: string | undefined) => (char === undefined ? 0 : DIGITS.indexOf(char));

function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while ((a[n] ?? '0') === b[n]) n += 1;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const low = digit(a[0]);
  const high = b !== null ? digit(b[0]) : DIGITS.length;
  if (high - low > 1) return DIGITS[Math.round((low + high) / 2)]!;
  if (b !== null && b.length > 1) return b[0]!;
  return DIGITS[low]! + midpoint(a.slice(1), null);
}

/** An order key strictly between `before` and `after` (null: open end). Keys never end in '0', so one always exists. */
export function orderKeyBetween(before: string | null, after: string | null): string {
  if (before !== null && after !== null && before >= after) throw new Error(`order keys out of order: ${before} ≥ ${after}`);
  return midpoint(before ?? '', after);
}

const compareItems = (a: { order: string; id: string }, b: { order: string; id: string }) =>
  a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

// ---- reading ----------------------------------------------------------------------------------------------------

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** The checklist in its order (order key, then id for ties). */
export function readChecklist(doc: Y.Doc): ChecklistItem[] {
  return crisisParts(doc)
    .checklist.toArray()
    .filter((entry): entry is Y.Map<unknown> => entry instanceof Y.Map)
    .map((entry) => ({
      id: str(entry.get('id')) ?? '',
      text: str(entry.get('text')) ?? '',
      ownerRole: str(entry.get('ownerRole')) as Role | null,
      ownerName: str(entry.get('ownerName')),
      dueAt: str(entry.get('dueAt')),
      order: typeof entry.get('order') === 'number' ? String(entry.get('order')).padStart(12, '0') : (str(entry.get('order')) ?? ''),
      doneBy: str(entry.get('doneBy')),
      doneById: str(entry.get('doneById')),
      doneAt: str(entry.get('doneAt')),
    }))
    .filter((item) => item.id)
    .sort(compareItems);
}

function readContacts(value: unknown): Contact[] {
  if (!Array.isArray(value)) return [];
  return value.filter((c): c is Contact => !!c && typeof c === 'object' && typeof c.channel === 'string' && typeof c.value === 'string');
}

/** The affected customers, one per customer key (the first entry of a key wins, should two ever exist). */
export function readCustomers(doc: Y.Doc): AffectedCustomer[] {
  const seen = new Set<string>();
  const result: AffectedCustomer[] = [];
  for (const entry of crisisParts(doc).customers.toArray()) {
    if (!(entry instanceof Y.Map)) continue;
    const customerKey = str(entry.get('customerKey'));
    const id = str(entry.get('id'));
    if (!customerKey || !id || seen.has(customerKey)) continue;
    seen.add(customerKey);
    const state = str(entry.get('state'));
    const source = str(entry.get('source'));
    result.push({
      id,
      customerKey,
      customerId: str(entry.get('customerId')),
      name: str(entry.get('name')) ?? customerKey,
      contacts: readContacts(entry.get('contacts')),
      whatHappened: str(entry.get('whatHappened')) ?? '',
      state: (customerStates as readonly string[]).includes(state ?? '') ? (state as CustomerState) : 'to_contact',
      source: source === 'ticket' || source === 'csv' ? source : 'manual',
      ticketIds: Array.isArray(entry.get('ticketIds')) ? (entry.get('ticketIds') as unknown[]).filter((t): t is string => typeof t === 'string') : [],
      addedBy: str(entry.get('addedBy')) ?? '',
      addedAt: str(entry.get('addedAt')) ?? '',
    });
  }
  return result;
}

/** The compensation of every customer key that has one. */
export function readCompensation(doc: Y.Doc): Map<string, CompensationEntry> {
  const result = new Map<string, CompensationEntry>();
  crisisParts(doc).compensation.forEach((entry, customerKey) => {
    if (!(entry instanceof Y.Map)) return;
    const status = str(entry.get('status'));
    result.set(customerKey, {
      customerKey,
      refundCents: num(entry.get('refundCents')),
      compensationCents: num(entry.get('compensationCents')),
      compensationType: str(entry.get('compensationType')) ?? 'voucher',
      currency: str(entry.get('currency')) ?? 'USD',
      status: (compensationStatuses as readonly string[]).includes(status ?? '') ? (status as CompensationStatus) : 'proposed',
      approvedBy: str(entry.get('approvedBy')),
      approvedById: str(entry.get('approvedById')),
      approvedAt: str(entry.get('approvedAt')),
      paidBy: str(entry.get('paidBy')),
      paidAt: str(entry.get('paidAt')),
    });
  });
  return result;
}

// ---- edits (browser and server alike) ---------------------------------------------------------------------------

function findChecklistEntry(doc: Y.Doc, id: string): Y.Map<unknown> | undefined {
  return crisisParts(doc)
    .checklist.toArray()
    .find((entry) => entry instanceof Y.Map && entry.get('id') === id);
}

/** Adds a checklist item at the end. */
export function addChecklistItem(doc: Y.Doc, item: { id: string; text: string; ownerRole?: Role | null; ownerName?: string | null; dueAt?: string | null }): void {
  const last = readChecklist(doc).at(-1);
  const entry = new Y.Map<unknown>();
  doc.transact(() => {
    entry.set('id', item.id);
    entry.set('text', item.text);
    entry.set('ownerRole', item.ownerRole ?? null);
    entry.set('ownerName', item.ownerName ?? null);
    entry.set('dueAt', item.dueAt ?? null);
    entry.set('order', orderKeyBetween(last?.order ?? null, null));
    entry.set('doneBy', null);
    entry.set('doneById', null);
    entry.set('doneAt', null);
    crisisParts(doc).checklist.push([entry]);
  });
}

/** Changes the text, owner or due time of a checklist item. */
export function updateChecklistItem(doc: Y.Doc, id: string, patch: Partial<Pick<ChecklistItem, 'text' | 'ownerRole' | 'ownerName' | 'dueAt'>>): void {
  const entry = findChecklistEntry(doc, id);
  if (!entry) return;
  doc.transact(() => {
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) entry.set(key, value);
  });
}

/** Marks a checklist item done by a member (or not done with null). */
export function setChecklistDone(doc: Y.Doc, id: string, by: { memberId: string; name: string } | null, at = new Date()): void {
  const entry = findChecklistEntry(doc, id);
  if (!entry) return;
  doc.transact(() => {
    entry.set('doneBy', by?.name ?? null);
    entry.set('doneById', by?.memberId ?? null);
    entry.set('doneAt', by ? at.toISOString() : null);
  });
}

/** Moves a checklist item to `toIndex` of the ordered list by rewriting its order key only (never delete + insert). */
export function moveChecklistItem(doc: Y.Doc, id: string, toIndex: number): void {
  const entry = findChecklistEntry(doc, id);
  if (!entry) return;
  const others = readChecklist(doc).filter((item) => item.id !== id);
  const index = Math.max(0, Math.min(toIndex, others.length));
  const before = others[index - 1]?.order ?? null;
  // Concurrent moves may leave neighbours sharing a key; then aim past them, at the next distinct key.
  const after = others.slice(index).find((item) => before === null || item.order > before)?.order ?? null;
  entry.set('order', orderKeyBetween(before, after));
}

/** Changes what the room records about an affected customer (never their key: identities are resolved on the server). */
export function updateAffectedCustomer(doc: Y.Doc, id: string, patch: Partial<Pick<AffectedCustomer, 'name' | 'contacts' | 'whatHappened' | 'state'>>): void {
  const entry = crisisParts(doc)
    .customers.toArray()
    .find((e) => e instanceof Y.Map && e.get('id') === id);
  if (!entry) return;
  doc.transact(() => {
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) entry.set(key, value);
  });
}

/** Proposes (or changes a proposal of) a customer's compensation; approved and paid entries are frozen by the server. */
export function proposeCompensation(
  doc: Y.Doc,
  customerKey: string,
  patch: Partial<Pick<CompensationEntry, 'refundCents' | 'compensationCents' | 'compensationType' | 'currency'>>,
  defaults: { currency: string },
): void {
  const { compensation } = crisisParts(doc);
  doc.transact(() => {
    let entry = compensation.get(customerKey);
    if (!(entry instanceof Y.Map)) {
      entry = new Y.Map<unknown>();
      entry.set('refundCents', 0);
      entry.set('compensationCents', 0);
      entry.set('compensationType', 'voucher');
      entry.set('currency', defaults.currency);
      entry.set('status', 'proposed');
      compensation.set(customerKey, entry);
    }
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) entry.set(key, value);
  });
}

/** A customer about to be added to the room, with every identity key that names them. */
export interface AffectedCustomerCandidate {
  customerKey: string;
  customerId: string | null;
  identityKeys: string[];
  name: string;
  contacts: Contact[];
  whatHappened: string;
  source: AffectedCustomer['source'];
  ticketIds: string[];
}

/**
 * Adds customers to the room, or merges them into the entry that already names the same person (same key, or any
 * shared identity key), so nobody is listed — or compensated — twice. Each added customer gets a proposed
 * compensation entry under their key. Returns how many were added and merged.
 */
export function upsertAffectedCustomers(
  doc: Y.Doc,
  candidates: AffectedCustomerCandidate[],
  { by, currency, newId, at = new Date() }: { by: string; currency: string; newId: () => string; at?: Date },
): { added: number; merged: number; keys: string[] } {
  const { customers, compensation } = crisisParts(doc);
  let added = 0;
  let merged = 0;
  const keys: string[] = [];
  doc.transact(() => {
    for (const candidate of candidates) {
      const names = new Set([candidate.customerKey, ...candidate.identityKeys]);
      const existing = customers.toArray().find((entry) => {
        if (!(entry instanceof Y.Map)) return false;
        if (names.has(String(entry.get('customerKey')))) return true;
        const known = (entry.get('identityKeys') as unknown[] | undefined) ?? [];
        return known.some((key) => names.has(String(key)));
      });
      if (existing) {
        const contacts = readContacts(existing.get('contacts'));
        const fresh = candidate.contacts.filter((c) => !contacts.some((known) => known.channel === c.channel && known.value === c.value));
        if (fresh.length > 0) existing.set('contacts', [...contacts, ...fresh]);
        const ids = new Set([...((existing.get('identityKeys') as string[] | undefined) ?? []), ...names]);
        existing.set('identityKeys', [...ids]);
        const tickets = new Set([...((existing.get('ticketIds') as string[] | undefined) ?? []), ...candidate.ticketIds]);
        existing.set('ticketIds', [...tickets]);
        if (!existing.get('customerId') && candidate.customerId) existing.set('customerId', candidate.customerId);
        if (candidate.whatHappened && !existing.get('whatHappened')) existing.set('whatHappened', candidate.whatHappened);
        merged += 1;
        keys.push(String(existing.get('customerKey')));
        continue;
      }
      const entry = new Y.Map<unknown>();
      entry.set('id', newId());
      entry.set('customerKey', candidate.customerKey);
      entry.set('customerId', candidate.customerId);
      entry.set('identityKeys', [...names]);
      entry.set('name', candidate.name);
      entry.set('contacts', candidate.contacts);
      entry.set('whatHappened', candidate.whatHappened);
      entry.set('state', 'to_contact');
      entry.set('source', candidate.source);
      entry.set('ticketIds', candidate.ticketIds);
      entry.set('addedBy', by);
      entry.set('addedAt', at.toISOString());
      customers.push([entry]);
      if (!(compensation.get(candidate.customerKey) instanceof Y.Map)) {
        const proposal = new Y.Map<unknown>();
        proposal.set('refundCents', 0);
        proposal.set('compensationCents', 0);
        proposal.set('compensationType', 'voucher');
        proposal.set('currency', currency);
        proposal.set('status', 'proposed');
        compensation.set(candidate.customerKey, proposal);
      }
      added += 1;
      keys.push(candidate.customerKey);
    }
  });
  return { added, merged, keys };
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
  for (const item of items) addChecklistItem(doc, item);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
