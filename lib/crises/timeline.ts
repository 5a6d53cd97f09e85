import { asc, and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { crisisEvents } from '@/db/schema';
import { type Ctx, actorLabel } from '@/lib/context';

/** Appends one event to a crisis timeline. Call it inside the transaction of the change it records (`entity.verb`). */
export async function appendCrisisEvent(
  ctx: Ctx,
  crisisId: string,
  event: { kind: string; summary: string; data?: Record<string, unknown>; at?: Date },
): Promise<void> {
  await ctx.db.insert(crisisEvents).values({
    organizationId: ctx.organizationId,
    crisisId,
    actor: actorLabel(ctx.actor),
    kind: event.kind,
    summary: event.summary,
    data: event.data ?? {},
    ...(event.at ? { at: event.at } : {}),
  });
}

/** A crisis timeline, oldest first. */
export function listCrisisEvents(db: Db, organizationId: string, crisisId: string) {
  return db
    .select()
    .from(crisisEvents)
    .where(and(eq(crisisEvents.organizationId, organizationId), eq(crisisEvents.crisisId, crisisId)))
    .orderBy(asc(crisisEvents.id));
}
