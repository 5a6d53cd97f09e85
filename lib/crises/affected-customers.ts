import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { crises, customerIdentities, customers, tickets } from '@/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import { claimedAddressOf } from '@/lib/channels/types';
import { type AffectedCustomerCandidate, type Contact, crisisDocumentName, upsertAffectedCustomers } from '@/lib/collab/crisis-doc';
import { changeDocument } from '@/lib/collab/server-edit';
import type { Ctx } from '@/lib/context';
import { type CsvInput, csvRecordsOf, withoutBlankRecords } from '@/lib/csv';
import { DomainError, conflict, invalidInput, notFound } from '@/lib/errors';
import { emailKey, handleKey, inCallingCode, phoneKey } from '@/lib/signals/identity';
import { loadListeningSettings } from '@/lib/signals/settings';
import { parseInput } from '@/lib/validation';

/*
 * Affected customers (tests cite these rules).
 * [AC1] customers enter the room through the server, which resolves every contact to one identity: the customer's id
 *       when any of their handles, emails or phones is known, else their first normalized contact.
 * [AC2] adding someone already in the room (same key, or any shared identity) merges into their entry: two people
 *       adding the same customer at once from different channels give one entry and one compensation.
 * [AC3] a resolved crisis takes no more customers; a CSV with a bad line stores nothing and names the line.
 */

export type AddResult = { added: number; merged: number };

function editor(ctx: Ctx): string {
  if (ctx.actor.type === 'member') {
    assertCan(ctx.actor.role, 'crisis.edit');
    return ctx.actor.name;
  }
  return ctx.actor.type === 'system' ? 'Stormdesk' : 'API';
}

async function openCrisisOf(ctx: Ctx, crisisId: string) {
  const [crisis] = await ctx.db
    .select({ id: crises.id, status: crises.status, currency: crises.currency })
    .from(crises)
    .where(and(eq(crises.organizationId, ctx.organizationId), eq(crises.id, crisisId)));
  if (!crisis) throw notFound('No such crisis.');
  if (crisis.status === 'resolved') throw conflict('This crisis is resolved: its room is read-only.');
  return crisis;
}

/**
 * A contact shown in the room, from a normalized identity key (`x:@name`, `email:a@b.c`, `phone:+1…`). An unverified
 * sender's key (`unverified:phone:+1…`) is the email or phone it claimed, marked so.
 */
export function contactOfKey(key: string): Contact | null {
  const claimed = claimedAddressOf(key);
  if (claimed) return 'phone' in claimed ? { channel: 'phone', value: claimed.phone, unverified: true } : { channel: 'email', value: claimed.email, unverified: true };
  const colon = key.indexOf(':');
  const channel = key.slice(0, colon);
  const value = key.slice(colon + 1);
  if (colon < 0 || value.startsWith('id:')) return null;
  return { channel, value };
}

/** The customers (after merges) that own any of these identity keys, with all their keys. */
async function customersByKeys(ctx: Ctx, keys: string[]) {
  if (keys.length === 0) return new Map<string, { customerId: string; name: string; keys: string[] }>();
  const owners = await ctx.db
    .select({ key: customerIdentities.key, customerId: customerIdentities.customerId })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.organizationId, ctx.organizationId), inArray(customerIdentities.key, keys)));
  const resolved = await resolveCustomers(ctx, [...new Set(owners.map((o) => o.customerId))]);
  const byKey = new Map<string, { customerId: string; name: string; keys: string[] }>();
  for (const owner of owners) {
    const customer = resolved.get(owner.customerId);
    if (customer) byKey.set(owner.key, customer);
  }
  return byKey;
}

/** Customers by id, following merges to the surviving customer, each with every identity key they own. */
async function resolveCustomers(ctx: Ctx, ids: string[]) {
  const result = new Map<string, { customerId: string; name: string; keys: string[] }>();
  if (ids.length === 0) return result;
  const rows = await ctx.db
    .select({ id: customers.id, name: customers.displayName, mergedIntoId: customers.mergedIntoId })
    .from(customers)
    .where(and(eq(customers.organizationId, ctx.organizationId), inArray(customers.id, ids)));
  const survivors = new Map(rows.map((row) => [row.id, row]));
  const targets = rows.map((row) => row.mergedIntoId).filter((id): id is string => !!id && !survivors.has(id));
  if (targets.length > 0) {
    const merged = await ctx.db
      .select({ id: customers.id, name: customers.displayName, mergedIntoId: customers.mergedIntoId })
      .from(customers)
      .where(and(eq(customers.organizationId, ctx.organizationId), inArray(customers.id, targets)));
    for (const row of merged) survivors.set(row.id, row);
  }
  const finalIds = [...new Set(rows.map((row) => row.mergedIntoId ?? row.id))];
  const identities = await ctx.db
    .select({ customerId: customerIdentities.customerId, key: customerIdentities.key })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.organizationId, ctx.organizationId), inArray(customerIdentities.customerId, finalIds)));
  for (const row of rows) {
    const target = survivors.get(row.mergedIntoId ?? row.id) ?? row;
    result.set(row.id, { customerId: target.id, name: target.name, keys: identities.filter((i) => i.customerId === target.id).map((i) => i.key) });
  }
  return result;
}

