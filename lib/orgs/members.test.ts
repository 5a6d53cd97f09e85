import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { findMember, listMembers } from '@/db/queries/members';
import { auditLog } from '@/db/schema';
import { createTestDatabase } from '@/db/testing';
import { signInWithPassword } from '@/lib/auth/credentials';
import { DomainError } from '@/lib/errors';
import { subscribe } from '@/lib/events';
import { type TestOrganization, createTestOrganization } from '@/test/fixtures';
import { addMember, changeMemberRole } from './members';

let database: DatabaseHandle;
let org: TestOrganization;

beforeAll(async () => {
  database = await createTestDatabase();
  org = await createTestOrganization(database.db, 'members');
});
afterAll(() => database.close());

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: unknown) => (error instanceof DomainError ? error.code : String(error)));

describe('addMember', () => {
  it('adds a member who can sign in with the generated password, and writes an audit row', async () => {
    const { member, temporaryPassword } = await addMember({ ctx: org.as('admin'), input: { email: ' Zoe@Members.example ', name: 'Zoe', role: 'lead' } });
    expect(member).toMatchObject({ email: 'zoe@members.example', role: 'lead', organizationId: org.id });
    expect(temporaryPassword).toMatch(/^[\w-]{16}$/);
    const signIn = await signInWithPassword(database.db, 'zoe@members.example', temporaryPassword!);
    expect(signIn).toEqual({ ok: true, userId: member.userId });
    const audit = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'member.add'), eq(auditLog.subject, member.memberId)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe(`member:${org.members.admin.memberId}`);
  });

  it('refuses every role but admin, even when the action is called directly', async () => {
    for (const role of ['executive', 'lead', 'agent', 'observer'] as const) {
      expect(await codeOf(addMember({ ctx: org.as(role), input: { email: `x-${role}@members.example`, name: 'X', role: 'admin' } }))).toBe('FORBIDDEN');
    }
    expect((await listMembers(database.db, org.id)).some((m) => m.email.startsWith('x-'))).toBe(false);
  });

  it('explains bad input and refuses an email that already has an account', async () => {
    await expect(addMember({ ctx: org.as('admin'), input: { email: 'not-an-email', name: '', role: 'agent' } })).rejects.toThrow(/email: Enter a valid email address.*name: Enter a name/);
    await expect(addMember({ ctx: org.as('admin'), input: { email: 'a@b.example', name: 'A', role: 'agent', password: 'short' } })).rejects.toThrow(/at least 12 characters/);
    expect(await codeOf(addMember({ ctx: org.as('admin'), input: { email: 'lead@members.example', name: 'Dup', role: 'agent' } }))).toBe('CONFLICT');
  });
});

describe('changeMemberRole', () => {
  it('changes the role, audits it, and tells the room server to reconnect that member', async () => {
    const { member } = await addMember({ ctx: org.as('admin'), input: { email: 'rita@members.example', name: 'Rita', role: 'agent' } });
    const seen: string[] = [];
    const unsubscribe = subscribe('member.changed', ({ userId }) => seen.push(userId));
    const changed = await changeMemberRole({ ctx: org.as('admin'), input: { memberId: member.memberId, role: 'observer' } });
    unsubscribe();
    expect(changed.role).toBe('observer');
    expect(seen).toEqual([member.userId]);
    const [row] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'member.change_role'), eq(auditLog.subject, member.memberId)));
    expect(row?.data).toEqual({ from: 'agent', to: 'observer' });
  });

  it('keeps at least one admin', async () => {
    expect(await codeOf(changeMemberRole({ ctx: org.as('admin'), input: { memberId: org.members.admin.memberId, role: 'agent' } }))).toBe('CONFLICT');
    expect((await findMember(database.db, org.id, org.members.admin.memberId))?.role).toBe('admin');
  });

  it('refuses non-admins', async () => {
    expect(await codeOf(changeMemberRole({ ctx: org.as('lead'), input: { memberId: org.members.lead.memberId, role: 'admin' } }))).toBe('FORBIDDEN');
    expect((await findMember(database.db, org.id, org.members.lead.memberId))?.role).toBe('lead');
  });
});
