import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { protocolTemplates } from '@/db/schema';

export type ProtocolRow = typeof protocolTemplates.$inferSelect;

/** An organization's protocol templates, by name. */
export function listProtocols(db: Db, organizationId: string): Promise<ProtocolRow[]> {
  return db.select().from(protocolTemplates).where(eq(protocolTemplates.organizationId, organizationId)).orderBy(asc(protocolTemplates.name));
}

/** One protocol template of an organization. */
export async function findProtocol(db: Db, organizationId: string, id: string): Promise<ProtocolRow | null> {
  const [row] = await db.select().from(protocolTemplates).where(and(eq(protocolTemplates.organizationId, organizationId), eq(protocolTemplates.id, id)));
  return row ?? null;
}
