import { randomUUID } from 'node:crypto';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { z } from 'zod';
import { alerts, crises, severities, tickets, yjsUpdates } from '@/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import { crisisDocumentName, seedCrisisDocument } from '@/lib/collab/crisis-doc';
import { type Ctx, inTransaction } from '@/lib/context';
import { DomainError } from '@/lib/errors';
import { publish } from '@/lib/events';
import { parseInput } from '@/lib/validation';
import { projectCrisisDocument } from './projection';
import { protocolForTopic } from './protocols';
import { appendCrisisEvent } from './timeline';

export const OpenCrisisInput = z.object({
  title: z.string().trim().min(3, 'Give the crisis a title of at least 3 characters.').max(200),
  /** The storm's topic (a term, a hashtag, or `all`); an open crisis on the same topic is attached to instead. */
  topic: z.string().trim().toLowerCase().min(1).max(100).optional(),
  severity: z.enum(severities).default('high'),
  alertId: z.string().uuid().optional(),
  ticketIds: z.array(z.string().uuid()).max(1000).default([]),
});
export type OpenCrisisInput = z.input<typeof OpenCrisisInput>;

export type CrisisRow = typeof crises.$inferSelect;

/** Key under which one storm has one room; a crisis opened by hand without a topic is a room of its own. */
export const topicKeyOf = (topic: string | undefined) => (topic ? `topic:${topic}` : `manual:${randomUUID()}`);

/**
 * Opens a crisis, or attaches to the open crisis on the same topic (one storm, one room — even when several series
 * fire at once or two instances race: a partial unique index decides). A new room is seeded from the matching
 * protocol; the triggering alert and tickets are linked; the timeline event is written in the same transaction.
 */
export async function openCrisis({ ctx, input }: { ctx: Ctx; input: OpenCrisisInput }): Promise<{ crisis: CrisisRow; created: boolean }> {
  if (ctx.actor.type === 'member') assertCan(ctx.actor.role, 'crisis.open');
  const data = parseInput(OpenCrisisInput, input);
  const topicKey = topicKeyOf(data.topic);
  const opener = ctx.actor.type === 'member' ? ctx.actor.name : ctx.actor.type === 'system' ? 'Stormdesk' : 'API';
  const result = await inTransaction(ctx, async (tx) => {
    const { db } = tx;
    const protocol = await protocolForTopic(db, ctx.organizationId, data.topic ?? '');
    const [inserted] = await db
      .insert(crises)
      .values({
        organizationId: ctx.organizationId,
        title: data.title,
        topicKey,
        severity: data.severity,
        trigger: data.alertId ? 'alert' : 'manual',
        triggerAlertId: data.alertId,
        protocolTemplateId: protocol?.id,
        openedBy: opener,
      })
      .onConflictDoNothing({ target: [crises.organizationId, crises.topicKey], where: sql`status <> 'resolved'` })
      .returning();
    let crisis = inserted;
    if (!crisis) {
      [crisis] = await db
        .select()
        .from(crises)
        .where(and(eq(crises.organizationId, ctx.organizationId), eq(crises.topicKey, topicKey), ne(crises.status, 'resolved')));
      if (!crisis) throw new DomainError('CONFLICT', 'The crisis on this topic changed meanwhile; try again.');
    } else {
      const openedAt = crisis.openedAt.getTime();
      const seed = seedCrisisDocument(
        (protocol?.items ?? []).map((item) => ({
          id: randomUUID(),
          text: item.text,
          ownerRole: item.ownerRole,
          dueAt: new Date(openedAt + item.dueOffsetMinutes * 60_000).toISOString(),
        })),
      );
      const docName = crisisDocumentName(crisis.id);
      await db.insert(yjsUpdates).values({ organizationId: ctx.organizationId, docName, update: seed });
      // The SQL mirror starts with the seeded checklist, in this same transaction.
      const seeded = new Y.Doc();
      Y.applyUpdate(seeded, seed);
      await projectCrisisDocument(db, docName, ctx.organizationId, seeded, { quiet: true });
      seeded.destroy();
      await appendCrisisEvent(tx, crisis.id, {
        kind: 'crisis.open',
        summary: `${opener} opened the crisis${protocol ? ` with the protocol “${protocol.name}”` : ''}`,
        data: { topic: data.topic ?? null, severity: data.severity, alertId: data.alertId ?? null, protocolId: protocol?.id ?? null },
      });
    }
    if (data.alertId) {
      await db
        .update(alerts)
        .set({ crisisId: crisis.id, status: inserted ? 'opened_crisis' : 'attached' })
        .where(and(eq(alerts.organizationId, ctx.organizationId), eq(alerts.id, data.alertId)));
      if (!inserted) await appendCrisisEvent(tx, crisis.id, { kind: 'alert.attach', summary: 'Another alert on the same storm was attached', data: { alertId: data.alertId } });
    }
    if (data.ticketIds.length > 0) {
      await db
        .update(tickets)
        .set({ crisisId: crisis.id })
        .where(and(eq(tickets.organizationId, ctx.organizationId), inArray(tickets.id, data.ticketIds)));
    }
    return { crisis, created: !!inserted };
  });
  publish('live.changed', { organizationId: ctx.organizationId, topic: 'crises' });
  publish('live.changed', { organizationId: ctx.organizationId, topic: `crisis:${result.crisis.id}` });
  return result;
}
