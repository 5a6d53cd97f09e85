'use client';

import { useActionState } from 'react';
import type { OpenCrisisState } from '@/app/(app)/crises/actions';
import { severities } from '@/db/schema';
import { ActionResultMessage } from '@/components/ui/ActionResultMessage';

/** The form to open a crisis by hand; an open crisis on the same topic is joined instead of opening a second room. */
export function OpenCrisisForm({ action }: { action: (state: OpenCrisisState, form: FormData) => Promise<OpenCrisisState> }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="stack" aria-label="Open a crisis">
      <ActionResultMessage state={state} />
      <div className="form-row">
        <label className="field" style={{ flex: '2 1 280px' }}>
          What is happening
          <input name="title" required minLength={3} maxLength={200} placeholder="Lost bags at JFK: complaints spreading on X" />
        </label>
        <label className="field" style={{ flex: '1 1 160px' }}>
          Topic or hashtag (optional)
          <input name="topic" maxLength={100} placeholder="#LostLuggage" />
        </label>
        <label className="field">
          Severity
          <select name="severity" defaultValue="high">
            {severities.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button className="button button-danger" type="submit" disabled={pending}>
          {pending ? 'Opening…' : 'Open the crisis room'}
        </button>
      </div>
    </form>
  );
}
