import type { ReactNode } from 'react';
import type { ActionResult } from '@/lib/auth/session';

/** The outcome of a form's server action: a refusal as an alert, a success (when `success` is given) as a status. */
export function ActionResultMessage<T>({ state, success }: { state: ActionResult<T> | null; success?: (data: T) => ReactNode }) {
  if (!state) return null;
  if (!state.ok) {
    return (
      <div role="alert" className="alert alert-error">
        {state.error}
      </div>
    );
  }
  return success ? (
    <div role="status" className="alert alert-ok">
      {success(state.data)}
    </div>
  ) : null;
}
