'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import type { DrillState } from '@/app/(app)/admin/detection/actions';

/** Starts a storm drill: a replayed airline storm through live detection. */
export function DrillForm({ action }: { action: (state: DrillState, form: FormData) => Promise<DrillState> }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="stack" aria-label="Storm drill">
      {state && !state.ok && (
        <div role="alert" className="alert alert-error">
          {state.error}
        </div>
      )}
      {state?.ok && (
        <div role="status" className="alert alert-ok">
          Drill started: {state.data.complaints.toLocaleString('en')} complaints replayed. Watch the <Link href="/dashboard">dashboard</Link>.
        </div>
      )}
      <div>
        <button className="button" type="submit" disabled={pending}>
          {pending ? 'Starting…' : 'Run a storm drill'}
        </button>
      </div>
    </form>
  );
}
