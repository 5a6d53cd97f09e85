import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { type MemberRow, listMembers } from '@/db/queries/members';
import { type Role, organizations, roles } from '@/db/schema';
import type { Ctx } from '@/lib/context';
import { createOrganization } from '@/lib/orgs/create-organization';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestOrganization {
  id: string;
  members: Record<Role, MemberRow>;
  /** The domain context of the member holding `role`. */
  as(role: Role): Ctx;
}

/** Creates an organization with one member per role; emails are unique per slug. */
export async function createTestOrganization(db: Db, slug: string): Promise<TestOrganization> {
  await createOrganization(db, {
    name: `Org ${slug}`,
    slug,
    members: roles.map((role) => ({ email: `${role}@${slug}.example`, name: `${slug} ${role}`, role, password: TEST_PASSWORD })),
  });
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug));
  const rows = await listMembers(db, org!.id);
  const members = Object.fromEntries(rows.map((row) => [row.role, row])) as Record<Role, MemberRow>;
  return {
    id: org!.id,
    members,
    as: (role) => {
      const m = members[role];
      return { db, organizationId: org!.id, actor: { type: 'member', memberId: m.memberId, userId: m.userId, role, name: m.name, email: m.email } };
    },
  };
}
