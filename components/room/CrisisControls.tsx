'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { changeStatusAction, setBudgetAction } from '@/app/(app)/crises/actions';
import type { CrisisStatus } from '@/db/schema';

const moves: Record<CrisisStatus, { to: CrisisStatus; label: string; tone: string; confirm?: string }[]> = {
  open: [
    { to: 'monitoring', label: 'Move to monitoring', tone: 'button-quiet' },
    { to: 'resolved', label: 'Resolve', tone: 'button-ok', confirm: 'Resolve this crisis? The room becomes read-only for everyone.' },
  ],
  monitoring: [
    { to: 'open', label: 'Reopen (flaring up)', tone: 'button-danger' },
    { to: 'resolved', label: 'Resolve', tone: 'button-ok', confirm: 'Resolve this crisis? The room becomes read-only for everyone.' },
  ],
  resolved: [],
};

/** Lifecycle buttons for members holding 'crisis.manage' (the server checks again). */
export function LifecycleButtons({ crisisId, status }: { crisisId: string; status: CrisisStatus }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="lifecycle">
      {moves[status].map((move) => (
        <button
          key={move.to}
          type="button"
          className={`button ${move.tone}`}
          disabled={pending}
          onClick={() => {
            if (move.confirm && !window.confirm(move.confirm)) return;
            startTransition(async () => {
              const result = await changeStatusAction(crisisId, status, move.to);
              setError(result.ok ? null : result.error);
              router.refresh();
            });
          }}
        >
          {move.label}
        </button>
      ))}
      {error && (
        <span role="alert" className="alert alert-error">
          {error}
        </span>
      )}
    </div>
  );
}

/** Sets the compensation budget (crisis managers). */
export function BudgetForm({ crisisId, budgetCents, currency }: { crisisId: string; budgetCents: number | null; currency: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="form-row budget-form"
      onSubmit={(event) => {
        event.preventDefault();
        const amount = String(new FormData(event.currentTarget).get('budget') ?? '');
        startTransition(async () => {
          const result = await setBudgetAction(crisisId, amount);
          setError(result.ok ? null : result.error);
          router.refresh();
        });
      }}
    >
      <label className="field">
        Compensation budget ({currency})
        <input name="budget" inputMode="decimal" defaultValue={budgetCents ? (budgetCents / 100).toFixed(2) : ''} placeholder="e.g. 50000" size={10} />
      </label>
      <button className="button button-quiet" type="submit" disabled={pending}>
        Set budget
      </button>
      {error && (
        <span role="alert" className="alert alert-error">
          {error}
        </span>
      )}
    </form>
  );
}
