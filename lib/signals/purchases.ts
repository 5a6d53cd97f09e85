import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditLog, customerIdentities, customers, purchases } from '@/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import { Channel } from '@/lib/channels/types';
import { IsoTimestamp } from '@/lib/channels/validate';
import { type Ctx, actorLabel, inTransaction } from '@/lib/context';
import { type CsvInput, csvRecordsOf, withoutBlankRecords } from '@/lib/csv';
import { DomainError, forbidden, invalidInput } from '@/lib/errors';
import { publish } from '@/lib/events';
import { emailKey, handleKey, phoneKey } from '@/lib/signals/identity';
import { loadListeningSettings } from '@/lib/signals/settings';

const DateOrTimestamp = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like 2026-03-05').transform((s) => new Date(`${s}T00:00:00Z`)), IsoTimestamp]);

/** One purchase to import: who bought (email, handle or phone), the order's id in the shop, amount in major units, currency, date. */
export const PurchaseRecord = z
  .object({
    customerEmail: z.string().trim().optional(),
    customerHandle: z.string().trim().optional(),
    /** The channel of the handle; X by default. */
    handleChannel: Channel.default('x'),
    customerPhone: z.string().trim().optional(),
    customerName: z.string().trim().max(300).optional(),
    externalId: z.string().trim().min(1).max(200),
    amount: z.union([z.number(), z.string().trim().regex(/^-?\d+(\.\d{1,2})?$/, 'expected an amount like 129.99')]).transform((v) => Math.round(Number(v) * 100)),
    currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code like USD'),
    purchasedAt: DateOrTimestamp,
    description: z.string().trim().max(500).default(''),
  })
  .refine((p) => p.customerEmail || p.customerHandle || p.customerPhone, { message: 'a purchase needs customer_email, customer_handle or customer_phone', path: ['customerEmail'] });
export type PurchaseRecord = z.input<typeof PurchaseRecord>;

/** Most purchases one import takes. */
export const maxPurchases = 20_000;

/** The columns of a purchases CSV, in the order the import form lists them. */
export const purchaseColumns = ['customer_email', 'customer_handle', 'handle_channel', 'customer_phone', 'customer_name', 'external_id', 'amount', 'currency', 'purchased_at', 'description'] as const;
type PurchaseColumn = (typeof purchaseColumns)[number];
const columnOfField: Record<string, PurchaseColumn> = {
  customerEmail: 'customer_email',
  customerHandle: 'customer_handle',
  handleChannel: 'handle_channel',
  customerPhone: 'customer_phone',
  customerName: 'customer_name',
  externalId: 'external_id',
  amount: 'amount',
  currency: 'currency',
  purchasedAt: 'purchased_at',
  description: 'description',
};

/**
 * Reads a purchases CSV (text, or records read from an upload) with a header row naming its columns (customer_email,
 * customer_handle, handle_channel, customer_phone, customer_name, external_id, amount, currency, purchased_at,
 * description) into records; all or nothing: any bad row rejects the file, naming the line and column of each problem.
 */
