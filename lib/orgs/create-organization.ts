import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { type Role, auditLog, members, organizations, roles, users } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';
import { normalizeEmail } from '@/lib/auth/credentials';
import { conflict } from '@/lib/errors';
import { seedDefaultProtocols } from '@/lib/crises/protocols';
import { parseInput } from '@/lib/validation';

export const CreateOrganizationInput = z.object({
  name: z.string().trim().min(1).max(120),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'A slug is lowercase letters, digits and dashes.'),
  members: z
    .array(z.object({ email: z.string().email(), name: z.string().min(1), role: z.enum(roles), password: z.string().min(12) }))
    .min(1)
    .refine((list) => list.some((m) => m.role === 'admin'), 'An organization starts with at least one admin.'),
});
export type CreateOrganizationInput = z.input<typeof CreateOrganizationInput>;

/**
 * Creates an organization with its first members, in one transaction. Returns null when the slug is taken,
 * so that several instances starting at once create it once.
 */
export async function createOrganization(db: Db, input: CreateOrganizationInput): Promise<{ organizationId: string } | null> {
  const data = parseInput(CreateOrganizationInput, input);
  const hashed = await Promise.all(data.members.map(async (m) => ({ ...m, passwordHash: await hashPassword(m.password) })));
  return db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({ name: data.name, slug: data.slug })
      .onConflictDoNothing({ target: organizations.slug })
      .returning({ id: organizations.id });
    if (!org) return null;
    const emails = hashed.map((m) => normalizeEmail(m.email));
    const taken = await tx.select({ email: users.email }).from(users).where(inArray(users.email, emails));
    if (taken.length > 0) throw conflict(`These emails already have an account: ${taken.map((t) => t.email).join(', ')}.`);
    for (const m of hashed) {
      const [user] = await tx
        .insert(users)
        .values({ email: normalizeEmail(m.email), name: m.name, passwordHash: m.passwordHash })
        .returning({ id: users.id });
      await tx.insert(members).values({ organizationId: org.id, userId: user!.id, role: m.role as Role });
    }
    await seedDefaultProtocols(tx as unknown as Db, org.id);
    await tx.insert(auditLog).values({ organizationId: org.id, actor: 'system:create-organization', action: 'organization.create', subject: org.id });
    return { organizationId: org.id };
  });
}
