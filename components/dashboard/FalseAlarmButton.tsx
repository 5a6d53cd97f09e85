'use client';

import { useState, useTransition } from 'react';
import styles from './dashboard.module.css';
import type { ActionResult } from '@/lib/auth/session';

/** Marks one alert a false alarm (kept as feedback on detection). */
export function FalseAlarmButton({ alertId, action }: { alertId: string; action: (alertId: string) => Promise<ActionResult<{ id: string }>> }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className={`button button-quiet ${styles.small}`}
        disabled={pending}
        onClick={() =>
          start(async () => {
            const result = await action(alertId);
            setError(result.ok ? null : result.error);
          })
        }
      >
        {pending ? 'Saving…' : 'False alarm'}
      </button>
      {error && (
        <span role="alert" className="alert alert-error">
          {error}
        </span>
      )}
    </>
  );
}
