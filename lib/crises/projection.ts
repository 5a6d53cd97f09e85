import { and, eq, notInArray, sql } from 'drizzle-orm';
import type * as Y from 'yjs';
import type { Db } from '@/db/client';
import { compensations, crisisChecklistItems, crisisCustomers, crisisEvents } from '@/db/schema';
import { readChecklist, readCompensation, readCustomers } from '@/lib/collab/crisis-doc';
import { publish } from '@/lib/events';

const projected = new WeakMap<Y.Doc, string>();

type EventRow = typeof crisisEvents.$inferInsert;

/** The crisis id of a crisis document name, or null for any other document. */
export function crisisIdOf(docName: string): string | null {
  const match = /^crisis:([0-9a-f-]{36})$/i.exec(docName);
  return match ? match[1]! : null;
}

/**
 * Mirrors a crisis room's checklist, affected customers and compensation proposals into SQL, and writes the timeline
 * events the difference implies (an item done or reopened, customers added, a customer contacted or resolved), in the
 * caller's transaction. Compensation status and approval are never taken from the document: the approval verbs own
 * them in SQL. Skips the work when the structured parts did not change since the last projection of this document.
 */
export async function projectCrisisDocument(
  tx: Db,
  docName: string,
  organizationId: string,
  doc: Y.Doc,
  { quiet = false }: { quiet?: boolean } = {},
): Promise<(() => void) | void> {
  const crisisId = crisisIdOf(docName);
  if (!crisisId) return;
  const checklist = readChecklist(doc);
  const customers = readCustomers(doc);
  const compensation = [...readCompensation(doc).values()];
  const fingerprint = JSON.stringify([checklist, customers, compensation]);
  if (projected.get(doc) === fingerprint) return;

  const events: EventRow[] = [];
  const event = (actor: string, kind: string, summary: string, data: Record<string, unknown>) =>
    events.push({ organizationId, crisisId, actor, kind, summary, data });

  const scope = (table: typeof crisisChecklistItems | typeof crisisCustomers) => and(eq(table.organizationId, organizationId), eq(table.crisisId, crisisId));
  const before = new Map((await tx.select().from(crisisChecklistItems).where(scope(crisisChecklistItems))).map((row) => [row.itemId, row]));
  for (const item of checklist) {
    const old = before.get(item.id);
    const actor = item.doneById ? `member:${item.doneById}` : 'system:room';
    if (item.doneAt && !old?.doneAt) event(actor, 'checklist.done', `${item.doneBy ?? 'Someone'} completed “${item.text}”`, { itemId: item.id });
    if (!item.doneAt && old?.doneAt) event('system:room', 'checklist.reopen', `“${item.text}” was reopened`, { itemId: item.id });
    if (!old && before.size > 0) event('system:room', 'checklist.add', `Checklist item added: “${item.text}”`, { itemId: item.id });
  }
  await tx.delete(crisisChecklistItems).where(scope(crisisChecklistItems));
  if (checklist.length > 0) {
    await tx.insert(crisisChecklistItems).values(
      checklist.map((item) => ({
        crisisId,
        organizationId,
        itemId: item.id,
        text: item.text,
        ownerRole: item.ownerRole,
        dueAt: item.dueAt ? new Date(item.dueAt) : null,
        doneBy: item.doneBy,
        doneAt: item.doneAt ? new Date(item.doneAt) : null,
        orderKey: item.order,
      })),
    );
  }

  const customersBefore = new Map((await tx.select().from(crisisCustomers).where(scope(crisisCustomers))).map((row) => [row.entryId, row]));
  const added = customers.filter((c) => !customersBefore.has(c.id));
  if (added.length > 0) {
    const names = added.slice(0, 5).map((c) => c.name).join(', ');
    const by = [...new Set(added.map((c) => c.addedBy).filter(Boolean))].join(', ') || 'Someone';
    event('system:room', 'customers.add', `${by} added ${added.length} affected customer${added.length === 1 ? '' : 's'}: ${names}${added.length > 5 ? '…' : ''}`, {
      entryIds: added.map((c) => c.id),
    });
  }
  for (const customer of customers) {
    const old = customersBefore.get(customer.id);
    if (old && old.state !== customer.state && customer.state !== 'to_contact') {
      event('system:room', 'customer.state', `${customer.name}: ${customer.state === 'contacted' ? 'contacted' : 'resolved'}`, { entryId: customer.id, state: customer.state });
    }
  }
  await tx.delete(crisisCustomers).where(scope(crisisCustomers));
  if (customers.length > 0) {
    await tx.insert(crisisCustomers).values(
      customers.map((c) => ({
        crisisId,
        organizationId,
        entryId: c.id,
        customerId: c.customerId,
        customerKey: c.customerKey,
        name: c.name,
        contacts: c.contacts,
        whatHappened: c.whatHappened,
        state: c.state,
      })),
    );
  }

  const keys = compensation.map((c) => c.customerKey);
  // Proposals that left the document go; approved and paid ones stay (the money decision is on record).
  await tx
    .delete(compensations)
    .where(
      and(
        eq(compensations.organizationId, organizationId),
        eq(compensations.crisisId, crisisId),
        eq(compensations.status, 'proposed'),
        keys.length > 0 ? notInArray(compensations.customerKey, keys) : undefined,
      ),
    );
  if (compensation.length > 0) {
    await tx
      .insert(compensations)
      .values(
        compensation.map((c) => ({
          organizationId,
          crisisId,
          customerKey: c.customerKey,
          refundCents: Math.round(c.refundCents),
          compensationCents: Math.round(c.compensationCents),
          compensationType: c.compensationType,
          currency: c.currency,
        })),
      )
      .onConflictDoUpdate({
        target: [compensations.crisisId, compensations.customerKey],
        // Approved and paid amounts are frozen: the document cannot move them (the room's guard refuses it too).
        set: {
          refundCents: sql`case when ${compensations.status} = 'proposed' then excluded.refund_cents else ${compensations.refundCents} end`,
          compensationCents: sql`case when ${compensations.status} = 'proposed' then excluded.compensation_cents else ${compensations.compensationCents} end`,
          compensationType: sql`case when ${compensations.status} = 'proposed' then excluded.compensation_type else ${compensations.compensationType} end`,
          currency: sql`case when ${compensations.status} = 'proposed' then excluded.currency else ${compensations.currency} end`,
          updatedAt: sql`now()`,
        },
        setWhere: eq(compensations.organizationId, organizationId),
      });
  }

  if (!quiet && events.length > 0) await tx.insert(crisisEvents).values(events);
  return () => {
    projected.set(doc, fingerprint);
    if (events.length > 0) publish('live.changed', { organizationId, topic: `crisis:${crisisId}` });
  };
}
