'use client';

import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/auth/session';

type Act = (ticketId: string, value: string) => Promise<ActionResult<null>>;

/** Take, hand back, mark answered or resolve a ticket; shows the refusal when the server says no. */
export function TicketActions({ ticketId, status, assignedToMe, assign, setStatus }: { ticketId: string; status: string; assignedToMe: boolean; assign: Act; setStatus: Act }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const run = (act: Act, value: string) =>
    start(async () => {
      const result = await act(ticketId, value);
      setError(result.ok ? null : result.error);
    });
  return (
    <div className="stack" style={{ gap: '0.5rem' }}>
      {error && (
        <div role="alert" className="alert alert-error">
          {error}
        </div>
      )}
      <div className="form-row">
        {assignedToMe ? (
          <button className="button button-quiet" disabled={pending} onClick={() => run(assign, '')}>
            Return to queue
          </button>
        ) : (
          <button className="button" disabled={pending} onClick={() => run(assign, 'me')}>
            Take this ticket
          </button>
        )}
        {status === 'open' && (
          <button className="button button-quiet" disabled={pending} onClick={() => run(setStatus, 'pending')}>
            Answered, waiting on customer
          </button>
        )}
        {status !== 'resolved' ? (
          <button className="button button-quiet" disabled={pending} onClick={() => run(setStatus, 'resolved')}>
            Resolve
          </button>
        ) : (
          <button className="button button-quiet" disabled={pending} onClick={() => run(setStatus, 'open')}>
            Reopen
          </button>
        )}
      </div>
    </div>
  );
}