export function parsePurchasesCsv(input: CsvInput): PurchaseRecord[] {
  const [header, ...records] = csvRecordsOf(input);
  if (!header) throw invalidInput('CSV is empty: expected a header row naming the columns.');
  const columns = header.cells.map((h) => h.trim().toLowerCase());
  const known: readonly string[] = purchaseColumns;
  const unknown = columns.filter((c) => !known.includes(c));
  const missing = ['external_id', 'amount', 'currency', 'purchased_at'].filter((c) => !columns.includes(c));
  if (unknown.length || missing.length) {
    throw invalidInput(`CSV header is invalid: ${[missing.length ? `missing column(s) ${missing.join(', ')}` : '', unknown.length ? `unknown column(s) ${unknown.join(', ')}` : ''].filter(Boolean).join('; ')}. Known columns: ${known.join(', ')}.`);
  }
  const rows = withoutBlankRecords(records);
  if (rows.length > maxPurchases) throw new DomainError('TOO_LARGE', `CSV has ${rows.length.toLocaleString('en-US')} purchases; the limit is ${maxPurchases.toLocaleString('en-US')} per import. Split the file.`);
  const problems: { line: number; column: string; message: string }[] = [];
  const purchasesRead = rows.map(({ line, cells }) => {
    const get = (name: PurchaseColumn) => {
      const v = cells[columns.indexOf(name)]?.trim();
      return v ? v : undefined;
    };
    if (cells.length !== columns.length) problems.push({ line, column: '', message: `has ${cells.length} fields, the header has ${columns.length} (an unquoted comma?)` });
    const record = {
      customerEmail: get('customer_email'),
      customerHandle: get('customer_handle'),
      handleChannel: (get('handle_channel') ?? 'x') as Channel,
      customerPhone: get('customer_phone'),
      customerName: get('customer_name'),
      externalId: get('external_id') ?? '',
      amount: get('amount') ?? '',
      currency: get('currency') ?? '',
      purchasedAt: get('purchased_at') ?? '',
      description: get('description'),
    };
    const check = PurchaseRecord.safeParse(record);
    if (!check.success) for (const issue of check.error.issues) problems.push({ line, column: columnOfField[String(issue.path[0])] ?? '', message: issue.message });
    return record;
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).map((p) => `line ${p.line}${p.column ? `, ${p.column}` : ''}: ${p.message}`);
    const badRows = new Set(problems.map((p) => p.line)).size;
    throw invalidInput(`CSV rejected, nothing was stored: ${badRows.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} rows are invalid. ${shown.join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more problems` : ''}`, { problems });
  }
  return purchasesRead;
}

/**
 * Imports purchases: each is linked to the customer its email, handle or phone identifies (creating the customer
 * when nobody wrote yet), stored once per order id, and the customers' lifetime value recomputed. All or nothing.
 */
export async function importPurchases({ ctx, input }: { ctx: Ctx; input: { purchases: PurchaseRecord[] } }): Promise<{ imported: number; duplicates: number; customersUpdated: number }> {
  if (ctx.actor.type === 'member') assertCan(ctx.actor.role, 'customers.manage');
  else if (ctx.actor.type !== 'api-key' && ctx.actor.type !== 'system') throw forbidden();
  if (!Array.isArray(input.purchases)) throw invalidInput('Expected a list of purchases.');
  if (input.purchases.length > maxPurchases) throw new DomainError('TOO_LARGE', `${input.purchases.length} purchases; the limit is ${maxPurchases} per import.`);
  const { defaultCallingCode } = await loadListeningSettings(ctx.db, ctx.organizationId);
  const problems: string[] = [];
  const records = input.purchases.flatMap((raw, i) => {
    const result = PurchaseRecord.safeParse(raw);
    if (result.success) {
      const p = result.data;
      const keys = [p.customerEmail && emailKey(p.customerEmail), p.customerHandle && handleKey(p.handleChannel, p.customerHandle), p.customerPhone && phoneKey(p.customerPhone, defaultCallingCode ?? undefined)].filter((k): k is string => Boolean(k));
      if (keys.length === 0) {
        problems.push(`item ${i + 1}: the email, handle or phone is not valid`);
        return [];
      }
      return [{ ...p, keys }];
    }
    for (const issue of result.error.issues) problems.push(`item ${i + 1}, ${issue.path.join('.') || '(row)'}: ${issue.message}`);
    return [];
  });
  if (problems.length > 0) throw invalidInput(`Purchases rejected, nothing was stored: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}`, { problems });

  const result = await inTransaction(ctx, async ({ db }) => {
    const allKeys = [...new Set(records.flatMap((r) => r.keys))];
    const customerOfKey = new Map<string, string>();
    for (let i = 0; i < allKeys.length; i += 10_000) {
      const rows = await db
        .select({ key: customerIdentities.key, customerId: customerIdentities.customerId })
        .from(customerIdentities)
        .where(and(eq(customerIdentities.organizationId, ctx.organizationId), inArray(customerIdentities.key, allKeys.slice(i, i + 10_000))));
      for (const row of rows) customerOfKey.set(row.key, row.customerId);
    }
    const newCustomers: (typeof customers.$inferInsert)[] = [];
    const newIdentities: (typeof customerIdentities.$inferInsert)[] = [];
    const purchaseRows = records.map((r) => {
      let customerId = r.keys.map((k) => customerOfKey.get(k)).find(Boolean);
      if (!customerId) {
        customerId = randomUUID();
        newCustomers.push({ id: customerId, organizationId: ctx.organizationId, displayName: r.customerName ?? r.customerEmail ?? r.customerHandle ?? r.customerPhone ?? 'Customer', currency: r.currency });
      }
      for (const key of r.keys) {
        if (customerOfKey.has(key)) continue;
        customerOfKey.set(key, customerId);
        newIdentities.push({ organizationId: ctx.organizationId, customerId, key });
      }
      return { organizationId: ctx.organizationId, customerId, externalId: r.externalId, amountCents: r.amount, currency: r.currency, description: r.description, purchasedAt: r.purchasedAt };
    });
    for (let i = 0; i < newCustomers.length; i += 1_000) await db.insert(customers).values(newCustomers.slice(i, i + 1_000));
    for (let i = 0; i < newIdentities.length; i += 5_000) await db.insert(customerIdentities).values(newIdentities.slice(i, i + 5_000));
    let imported = 0;
    for (let i = 0; i < purchaseRows.length; i += 2_000) {
      const inserted = await db.insert(purchases).values(purchaseRows.slice(i, i + 2_000)).onConflictDoNothing().returning({ id: purchases.id });
      imported += inserted.length;
    }
    const touched = [...new Set(purchaseRows.map((p) => p.customerId))];
    for (let i = 0; i < touched.length; i += 5_000) {
      const ids = touched.slice(i, i + 5_000);
      await db
        .update(customers)
        .set({
          lifetimeValueCents: sql`(select coalesce(sum(${purchases.amountCents}), 0) from ${purchases} where ${purchases.customerId} = ${customers.id})`,
          currency: sql`coalesce((select ${purchases.currency} from ${purchases} where ${purchases.customerId} = ${customers.id} order by ${purchases.purchasedAt} desc limit 1), ${customers.currency})`,
        })
        .where(and(eq(customers.organizationId, ctx.organizationId), inArray(customers.id, ids)));
    }
    await db.insert(auditLog).values({ organizationId: ctx.organizationId, actor: actorLabel(ctx.actor), action: 'purchases.import', data: { imported, duplicates: records.length - imported, customers: touched.length } });
    return { imported, duplicates: records.length - imported, customersUpdated: touched.length };
  });
  publish('live.changed', { organizationId: ctx.organizationId, topic: 'queue' });
  return result;
}
