import { and, asc, eq, lte } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '@/db/client';
import { yjsUpdates } from '@/db/schema';
import type { RoomPersistence } from './room-server';

/** Stores Yjs updates in Postgres (or PGlite); on load, more than `compactAfter` rows are compacted into one. */
export function createDbPersistence(db: Db, { compactAfter = 200 } = {}): RoomPersistence {
  return {
    async load(docName) {
      const rows = await db
        .select({ id: yjsUpdates.id, organizationId: yjsUpdates.organizationId, update: yjsUpdates.update })
        .from(yjsUpdates)
        .where(eq(yjsUpdates.docName, docName))
        .orderBy(asc(yjsUpdates.id));
      const updates = rows.map((row) => row.update);
      const last = rows.at(-1);
      if (!last || rows.length <= compactAfter) return updates;
      const merged = Y.mergeUpdates(updates);
      // Rows written after our read (id > last.id) stay; the compacted row replaces exactly what we read.
      await db.transaction(async (tx) => {
        await tx.insert(yjsUpdates).values({ docName, organizationId: last.organizationId, update: merged });
        await tx.delete(yjsUpdates).where(and(eq(yjsUpdates.docName, docName), lte(yjsUpdates.id, last.id)));
      });
      return [merged];
    },
    async store(docName, organizationId, update) {
      await db.insert(yjsUpdates).values({ docName, organizationId, update });
    },
  };
}

/** Rebuilds a document from storage, for tests, exports and projections that run outside a room. */
export async function loadDocument(persistence: RoomPersistence, docName: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const updates = await persistence.load(docName);
  if (updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(updates));
  return doc;
}
