import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type DatabaseHandle, openPglite, openPostgres } from './client';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default; with DATABASE_URL set, a new database
 * created on that server and dropped by `close()`.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return openPglite(null);
  const name = `stormdesk_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openPostgres(url.toString(), { max: 4 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
