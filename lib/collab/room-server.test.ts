import { eq } from 'drizzle-orm';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { yjsUpdates } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import { changeMemberRole } from '@/lib/orgs/members';
import { type TestOrganization, createTestOrganization } from '@/test/fixtures';
import { connectClient, sessionCookie, startRoomServer } from '@/test/rooms';
import { waitFor } from '@/test/wait';
import { notesDocumentName } from './documents';
import { createDbPersistence, loadDocument } from './persistence';

let database: DatabaseHandle;
let org: TestOrganization;
let other: TestOrganization;

beforeAll(async () => {
  database = await createTestDatabase();
  org = await createTestOrganization(database.db, 'rooms');
  other = await createTestOrganization(database.db, 'rooms-other');
});
afterAll(() => database.close());

describe('the Yjs room endpoint', () => {
  it('lets two signed-in members see each other’s edits, and the edits survive a restart', async () => {
    let server = await startRoomServer(database.db);
    const doc = notesDocumentName(org.id);
    const lead = connectClient(server.url, doc, { cookie: await sessionCookie(org.members.lead), origin: server.origin });
    const agent = connectClient(server.url, doc, { cookie: await sessionCookie(org.members.agent), origin: server.origin });
    await waitFor(() => lead.provider.synced && agent.provider.synced, { message: 'both clients synced' });
    lead.doc.getText('t').insert(0, 'from lead; ');
    agent.doc.getText('t').insert(0, 'from agent; ');
    await waitFor(() => lead.doc.getText('t').toString().includes('from agent') && agent.doc.getText('t').toString().includes('from lead'), {
      message: 'edits to cross',
    });
    expect(lead.doc.getText('t').toString()).toBe(agent.doc.getText('t').toString());
    lead.destroy();
    agent.destroy();
    await server.stop();

    server = await startRoomServer(database.db);
    const later = connectClient(server.url, doc, { cookie: await sessionCookie(org.members.observer), origin: server.origin });
    await waitFor(() => later.provider.synced, { message: 'sync after restart' });
    expect(later.doc.getText('t').toString()).toContain('from lead; ');
    expect(later.doc.getText('t').toString()).toContain('from agent; ');
    later.destroy();
    await server.stop();
  });

  it('drops an observer’s edits on the server while they still read live', async () => {
    const server = await startRoomServer(database.db);
    const doc = notesDocumentName(org.id);
    const observer = connectClient(server.url, doc, { cookie: await sessionCookie(org.members.observer), origin: server.origin });
    const lead = connectClient(server.url, doc, { cookie: await sessionCookie(org.members.lead), origin: server.origin });
    await waitFor(() => observer.provider.synced && lead.provider.synced);
    observer.doc.getText('t').insert(0, 'OBSERVER WAS HERE ');
    lead.doc.getText('t').insert(0, 'lead after observer ');
    await waitFor(() => observer.doc.getText('t').toString().includes('lead after observer'), { message: 'observer to read the lead' });
    await server.rooms.flushAll();
    expect(lead.doc.getText('t').toString()).not.toContain('OBSERVER');
    const stored = await loadDocument(createDbPersistence(database.db), doc);
    expect(stored.getText('t').toString()).toContain('lead after observer');
    expect(stored.getText('t').toString()).not.toContain('OBSERVER');
    observer.destroy();
    lead.destroy();
    await server.stop();
  });

  it('refuses a missing session (4401), another organization’s member (4403), and a foreign origin (HTTP 403)', async () => {
    const server = await startRoomServer(database.db);
    const doc = notesDocumentName(org.id);
    const anonymous = connectClient(server.url, doc, { origin: server.origin });
    const outsider = connectClient(server.url, doc, { cookie: await sessionCookie(other.members.admin), origin: server.origin });
    await waitFor(() => anonymous.closes.includes(4401) && outsider.closes.includes(4403), { message: 'both refused' });
    expect(outsider.doc.getText('t').toString()).toBe('');

    const forged = connectClient(server.url, doc, { cookie: await sessionCookie(org.members.admin, 'another-secret-another-secret-1234567'), origin: server.origin });
    await waitFor(() => forged.closes.includes(4401), { message: 'forged cookie refused' });

    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${server.url}/${doc}`, { headers: { origin: 'https://evil.example' } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(status).toBe(403);
    for (const client of [anonymous, outsider, forged]) client.destroy();
    await server.stop();
  });

  it('reconnects a member whose role changes, with the new rights', async () => {
    const server = await startRoomServer(database.db);
    const doc = notesDocumentName(org.id);
    const { member } = await import('@/lib/orgs/members').then((m) => m.addMember({ ctx: org.as('admin'), input: { email: 'demoted@rooms.example', name: 'Demoted', role: 'lead' } }));
    const client = connectClient(server.url, doc, { cookie: await sessionCookie(member), origin: server.origin });
    const watcher = connectClient(server.url, doc, { cookie: await sessionCookie(org.members.admin), origin: server.origin });
    await waitFor(() => client.provider.synced && watcher.provider.synced);
    client.doc.getText('t').insert(0, 'before-demotion ');
    await waitFor(() => watcher.doc.getText('t').toString().includes('before-demotion'));

    await changeMemberRole({ ctx: org.as('admin'), input: { memberId: member.memberId, role: 'observer' } });
    await waitFor(() => client.closes.includes(4000), { message: 'the server to close the demoted member' });
    await waitFor(() => client.provider.wsconnected && client.provider.synced, { message: 'reconnect' });
    client.doc.getText('t').insert(0, 'after-demotion ');
    watcher.doc.getText('t').insert(0, 'marker ');
    await waitFor(() => client.doc.getText('t').toString().includes('marker'));
    await server.rooms.flushAll();
    expect(watcher.doc.getText('t').toString()).not.toContain('after-demotion');
    client.destroy();
    watcher.destroy();
    await server.stop();
  });

  it('writes one merged row per flush, not one per keystroke, and compacts on load', async () => {
    const server = await startRoomServer(database.db);
    const doc = notesDocumentName(other.id);
    const admin = connectClient(server.url, doc, { cookie: await sessionCookie(other.members.admin), origin: server.origin });
    await waitFor(() => admin.provider.synced);
    const text = admin.doc.getText('t');
    for (let i = 0; i < 50; i += 1) text.insert(text.length, 'x');
    await waitFor(async () => (await loadDocument(createDbPersistence(database.db), doc)).getText('t').length === 50, { message: 'the flush' });
    const rows = await database.db.select({ id: yjsUpdates.id }).from(yjsUpdates).where(eq(yjsUpdates.docName, doc));
    expect(rows.length).toBeLessThan(10);
    admin.destroy();
    await server.stop();

    const compacting = createDbPersistence(database.db, { compactAfter: 0 });
    await compacting.load(doc);
    expect(await database.db.select({ id: yjsUpdates.id }).from(yjsUpdates).where(eq(yjsUpdates.docName, doc))).toHaveLength(1);
    expect((await loadDocument(compacting, doc)).getText('t').toString()).toBe('x'.repeat(50));
  });
});
