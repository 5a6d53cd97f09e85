import type { Db } from '@/db/client';

/** What server.ts opens once per process and the app's routes, actions and pages share. */
export interface Runtime {
  db: Db;
  databaseKind: 'postgres' | 'pglite';
}

const KEY = Symbol.for('stormdesk.runtime');
type Holder = { [KEY]?: Runtime };

/** Installs the process's runtime; called once by server.ts after the database is open. */
export function setRuntime(runtime: Runtime): void {
  (globalThis as Holder)[KEY] = runtime;
}

/** The process's runtime. Shared through globalThis: Next.js bundles its own copy of lib/, and PGlite must be opened once. */
export function runtime(): Runtime {
  const current = (globalThis as Holder)[KEY];
  if (!current) throw new Error('Stormdesk was not started through server.ts: the database is not open in this process.');
  return current;
}
