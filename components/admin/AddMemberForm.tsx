'use client';

import { useActionState } from 'react';
import type { AddMemberState } from '@/app/(app)/admin/members/actions';
import { roles } from '@/db/schema';

/** The admin's form to add a member; shows a generated first password once. */
export function AddMemberForm({ action }: { action: (state: AddMemberState, form: FormData) => Promise<AddMemberState> }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="stack" aria-label="Add a member">
      {state && !state.ok && (
        <div role="alert" className="alert alert-error">
          {state.error}
        </div>
      )}
      {state?.ok && (
        <div role="status" className="alert alert-ok">
          {state.data.name} ({state.data.email}) was added.
          {state.data.temporaryPassword && (
            <>
              {' '}
              First password, shown only now: <code data-testid="temporary-password">{state.data.temporaryPassword}</code>
            </>
          )}
        </div>
      )}
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
