import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { addChecklistItem, crisisDocumentName, readChecklist } from '@/lib/collab/crisis-doc';
import { connectClient, sessionCookie } from './rooms';
import { type StormdeskProcess, freePort, prepareDataDir, startStormdesk } from './stormdesk-process';
import { waitFor } from './wait';

const secret = 'crash-test-secret-crash-test-secret-0123';
const dataDir = mkdtempSync(path.join(tmpdir(), 'stormdesk-crash-'));
let prepared: Awaited<ReturnType<typeof prepareDataDir>>;
let server: StormdeskProcess | null = null;

let port: number;

beforeAll(async () => {
  prepared = await prepareDataDir(dataDir, 1);
  port = await freePort();
}, 120_000);
afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const added = (doc: Y.Doc, prefix: string) => readChecklist(doc).filter((item) => item.text.startsWith(prefix)).map((item) => item.text);

describe('a crisis room across a crash (SIGKILL) of the real server', () => {
  it('keeps everything flushed before the kill, and connected clients resync what was not', async () => {
    const doc = crisisDocumentName(prepared.crisisIds[0]!);
    server = await startStormdesk({ dataDir, authSecret: secret, port });
    const join = async (role: 'lead' | 'agent' | 'observer') => connectClient(server!.url, doc, { cookie: await sessionCookie(prepared.members[role], secret), origin: server!.origin });

    // 1. Edits the server has flushed survive a kill, with no client left to bring them back.
    const first = await join('lead');
    await waitFor(() => first.provider.synced, { message: 'first sync' });
    for (let i = 0; i < 20; i += 1) addChecklistItem(first.doc, { id: `flushed-${i}`, text: `flushed ${i}` });
    await waitFor(async () => (await server!.health()).unflushedRooms === 0 && (await server!.health()).connections === 1, { message: 'the flush' });
    first.destroy();
    expect(await server.stop('SIGKILL')).toBeNull();

    server = await startStormdesk({ dataDir, authSecret: secret, port });
    const fresh = await join('observer');
    await waitFor(() => fresh.provider.synced, { message: 'sync after the first restart' });
    expect(added(fresh.doc, 'flushed')).toHaveLength(20);
    fresh.destroy();

    // 2. Kill in the middle of a burst of edits; the editor stays connected and resyncs on its own after the restart.
    const writer = await join('agent');
    await waitFor(() => writer.provider.synced, { message: 'writer sync' });
    let written = 0;
    const burst = setInterval(() => {
      addChecklistItem(writer.doc, { id: `burst-${written}`, text: `burst ${written}` });
      written += 1;
    }, 2);
    await waitFor(() => written >= 200, { message: 'a burst of edits' });
    await server.stop('SIGKILL');
    // A few more while the server is down: they must arrive too.
    await waitFor(() => written >= 260, { message: 'edits during the outage' });
    clearInterval(burst);

    server = await startStormdesk({ dataDir, authSecret: secret, port });
    await waitFor(() => writer.provider.wsconnected && writer.provider.synced, { timeoutMs: 30_000, message: 'the writer to reconnect by itself' });
    const checker = await join('observer');
    await waitFor(() => checker.provider.synced && added(checker.doc, 'burst').length === written, { timeoutMs: 15_000, message: `all ${written} burst edits at the server` });
    expect(added(checker.doc, 'flushed')).toHaveLength(20);
    expect(new Set(readChecklist(checker.doc).map((i) => i.id)).size).toBe(readChecklist(checker.doc).length);
    writer.destroy();
    checker.destroy();

    // 3. And what the resync brought is stored: a clean restart with no client shows it all.
    await waitFor(async () => (await server!.health()).unflushedRooms === 0, { message: 'the final flush' });
    await server.stop('SIGKILL');
    server = await startStormdesk({ dataDir, authSecret: secret, port });
    const last = await join('observer');
    await waitFor(() => last.provider.synced, { message: 'final sync' });
    expect(added(last.doc, 'burst')).toHaveLength(written);
    last.destroy();
    await server.stop();
    server = null;
  }, 300_000);
});
