import { randomBytes } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { findMember, type MemberRow } from '@/db/queries/members';
import { auditLog, members, roles, users } from '@/db/schema';
import { assertCan } from '@/lib/auth/permissions';
import { hashPassword } from '@/lib/auth/password';
import { normalizeEmail } from '@/lib/auth/credentials';
import { type Ctx, actorLabel, inTransaction } from '@/lib/context';
import { DomainError, conflict, forbidden, notFound } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { publish } from '@/lib/events';

/** Refuses anyone but a member holding `members.manage`. */
function assertManager(ctx: Ctx): void {
  if (ctx.actor.type !== 'member') throw forbidden('Only a signed-in admin can manage members.');
  assertCan(ctx.actor.role, 'members.manage');
}

export const AddMemberInput = z.object({
  email: z.string().trim().email('Enter a valid email address.').max(254),
  name: z.string().trim().min(1, 'Enter a name.').max(120),
  role: z.enum(roles),
  password: z
    .string()
    .max(200)
    .optional()
    .transform((value) => (value ? value : undefined))
    .refine((value) => value === undefined || value.length >= 12, 'A password needs at least 12 characters.'),
});
export type AddMemberInput = z.input<typeof AddMemberInput>;

export interface AddedMember {
  member: MemberRow;
  /** Set when Stormdesk generated the first password: shown once to the admin, never stored in clear. */
  temporaryPassword?: string;
}

/** Adds a person to the actor's organization with a role; creates their sign-in account if they have none. */
export async function addMember({ ctx, input }: { ctx: Ctx; input: AddMemberInput }): Promise<AddedMember> {
  assertManager(ctx);
  const data = parseInput(AddMemberInput, input);
  const email = normalizeEmail(data.email);
  const temporaryPassword = data.password ? undefined : randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(data.password ?? temporaryPassword!);
  const memberId = await inTransaction(ctx, async ({ db }) => {
    const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (existing) {
      // An account that exists belongs to someone who may be in another organization: never touch its password or name.
      throw conflict(`${email} already has a Stormdesk account; ask them to sign in, or use another address.`);
    }
    const [user] = await db.insert(users).values({ email, name: data.name, passwordHash }).returning({ id: users.id });
    const [member] = await db
      .insert(members)
      .values({ organizationId: ctx.organizationId, userId: user!.id, role: data.role })
      .returning({ id: members.id });
    await db.insert(auditLog).values({
      organizationId: ctx.organizationId,
      actor: actorLabel(ctx.actor),
      action: 'member.add',
      subject: member!.id,
      data: { email, role: data.role },
    });
    return member!.id;
  });
  const member = await findMember(ctx.db, ctx.organizationId, memberId);
  if (!member) throw new DomainError('UNAVAILABLE', 'The member was added but could not be read back.');
  return { member, temporaryPassword };
}

export const ChangeMemberRoleInput = z.object({
  memberId: z.string().uuid('Unknown member.'),
  role: z.enum(roles),
});
export type ChangeMemberRoleInput = z.input<typeof ChangeMemberRoleInput>;

/** Changes a member's role; the organization always keeps at least one admin. Open rooms reconnect them with the new rights. */
export async function changeMemberRole({ ctx, input }: { ctx: Ctx; input: ChangeMemberRoleInput }): Promise<MemberRow> {
  assertManager(ctx);
  const data = parseInput(ChangeMemberRoleInput, input);
  const changed = await inTransaction(ctx, async ({ db }) => {
    const [current] = await db
      .select({ role: members.role, userId: members.userId })
      .from(members)
      .where(and(eq(members.organizationId, ctx.organizationId), eq(members.id, data.memberId)))
      .for('update');
    if (!current) throw notFound('No such member in your organization.');
    if (current.role === data.role) return null;
    if (current.role === 'admin') {
      // Lock the organization's admins so two concurrent demotions cannot both pass this check.
      const admins = await db
        .select({ id: members.id })
        .from(members)
        .where(and(eq(members.organizationId, ctx.organizationId), eq(members.role, 'admin')))
        .for('update');
      if (admins.length <= 1) throw conflict('An organization needs at least one admin: promote someone else first.');
    }
    await db.update(members).set({ role: data.role }).where(eq(members.id, data.memberId));
    await db.insert(auditLog).values({
      organizationId: ctx.organizationId,
      actor: actorLabel(ctx.actor),
      action: 'member.change_role',
      subject: data.memberId,
      data: { from: current.role, to: data.role },
    });
    return { userId: current.userId };
  });
  if (changed) publish('member.changed', { organizationId: ctx.organizationId, memberId: data.memberId, userId: changed.userId });
  const member = await findMember(ctx.db, ctx.organizationId, data.memberId);
  if (!member) throw notFound('No such member in your organization.');
  return member;
}

/** Number of members per role in an organization. */
export async function countMembersByRole(ctx: Ctx): Promise<Record<string, number>> {
  const rows = await ctx.db
    .select({ role: members.role, n: count() })
    .from(members)
    .where(eq(members.organizationId, ctx.organizationId))
    .groupBy(members.role);
  return Object.fromEntries(rows.map((row) => [row.role, row.n]));
}
