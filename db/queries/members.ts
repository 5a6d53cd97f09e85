import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { type Role, members, organizations, users } from '@/db/schema';

export interface MemberRow {
  memberId: string;
  userId: string;
  organizationId: string;
  organizationName: string;
  role: Role;
  name: string;
  email: string;
}

const memberColumns = {
  memberId: members.id,
  userId: users.id,
  organizationId: members.organizationId,
  organizationName: organizations.name,
  role: members.role,
  name: users.name,
  email: users.email,
};

/** The membership a user signs in to (their first one), read fresh so role changes apply at once. */
export async function findMemberByUserId(db: Db, userId: string): Promise<MemberRow | null> {
  const [row] = await db
    .select(memberColumns)
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .innerJoin(organizations, eq(organizations.id, members.organizationId))
    .where(eq(members.userId, userId))
    .orderBy(asc(members.createdAt))
    .limit(1);
  return row ?? null;
}

/** One member of one organization. */
export async function findMember(db: Db, organizationId: string, memberId: string): Promise<MemberRow | null> {
  const [row] = await db
    .select(memberColumns)
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .innerJoin(organizations, eq(organizations.id, members.organizationId))
    .where(and(eq(members.organizationId, organizationId), eq(members.id, memberId)));
  return row ?? null;
}

/** Every member of one organization, by name. */
export function listMembers(db: Db, organizationId: string): Promise<MemberRow[]> {
  return db
    .select(memberColumns)
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .innerJoin(organizations, eq(organizations.id, members.organizationId))
    .where(eq(members.organizationId, organizationId))
    .orderBy(asc(users.name));
}
