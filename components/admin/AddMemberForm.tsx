'use client';

import { useActionState } from 'react';
import type { AddMemberState } from '@/app/(app)/admin/members/actions';
import { roles } from '@/db/schema';
import { ActionResultMessage } from '@/components/ui/ActionResultMessage';

/** The admin's form to add a member; shows a generated first password once. */
export function AddMemberForm({ action }: { action: (state: AddMemberState, form: FormData) => Promise<AddMemberState> }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="stack" aria-label="Add a member">
      <ActionResultMessage
        state={state}
        success={(data) => (
          <>
            {data.name} ({data.email}) was added.
            {data.temporaryPassword && (
              <>
                {' '}
                First password, shown only now: <code data-testid="temporary-password">{data.temporaryPassword}</code>
              </>
            )}
          </>
        )}
      />
      <div className="form-row">
        <label className="field">
          Name
          <input name="name" required maxLength={120} />
        </label>
        <label className="field">
          Email
          <input name="email" type="email" required maxLength={254} />
        </label>
        <label className="field">
          Role
          <select name="role" defaultValue="agent">
            {roles.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          First password (optional)
          <input name="password" type="password" minLength={12} placeholder="generated if empty" autoComplete="new-password" />
        </label>
        <button className="button" type="submit" disabled={pending}>
          {pending ? 'Adding…' : 'Add member'}
        </button>
      </div>
    </form>
  );
}
