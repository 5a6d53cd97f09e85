import { writeFileSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
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