async function addCandidates(ctx: Ctx, crisisId: string, currency: string, by: string, candidates: AffectedCustomerCandidate[]): Promise<AddResult> {
  if (candidates.length === 0) return { added: 0, merged: 0 };
  // One room, one writer at a time: the room server applies these edits in order, so a concurrent add of the same
  // person (by any of their identities) finds the entry this one made and merges into it ([AC2]).
  const result = await changeDocument(ctx.db, crisisDocumentName(crisisId), ctx.organizationId, (doc) =>
    upsertAffectedCustomers(doc, candidates, { by, currency, newId: randomUUID }),
  );
  return { added: result.added, merged: result.merged };
}

export const AddAffectedCustomersFromTicketsInput = z.object({
  crisisId: z.string().uuid(),
  ticketIds: z.array(z.string().uuid()).min(1, 'Choose at least one ticket.').max(1000),
});
export type AddAffectedCustomersFromTicketsInput = z.input<typeof AddAffectedCustomersFromTicketsInput>;

/**
 * Adds the customers of queue tickets to a crisis room (one click on a ticket, or a selection): one entry per person,
 * with every contact the tickets know and what the tickets say happened. Tickets not yet linked to a crisis are linked
 * to this one.
 */
export async function addAffectedCustomersFromTickets({ ctx, input }: { ctx: Ctx; input: AddAffectedCustomersFromTicketsInput }): Promise<AddResult> {
  const by = editor(ctx);
  const data = parseInput(AddAffectedCustomersFromTicketsInput, input);
  const crisis = await openCrisisOf(ctx, data.crisisId);
  const rows = await ctx.db
    .select({ id: tickets.id, customerId: tickets.customerId, subject: tickets.subject, channel: tickets.channel })
    .from(tickets)
    .where(and(eq(tickets.organizationId, ctx.organizationId), inArray(tickets.id, data.ticketIds)));
  if (rows.length !== new Set(data.ticketIds).size) throw notFound('Some of these tickets do not exist in your organization.');
  const people = await resolveCustomers(ctx, [...new Set(rows.map((row) => row.customerId))]);
  const byCustomer = new Map<string, AffectedCustomerCandidate>();
  for (const ticket of rows) {
    const person = people.get(ticket.customerId);
    if (!person) continue;
    const existing = byCustomer.get(person.customerId);
    if (existing) {
      existing.ticketIds.push(ticket.id);
      existing.whatHappened = `${existing.whatHappened}; ${ticket.subject}`.slice(0, 1000);
      continue;
    }
    byCustomer.set(person.customerId, {
      customerKey: `customer:${person.customerId}`,
      customerId: person.customerId,
      identityKeys: person.keys,
      name: person.name,
      contacts: person.keys.map(contactOfKey).filter((c): c is Contact => c !== null),
      whatHappened: ticket.subject,
      source: 'ticket',
      ticketIds: [ticket.id],
    });
  }
  await ctx.db
    .update(tickets)
    .set({ crisisId: crisis.id })
    .where(and(eq(tickets.organizationId, ctx.organizationId), inArray(tickets.id, data.ticketIds), isNull(tickets.crisisId)));
  return addCandidates(ctx, crisis.id, crisis.currency, by, [...byCustomer.values()]);
}

export const AffectedCustomerByHand = z
  .object({
    name: z.string().trim().min(1, 'Give the customer’s name.').max(200),
    email: z.string().trim().max(254).optional(),
    phone: z.string().trim().max(40).optional(),
    x: z.string().trim().max(60).optional(),
    instagram: z.string().trim().max(60).optional(),
    facebook: z.string().trim().max(60).optional(),
    whatHappened: z.string().trim().max(1000).default(''),
  })
  .transform((c, context) => {
    const contacts: { key: string; contact: Contact }[] = [];
    const add = (label: string, raw: string | undefined, key: string | undefined, contact: (k: string) => Contact | null) => {
      if (!raw) return;
      if (!key) {
        context.addIssue({ code: 'custom', message: `${label} “${raw}” is not valid.` });
        return;
      }
      const shown = contact(key);
      if (shown) contacts.push({ key, contact: shown });
    };
    add('Email', c.email, c.email ? emailKey(c.email) : undefined, contactOfKey);
    add('Phone', c.phone, c.phone ? phoneKey(c.phone) : undefined, contactOfKey);
    add('X handle', c.x, c.x ? handleKey('x', c.x) : undefined, contactOfKey);
    add('Instagram handle', c.instagram, c.instagram ? handleKey('instagram', c.instagram) : undefined, contactOfKey);
    add('Facebook handle', c.facebook, c.facebook ? handleKey('facebook', c.facebook) : undefined, contactOfKey);
    if (contacts.length === 0 && !context.issues?.length) context.addIssue({ code: 'custom', message: `Give at least one way to reach ${c.name}: an email, a phone (+country code) or a handle.` });
    return { name: c.name, whatHappened: c.whatHappened, contacts };
  });
export type AffectedCustomerByHand = z.input<typeof AffectedCustomerByHand>;

