import { getServerSession } from 'next-auth';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { type MemberRow, findMemberByUserId } from '@/db/queries/members';
import type { Ctx } from '@/lib/context';
import { DomainError } from '@/lib/errors';
import { runtime } from '@/lib/runtime';
import { authOptions } from './options';
import { type Permission, can } from './permissions';

/** The signed-in member, read fresh from the database once per request (a removed member or changed role applies at once). */
export const currentMember = cache(async (): Promise<MemberRow | null> => {
  const session = await getServerSession(authOptions());
  const userId = (session?.user as { id?: string } | undefined)?.id;
  if (!userId) return null;
  return findMemberByUserId(runtime().db, userId);
});

/** For pages: the signed-in member, or a redirect to sign-in; with a permission the member lacks, a 404. */
export async function requireMember(permission?: Permission): Promise<MemberRow> {
  const member = await currentMember();
  if (!member) redirect('/signin');
  if (permission && !can(member.role, permission)) notFound();
  return member;
}

/** The domain context of a member's request. */
export function memberCtx(member: MemberRow): Ctx {
  return {
    db: runtime().db,
    organizationId: member.organizationId,
    actor: { type: 'member', memberId: member.memberId, userId: member.userId, role: member.role, name: member.name, email: member.email },
  };
}

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; code: DomainError['code'] };

/** Runs a server action's verb as the signed-in member; domain errors become a result the form can show. */
export async function runAsMember<T>(verb: (ctx: Ctx) => Promise<T>): Promise<ActionResult<T>> {
  const member = await currentMember();
  if (!member) return { ok: false, error: 'Your session has ended. Sign in again.', code: 'UNAUTHENTICATED' };
  try {
    return { ok: true, data: await verb(memberCtx(member)) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error: error.message, code: error.code };
    throw error;
  }
}
