'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, runAsMember } from '@/lib/auth/session';
import { deleteProtocol, saveProtocol } from '@/lib/crises/protocol-templates';
import { invalidInput } from '@/lib/errors';

export type ProtocolFormState = ActionResult<{ id: string; name: string }> | null;

/** Creates or edits a protocol template from the editor's JSON payload (admins). */
export async function saveProtocolAction(_previous: ProtocolFormState, form: FormData): Promise<ProtocolFormState> {
  const result = await runAsMember(async (ctx) => {
    let input: unknown;
    try {
      input = JSON.parse(String(form.get('payload') ?? ''));
    } catch {
      throw invalidInput('The protocol form was not readable; reload the page and try again.');
    }
    const saved = await saveProtocol({ ctx, input: input as never });
    return { id: saved.id, name: saved.name };
  });
  if (result.ok) revalidatePath('/admin/protocols');
  return result;
}

/** Deletes a protocol template (admins; the last one stays). */
export async function deleteProtocolAction(id: string): Promise<ActionResult<null>> {
  const result = await runAsMember(async (ctx) => {
    await deleteProtocol({ ctx, input: { id } });
    return null;
  });
  if (result.ok) revalidatePath('/admin/protocols');
  return result;
}
