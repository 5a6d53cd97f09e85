import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

export type Schema = typeof schema;
/** A drizzle database or transaction; both drivers (postgres.js and PGlite) fit it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type DatabaseHandle =
  | { kind: 'postgres'; db: Db; sql: postgres.Sql; close: () => Promise<void> }
  | { kind: 'pglite'; db: Db; pglite: PGlite; close: () => Promise<void> };

/** Fails start-up with one clear sentence, never a stack trace. */
export class DatabaseStartupError extends Error {
  override name = 'DatabaseStartupError';
}

const migrationsFolder = path.join(process.cwd(), 'db', 'migrations');
// Any fixed 64-bit key: every instance that starts at once waits on the same lock.
const MIGRATION_LOCK_KEY = 727_274_181;

/** Where the URL points, without its password, for messages. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'an unparsable DATABASE_URL';
  }
}

type SocketOptions = { host: string[]; port: number[]; path: string | false };

/**
 * Opens the connection's socket with Nagle's algorithm off (TCP_NODELAY), as libpq does; postgres.js leaves it on.
 * With it on, a small message sent behind a large one (the end of a COPY's data, then the next statement) waited for
 * the server's delayed acknowledgement: 40 ms per COPY. Hosts are tried in order, as postgres.js does with several.
 */
async function connectedSocket({ host, port, path }: SocketOptions): Promise<net.Socket> {
  const attempt = (options: net.NetConnectOpts) =>
    new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect(options);
      socket.once('connect', () => resolve(socket)).once('error', reject);
    });
  if (path) return attempt({ path });
  let failure: unknown;
  for (const [i, h] of host.entries()) {
    try {
      return await attempt({ host: h, port: port[i] ?? port[0] ?? 5432, noDelay: true });
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

/** Connects to Postgres, proving the server answers within `timeoutMs`, and applies migrations under an advisory lock. */
export async function openPostgres(url: string, { timeoutMs = 8_000, max = 10 } = {}): Promise<DatabaseHandle> {
  const where = describeDatabaseUrl(url);
  let sql: postgres.Sql;
  try {
    sql = postgres(url, { max, connect_timeout: Math.ceil(timeoutMs / 1000), onnotice: () => undefined, ...({ socket: connectedSocket } as object) });
  } catch (error) {
    throw new DatabaseStartupError(`DATABASE_URL is not a valid Postgres URL (${(error as Error).message}).`);
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`select 1`,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => undefined);
    const reason = (error as { code?: string }).code ?? (error as Error).message;
    throw new DatabaseStartupError(`Cannot reach the database at ${where}: ${reason}.`);
  } finally {
    clearTimeout(timer);
  }
  // One connection of its own: the advisory lock belongs to a session, and drizzle's migrate() takes none.
  const migrator = postgres(url, { max: 1, connect_timeout: Math.ceil(timeoutMs / 1000), onnotice: () => undefined });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzlePostgres({ client: migrator }), { migrationsFolder });
  } finally {
    await migrator.end({ timeout: 5 });
  }
  const db = drizzlePostgres({ client: sql, schema }) as unknown as Db;
  return { kind: 'postgres', db, sql, close: () => sql.end({ timeout: 5 }) };
}

/**
 * Opens the embedded database under `dataDir` (or in memory when `dataDir` is null) and applies migrations.
 * PGlite must have one opener: a pid lock file next to the data refuses a second live process.
 */
export async function openPglite(dataDir: string | null): Promise<DatabaseHandle> {
  let releaseLock = () => undefined as void;
  let pglite: PGlite;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    releaseLock = takePidLock(path.join(dataDir, 'pglite.lock'));
    pglite = new PGlite(path.join(dataDir, 'pglite'));
  } else {
    pglite = new PGlite();
  }
  await pglite.waitReady;
  const db = drizzlePglite({ client: pglite, schema }) as unknown as Db;
  await migratePglite(drizzlePglite({ client: pglite }), { migrationsFolder });
  return {
    kind: 'pglite',
    db,
    pglite,
    close: async () => {
      await pglite.close();
      releaseLock();
    },
  };
}

function takePidLock(lockFile: string): () => void {
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new DatabaseStartupError(
        `The embedded database in ${path.dirname(lockFile)} is already open in process ${pid}; stop that process first (only one process may open it).`,
      );
    }
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Opens Postgres when `databaseUrl` is set, the embedded PGlite under `dataDir` otherwise. */
export function openDatabase({ databaseUrl, dataDir }: { databaseUrl?: string; dataDir: string }): Promise<DatabaseHandle> {
  return databaseUrl ? openPostgres(databaseUrl) : openPglite(path.join(dataDir, 'db'));
}
