import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditLog, protocolTemplates, roles } from '@/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import { type Ctx, actorLabel, inTransaction } from '@/lib/context';
import { forbidden, notFound } from '@/lib/errors';
import { parseInput } from '@/lib/validation';

export const ProtocolItemInput = z.object({
  text: z.string().trim().min(3, 'Each checklist item needs a text of at least 3 characters.').max(300),
  ownerRole: z.enum(roles),
  dueOffsetMinutes: z.coerce.number().int().min(0, 'A due time is after the crisis opens.').max(90 * 24 * 60),
});
export type ProtocolItemInput = z.input<typeof ProtocolItemInput>;

export const SaveProtocolInput = z.object({
  /** Absent: a new template. */
  id: z.string().uuid().optional(),
  name: z.string().trim().min(3, 'Give the protocol a name of at least 3 characters.').max(120),
  description: z.string().trim().max(1000).default(''),
  /** Terms or hashtags this protocol fits; none makes it the default protocol. */
  matchTopics: z
    .array(z.string().trim().toLowerCase().min(1).max(100))
    .max(50)
    .default([])
    .transform((topics) => [...new Set(topics)]),
  items: z.array(ProtocolItemInput).min(1, 'A protocol has at least one checklist item.').max(100),
});
export type SaveProtocolInput = z.input<typeof SaveProtocolInput>;

export type ProtocolTemplateRow = typeof protocolTemplates.$inferSelect;

function assertAdmin(ctx: Ctx): void {
  if (ctx.actor.type !== 'member') throw forbidden();
  assertCan(ctx.actor.role, 'protocols.manage');
}

/** Creates or edits a protocol template of the organization (admins). Rooms already open keep the checklist they were seeded with. */
export async function saveProtocol({ ctx, input }: { ctx: Ctx; input: SaveProtocolInput }): Promise<ProtocolTemplateRow> {
  assertAdmin(ctx);
  const data = parseInput(SaveProtocolInput, input);
  const values = { name: data.name, description: data.description, matchTopics: data.matchTopics, items: data.items };
  return inTransaction(ctx, async (tx) => {
    let row: ProtocolTemplateRow | undefined;
    if (data.id) {
      [row] = await tx.db
        .update(protocolTemplates)
        .set({ ...values, updatedAt: sql`now()` })
        .where(and(eq(protocolTemplates.organizationId, ctx.organizationId), eq(protocolTemplates.id, data.id)))
        .returning();
      if (!row) throw notFound('This protocol does not exist in your organization.');
    } else {
      [row] = await tx.db.insert(protocolTemplates).values({ organizationId: ctx.organizationId, ...values }).returning();
    }
    await tx.db.insert(auditLog).values({ organizationId: ctx.organizationId, actor: actorLabel(ctx.actor), action: data.id ? 'protocol.update' : 'protocol.create', subject: row!.id });
    return row!;
  });
}

/** Deletes a protocol template (admins); the organization keeps at least one. */
export async function deleteProtocol({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<void> {
  assertAdmin(ctx);
  const { id } = parseInput(z.object({ id: z.string().uuid() }), input);
  await inTransaction(ctx, async (tx) => {
    const all = await tx.db.select({ id: protocolTemplates.id }).from(protocolTemplates).where(eq(protocolTemplates.organizationId, ctx.organizationId));
    if (!all.some((p) => p.id === id)) throw notFound('This protocol does not exist in your organization.');
    if (all.length === 1) throw forbidden('Keep at least one protocol: new rooms are seeded from it.');
    await tx.db.delete(protocolTemplates).where(and(eq(protocolTemplates.organizationId, ctx.organizationId), eq(protocolTemplates.id, id)));
    await tx.db.insert(auditLog).values({ organizationId: ctx.organizationId, actor: actorLabel(ctx.actor), action: 'protocol.delete', subject: id });
  });
}
