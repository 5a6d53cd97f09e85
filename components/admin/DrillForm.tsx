'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import type { DrillState } from '@/app/(app)/admin/detection/actions';
import { ActionResultMessage } from '@/components/ui/ActionResultMessage';

/** Starts a storm drill: a replayed airline storm through live detection. */
export function DrillForm({ action }: { action: (state: DrillState, form: FormData) => Promise<DrillState> }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="stack" aria-label="Storm drill">
      <ActionResultMessage
        state={state}
        success={(data) => (
          <>
            Drill started: {data.complaints.toLocaleString('en')} complaints replayed. Watch the <Link href="/dashboard">dashboard</Link>.
          </>
        )}
      />
      <div>
        <button className="button" type="submit" disabled={pending}>
          {pending ? 'Starting…' : 'Run a storm drill'}
        </button>
      </div>
    </form>
  );
}
