'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import styles from './dashboard.module.css';
import type { OpenCrisisState } from '@/app/(app)/dashboard/actions';
import { severities } from '@/db/schema';
import { ActionResultMessage } from '@/components/ui/ActionResultMessage';

/** A member opens a crisis room by hand, before (or instead of) the detector. */
export function OpenCrisisForm({ action }: { action: (state: OpenCrisisState, form: FormData) => Promise<OpenCrisisState> }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="stack" aria-label="Open a crisis by hand">
      <ActionResultMessage
        state={state}
        success={(data) => (
          <>
            {data.created ? 'Crisis opened: ' : 'A room on this topic is already open: '}
            <Link href={`/crises/${data.id}`}>{data.title}</Link>
          </>
        )}
      />
      <div className="form-row">
        <label className="field" style={{ flex: '2 1 260px' }}>
          Title
          <input name="title" required minLength={3} maxLength={200} placeholder="Bags lost at JFK, customers furious" />
        </label>
        <label className="field" style={{ flex: '1 1 160px' }}>
          Topic (optional)
          <input name="topic" maxLength={100} placeholder="#lostluggage" />
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
      </div>
      <div className="form-row">
        <label className="field" style={{ flex: '1 1 400px' }}>
          What is happening (for the committee)
          <input name="reason" maxLength={1000} placeholder="A promoted tweet about a lost bag is spreading" />
        </label>
        <button className={`button ${styles.danger}`} type="submit" disabled={pending}>
          {pending ? 'Opening…' : 'Open crisis room'}
        </button>
      </div>
    </form>
  );
}
