import { cpSync, readFileSync, writeFileSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseStartupError, describeDatabaseUrl, openPglite, openPostgres } from './client';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('the embedded database', () => {
  it('applies the migrations, keeps data across reopen, and refuses a second live process', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stormdesk-db-'));
    dirs.push(dir);
    const first = await openPglite(dir);
    await first.db.execute(sql`insert into organizations (name, slug) values ('Kept', 'kept')`);
    await first.close();

    const again = await openPglite(dir);
    const rows = await again.db.execute<{ slug: string }>(sql`select slug from organizations`);
    expect((rows as unknown as { rows: { slug: string }[] }).rows.map((r) => r.slug)).toEqual(['kept']);
    await again.close();

    // Our parent process is alive and is not us: its pid in the lock file must block the opener.
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'pglite.lock'), String(process.ppid));
    await expect(openPglite(dir)).rejects.toThrow(/already open in process \d+/);
    // A stale lock (a dead process) is taken over.
    writeFileSync(path.join(dir, 'pglite.lock'), '999999999');
    const recovered = await openPglite(dir);
    await recovered.close();
  });
});

describe('Postgres', () => {
  it('fails fast with one clear sentence when the server cannot be reached, without the password', async () => {
    const started = Date.now();
    const error = await openPostgres('postgres://someone:hunter2@127.0.0.1:1/stormdesk', { timeoutMs: 3_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseStartupError);
    expect((error as Error).message).toBe('Cannot reach the database at 127.0.0.1:1/stormdesk: ECONNREFUSED.');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(describeDatabaseUrl('postgres://u:secret@db.example:6543/app')).toBe('db.example:6543/app');
  });
});

describe('migrations', () => {
  /** A copy of the migrations folder that stops before `tag`, to set up the data a migration will meet. */
  function migrationsBefore(tag: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'stormdesk-migrations-'));
    dirs.push(dir);
    cpSync(path.join(process.cwd(), 'db', 'migrations'), dir, { recursive: true });
    const journalFile = path.join(dir, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
    const stop = journal.entries.findIndex((e) => e.tag === tag);
    expect(stop).toBeGreaterThan(0);
    writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, stop) }));
    return dir;
  }

  it('0008: phone connections made before the setting keep trusting caller ids; the simulator’s and new ones do not', async () => {
    const pglite = new PGlite();
    const db = drizzle({ client: pglite });
    await migrate(db, { migrationsFolder: migrationsBefore('0008_phone_trust_caller_id') });
    await db.execute(sql`insert into organizations (name, slug) values ('Before', 'before')`);
    await db.execute(sql`
      insert into channel_connections (organization_id, channel, name, webhook_key)
      select id, c.channel, c.name, c.key from organizations, (values ('phone', 'Front desk PBX', 'key-pbx-0001'), ('phone', 'Simulator (drills)', 'key-sim-0001'), ('email', 'care@', 'key-mail-0001')) as c(channel, name, key)`);
    await migrate(db, { migrationsFolder: path.join(process.cwd(), 'db', 'migrations') });
    await db.execute(sql`insert into channel_connections (organization_id, channel, name, webhook_key) select id, 'phone', 'New PBX', 'key-pbx-0002' from organizations`);
    const rows = await db.execute<{ name: string; trust_caller_id: boolean }>(sql`select name, trust_caller_id from channel_connections order by webhook_key`);
    expect(rows.rows).toEqual([
      { name: 'care@', trust_caller_id: false },
      { name: 'Front desk PBX', trust_caller_id: true },
      { name: 'New PBX', trust_caller_id: false },
      { name: 'Simulator (drills)', trust_caller_id: false },
    ]);
    await pglite.close();
  });
});
