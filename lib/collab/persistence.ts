import { and, asc, eq, lte } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '@/db/client';
import { yjsUpdates } from '@/db/schema';
import type { RoomPersistence } from './room-server';

/**
 * Mirrors a document into SQL inside the transaction that stores its update (the crisis checklist, customers and
 * compensation). It may return a callback to run once that transaction has committed (live-page notifications).
 */
export type DocumentProjector = (tx: Db, docName: string, organizationId: string, doc: Y.Doc) => Promise<(() => void) | void>;

/**
 * Stores Yjs updates in Postgres (or PGlite); on load, more than `compactAfter` rows are compacted into one. With a
 * projector, every stored update is mirrored into SQL in the same transaction; a failing projection is rolled back to
 * its savepoint and logged, never costing the update itself.
 */
export function createDbPersistence(
  db: Db,
  { compactAfter = 200, project, log = (message: string) => console.warn(message) }: { compactAfter?: number; project?: DocumentProjector; log?: (message: string) => void } = {},
): RoomPersistence {
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
    async store(docName, organizationId, update, doc) {
      if (!project) {
        await db.insert(yjsUpdates).values({ docName, organizationId, update });
        return;
      }
      const afterCommit = await db.transaction(async (tx) => {
        await tx.insert(yjsUpdates).values({ docName, organizationId, update });
        try {
          return await tx.transaction((savepoint) => project(savepoint as unknown as Db, docName, organizationId, doc));
        } catch (error) {
          log(`room ${docName}: SQL projection failed (${(error as Error).message}); the update is stored`);
          return undefined;
        }
      });
      afterCommit?.();
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