export const AddAffectedCustomersInput = z.object({
  crisisId: z.string().uuid(),
  customers: z.array(AffectedCustomerByHand).min(1).max(5000),
  source: z.enum(['manual', 'csv']).default('manual'),
});
export type AddAffectedCustomersInput = z.input<typeof AddAffectedCustomersInput>;

/** Adds customers typed in by hand or imported, resolving their contacts to known customers ([AC1], [AC2]). */
export async function addAffectedCustomers({ ctx, input }: { ctx: Ctx; input: AddAffectedCustomersInput }): Promise<AddResult> {
  const by = editor(ctx);
  const { defaultCallingCode } = await loadListeningSettings(ctx.db, ctx.organizationId);
  const customers = input.customers?.map((c) => (typeof c?.phone === 'string' ? { ...c, phone: inCallingCode(c.phone, defaultCallingCode) } : c));
  const data = parseInput(AddAffectedCustomersInput, { ...input, customers });
  const crisis = await openCrisisOf(ctx, data.crisisId);
  const known = await customersByKeys(ctx, [...new Set(data.customers.flatMap((c) => c.contacts.map((x) => x.key)))]);
  const candidates = data.customers.map((c): AffectedCustomerCandidate => {
    const owner = c.contacts.map((x) => known.get(x.key)).find(Boolean);
    const keys = c.contacts.map((x) => x.key);
    return {
      customerKey: owner ? `customer:${owner.customerId}` : keys[0]!,
      customerId: owner?.customerId ?? null,
      identityKeys: [...new Set([...keys, ...(owner?.keys ?? [])])],
      name: c.name,
      contacts: c.contacts.map((x) => x.contact),
      whatHappened: c.whatHappened,
      source: data.source,
      ticketIds: [],
    };
  });
  return addCandidates(ctx, crisis.id, crisis.currency, by, candidates);
}

const csvColumns: Record<string, keyof AffectedCustomerByHand> = {
  name: 'name',
  email: 'email',
  phone: 'phone',
  x: 'x',
  twitter: 'x',
  instagram: 'instagram',
  facebook: 'facebook',
  what_happened: 'whatHappened',
  'what happened': 'whatHappened',
  note: 'whatHappened',
};

export const ImportAffectedCustomersInput = z.object({
  crisisId: z.string().uuid(),
  /** The CSV text, or its records as read from an upload stream. */
  csv: z.custom<CsvInput>((v) => typeof v === 'string' || Array.isArray(v), 'expected CSV text'),
});
export type ImportAffectedCustomersInput = z.input<typeof ImportAffectedCustomersInput>;

/** Most customers one import adds (one room update). */
export const maxImportedCustomers = 5_000;

/**
 * Imports affected customers from CSV with a header row (name, email, phone, x, instagram, facebook, what_happened).
 * All or nothing: a bad line stores nothing and the message names it ([AC3]).
 */
export async function importAffectedCustomersCsv({ ctx, input }: { ctx: Ctx; input: ImportAffectedCustomersInput }): Promise<AddResult> {
  editor(ctx);
  const data = parseInput(ImportAffectedCustomersInput, input);
  const [header, ...records] = csvRecordsOf(data.csv);
  if (!header) throw invalidInput('The CSV is empty.');
  const headings = header.cells.map((h) => h.trim().toLowerCase());
  const columns = headings.map((h) => csvColumns[h]);
  if (!columns.includes('name')) throw invalidInput('The CSV needs a header row with a “name” column (and email, phone, x, instagram, facebook, what_happened).');
  const lines = withoutBlankRecords(records);
  if (lines.length === 0) throw invalidInput('The CSV has a header but no customers.');
  if (lines.length > maxImportedCustomers) throw new DomainError('TOO_LARGE', `The CSV has ${lines.length.toLocaleString('en-US')} customers; the limit is ${maxImportedCustomers.toLocaleString('en-US')} per import. Split the file.`);
  const { defaultCallingCode } = await loadListeningSettings(ctx.db, ctx.organizationId);
  const problems: string[] = [];
  const people: AffectedCustomerByHand[] = lines.map(({ line, cells }) => {
    const person: Record<string, string> = {};
    columns.forEach((column, i) => {
      const value = cells[i]?.trim();
      if (column && value) person[column] = column === 'phone' ? inCallingCode(value, defaultCallingCode) : value;
    });
    const check = AffectedCustomerByHand.safeParse(person);
    if (!check.success) {
      // Name the column as the file spells it, where the problem belongs to one.
      const columnOf = (field: unknown) => headings[columns.indexOf(field as keyof AffectedCustomerByHand)];
      problems.push(`line ${line}: ${check.error.issues.map((issue) => (columnOf(issue.path[0]) ? `${columnOf(issue.path[0])}: ${issue.message}` : issue.message)).join('; ')}`);
    }
    return person as AffectedCustomerByHand;
  });
  if (problems.length > 0) throw invalidInput(`Nothing was imported. ${problems.slice(0, 5).join(' — ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`);
  return addAffectedCustomers({ ctx, input: { crisisId: data.crisisId, customers: people, source: 'csv' } });
}
