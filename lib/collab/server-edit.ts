import * as Y from 'yjs';
import type { Db } from '@/db/client';
import './crisis-room';
import { projectDocument } from './documents';
import { liveRooms } from './live-rooms';
import { createDbPersistence } from './persistence';
import { SERVER_ORIGIN } from './room-server';

/**
 * Changes a shared document on the server. Through the process's room server when one runs (connected members see
 * the change at once, and edits to one document are applied one after another); otherwise on a copy loaded from the
 * database, storing only the difference (with its SQL projection). Resolves once the change is stored.
 */
export async function changeDocument<T>(db: Db, docName: string, organizationId: string, edit: (doc: Y.Doc) => T): Promise<T> {
  const rooms = liveRooms();
  if (rooms) return rooms.change(docName, organizationId, edit);
  // Without a room server, edits to one document still run one after another in this process.
  const previous = queues.get(docName) ?? Promise.resolve();
  const run = previous.then(() => changeStoredDocument(db, docName, organizationId, edit));
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(docName, settled);
  void settled.then(() => {
    if (queues.get(docName) === settled) queues.delete(docName);
  });
  return run;
}

const queues = new Map<string, Promise<void>>();

async function changeStoredDocument<T>(db: Db, docName: string, organizationId: string, edit: (doc: Y.Doc) => T): Promise<T> {
  const persistence = createDbPersistence(db, { project: projectDocument });
  const doc = new Y.Doc();
  try {
    const updates = await persistence.load(docName);
    if (updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(updates));
    const before = Y.encodeStateVector(doc);
    let changed = false;
    doc.on('update', () => {
      changed = true;
    });
    const result = doc.transact(() => edit(doc), SERVER_ORIGIN);
    if (changed) await persistence.store(docName, organizationId, Y.encodeStateAsUpdate(doc, before), doc);
    return result;
  } finally {
    doc.destroy();
  }
}
