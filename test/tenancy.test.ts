import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { listAudit } from '@/db/queries/audit';
import { findMember, findMemberByUserId, listMembers } from '@/db/queries/members';
import { createTestDatabase } from '@/db/testing';
import { instagramMentionFetches } from '@/db/schema';
import { createConnection } from '@/lib/channels/connections';
import { listMentionFetchBacklog, retryMentionFetches } from '@/lib/channels/meta/mention-fetch';
import { authorizeDocument, notesDocumentName } from '@/lib/collab/documents';
import { DomainError } from '@/lib/errors';
import { addMember, changeMemberRole } from '@/lib/orgs/members';
import { type TestOrganization, createTestOrganization } from './fixtures';

/**
 * One organization's members cannot read or change another's data through any verb, query or room that exists.
 * (The websocket endpoint itself is covered in lib/collab/room-server.test.ts.) Add each new verb here.
 */
let database: DatabaseHandle;
let a: TestOrganization;
let b: TestOrganization;

beforeAll(async () => {
  database = await createTestDatabase();
  a = await createTestOrganization(database.db, 'tenant-a');
  b = await createTestOrganization(database.db, 'tenant-b');
});
afterAll(() => database.close());

describe('tenant isolation', () => {
  it('reads: member lists, member lookups and the audit log stay inside the organization', async () => {
    const listed = await listMembers(database.db, a.id);
    expect(listed.every((m) => m.organizationId === a.id)).toBe(true);
    expect(listed.map((m) => m.email)).not.toContain('admin@tenant-b.example');
    expect(await findMember(database.db, a.id, b.members.agent.memberId)).toBeNull();
    expect((await listAudit(database.db, a.id)).every((row) => row.organizationId === a.id)).toBe(true);
    expect((await findMemberByUserId(database.db, b.members.agent.userId))?.organizationId).toBe(b.id);
  });

  it('writes: an admin of A cannot change the role of a member of B', async () => {
    const attempt = changeMemberRole({ ctx: a.as('admin'), input: { memberId: b.members.agent.memberId, role: 'admin' } });
    await expect(attempt).rejects.toSatisfy((error: unknown) => error instanceof DomainError && error.code === 'NOT_FOUND');
    expect((await findMember(database.db, b.id, b.members.agent.memberId))?.role).toBe('agent');
  });

  it('writes: a member added by A’s admin lands in A only, whatever the input says', async () => {
    const input = { email: 'sneaky@tenant.example', name: 'Sneaky', role: 'admin', organizationId: b.id } as never;
    const { member } = await addMember({ ctx: a.as('admin'), input });
    expect(member.organizationId).toBe(a.id);
    expect((await listMembers(database.db, b.id)).map((m) => m.email)).not.toContain('sneaky@tenant.example');
  });

  it('Instagram mention fetches: B’s admin neither sees A’s waiting fetches nor requeues them', async () => {
    const { connection } = await createConnection({ ctx: a.as('admin'), input: { channel: 'instagram', name: 'A on Instagram' } });
    await database.db.insert(instagramMentionFetches).values({ organizationId: a.id, connectionId: connection.id, accountId: '1784', mediaId: '1790', commentId: '1780', notifiedAt: new Date(), status: 'failed', attempts: 1, lastError: 'code 190' });
    expect(await listMentionFetchBacklog(database.db, b.id)).toEqual([]);
    expect(await retryMentionFetches({ ctx: b.as('admin'), input: { connectionId: connection.id } })).toEqual({ requeued: 0 });
    expect(await listMentionFetchBacklog(database.db, a.id)).toMatchObject([{ connectionId: connection.id, failed: 1, failedError: 'code 190' }]);
  });

  it('rooms: no access to another organization’s documents, read-only for observers, none for unknown kinds', async () => {
    expect(await authorizeDocument(database.db, a.members.admin, notesDocumentName(b.id))).toBeNull();
    expect(await authorizeDocument(database.db, a.members.lead, notesDocumentName(a.id))).toEqual({ access: 'write', organizationId: a.id });
    expect(await authorizeDocument(database.db, a.members.observer, notesDocumentName(a.id))).toEqual({ access: 'read', organizationId: a.id });
    expect(await authorizeDocument(database.db, a.members.admin, `secret:${a.id}`)).toBeNull();
  });
});
