'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, runAsMember } from '@/lib/auth/session';
import { addMember, changeMemberRole } from '@/lib/orgs/members';

export type AddMemberState = ActionResult<{ name: string; email: string; temporaryPassword?: string }> | null;

/** Adds a member to the signed-in admin's organization (the verb checks the role again). */
export async function addMemberAction(_previous: AddMemberState, form: FormData): Promise<AddMemberState> {
  const result = await runAsMember(async (ctx) => {
    const { member, temporaryPassword } = await addMember({
      ctx,
      input: { email: String(form.get('email') ?? ''), name: String(form.get('name') ?? ''), role: String(form.get('role') ?? '') as never, password: String(form.get('password') ?? '') },
    });
    return { name: member.name, email: member.email, temporaryPassword };
  });
  if (result.ok) revalidatePath('/admin/members');
  return result;
}

/** Changes a member's role in the signed-in admin's organization. */
export async function changeRoleAction(memberId: string, role: string): Promise<ActionResult<{ role: string }>> {
  const result = await runAsMember(async (ctx) => {
    const member = await changeMemberRole({ ctx, input: { memberId, role: role as never } });
    return { role: member.role };
  });
  if (result.ok) revalidatePath('/admin/members');
  return result;
}
