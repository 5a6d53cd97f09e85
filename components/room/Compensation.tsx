'use client';

import { useState, useTransition } from 'react';
import type * as Y from 'yjs';
import { approveCompensationAction, markPaidAction } from '@/app/(app)/crises/actions';
import { type CompensationEntry, compensationStatuses, compensationTypes, proposeCompensation, readCompensation, readCustomers } from '@/lib/collab/crisis-doc';
import { CommitInput } from './AffectedCustomers';
import { formatTime, money, useDocValue, useNow } from './useDocValue';

interface Props {
  doc: Y.Doc | undefined;
  crisisId: string;
  currency: string;
  budgetCents: number | null;
  canPropose: boolean;
  canApprove: boolean;
}

const readBoth = (doc: Y.Doc) => ({ customers: readCustomers(doc), compensation: readCompensation(doc) });
const empty = { customers: [], compensation: new Map<string, CompensationEntry>() };
const toCents = (text: string) => {
  const value = Number(text.replace(/[^0-9.]/g, ''));
  return Number.isFinite(value) ? Math.round(value * 100) : 0;
};
const statusLabels = { proposed: 'Proposed', approved: 'Approved', paid: 'Paid' } as const;

/** The compensation tracker: proposals per affected customer, approval by leads and executives (server-side), totals and budget. */
export function Compensation({ doc, crisisId, currency, budgetCents, canPropose, canApprove }: Props) {
  const { customers, compensation } = useDocValue(doc, readBoth, empty);
  const now = useNow();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const decide = (action: typeof approveCompensationAction, key: string) =>
    startTransition(async () => {
      const result = await action(crisisId, key);
      setError(result.ok ? null : result.error);
    });

  const rows = customers.map((c) => ({ customer: c, entry: compensation.get(c.customerKey) }));
  const totals = compensationStatuses.map((status) => {
    const entries = rows.map((r) => r.entry).filter((e): e is CompensationEntry => e?.status === status);
    return { status, count: entries.length, cents: entries.reduce((sum, e) => sum + e.refundCents + e.compensationCents, 0) };
  });
  const committed = totals.filter((t) => t.status !== 'proposed').reduce((sum, t) => sum + t.cents, 0);
  const proposed = totals.find((t) => t.status === 'proposed')!.cents;

  return (
    <div className="stack" style={{ gap: '0.75rem' }}>
      <div className="totals" data-testid="compensation-totals">
        {totals.map((t) => (
          <div key={t.status} className={`total total-${t.status}`}>
            <span className="total-label">{statusLabels[t.status]}</span>
            <strong>{money(t.cents, currency)}</strong>
            <span className="muted small">
              {t.count} customer{t.count === 1 ? '' : 's'}
            </span>
          </div>
        ))}
      </div>
      <BudgetBar committed={committed} proposed={proposed} budgetCents={budgetCents} currency={currency} />
      {error && (
        <div role="alert" className="alert alert-error">
          {error}
        </div>
      )}
      <table className="table" aria-label="Compensation">
        <thead>
          <tr>
            <th>Customer</th>
            <th>Refund</th>
            <th>Compensation</th>
            <th>Type</th>
            <th>Currency</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                Each affected customer gets a line here once added.
              </td>
            </tr>
          )}
          {rows.map(({ customer, entry }) => {
            const frozen = !entry || entry.status !== 'proposed';
            const editable = canPropose && !!doc && !frozen;
            const set = (patch: Parameters<typeof proposeCompensation>[2]) => doc && proposeCompensation(doc, customer.customerKey, patch, { currency });
            return (
              <tr key={customer.id} data-testid="compensation-row" data-status={entry?.status ?? 'none'}>
                <td>
                  <strong>{customer.name}</strong>
                </td>
                <td>
                  <CommitInput
                    label={`Refund for ${customer.name}`}
                    value={entry ? (entry.refundCents / 100).toFixed(2) : '0.00'}
                    disabled={!editable}
                    inputMode="decimal"
                    size={8}
                    onCommit={(v) => set({ refundCents: toCents(v) })}
                  />
                </td>
                <td>
                  <CommitInput
                    label={`Compensation for ${customer.name}`}
                    value={entry ? (entry.compensationCents / 100).toFixed(2) : '0.00'}
                    disabled={!editable}
                    inputMode="decimal"
                    size={8}
                    onCommit={(v) => set({ compensationCents: toCents(v) })}
                  />
                </td>
                <td>
                  <select aria-label={`Compensation type for ${customer.name}`} value={entry?.compensationType ?? 'voucher'} disabled={!editable} onChange={(e) => set({ compensationType: e.target.value })}>
                    {compensationTypes.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <CommitInput
                    label={`Currency for ${customer.name}`}
                    value={entry?.currency ?? currency}
                    disabled={!editable}
                    size={4}
                    onCommit={(v) => /^[A-Za-z]{3}$/.test(v.trim()) && set({ currency: v.trim().toUpperCase() })}
                  />
                </td>
                <td>
                  <span className={`comp-status comp-${entry?.status ?? 'proposed'}`}>{statusLabels[entry?.status ?? 'proposed']}</span>
                  {entry?.approvedBy && (
                    <div className="muted small">
                      by {entry.approvedBy}
                      {entry.approvedAt ? ` at ${formatTime(entry.approvedAt, now)}` : ''}
                    </div>
                  )}
                </td>
                <td>
                  {canApprove && entry?.status === 'proposed' && (
                    <button type="button" className="button button-ok" disabled={pending || entry.refundCents + entry.compensationCents <= 0} onClick={() => decide(approveCompensationAction, customer.customerKey)} aria-label={`Approve compensation for ${customer.name}`}>
                      Approve
                    </button>
                  )}
                  {canApprove && entry?.status === 'approved' && (
                    <button type="button" className="button button-quiet" disabled={pending} onClick={() => decide(markPaidAction, customer.customerKey)} aria-label={`Mark compensation for ${customer.name} paid`}>
                      Mark paid
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {!canApprove && <p className="muted small">Only a lead or an executive approves compensation; approved amounts can no longer change.</p>}
    </div>
  );
}

function BudgetBar({ committed, proposed, budgetCents, currency }: { committed: number; proposed: number; budgetCents: number | null; currency: string }) {
  if (!budgetCents) {
    return (
      <p className="muted small" data-testid="budget">
        No budget set for this crisis. Approved and paid: {money(committed, currency)}; proposed: {money(proposed, currency)}.
      </p>
    );
  }
  const pct = (cents: number) => Math.min(100, (cents / budgetCents) * 100);
  const over = committed + proposed > budgetCents;
  return (
    <div data-testid="budget">
      <div className="budget-bar" role="img" aria-label={`Budget: ${money(committed, currency)} committed and ${money(proposed, currency)} proposed of ${money(budgetCents, currency)}`}>
        <span className="budget-committed" style={{ width: `${pct(committed)}%` }} />
        <span className="budget-proposed" style={{ width: `${Math.max(0, pct(committed + proposed) - pct(committed))}%` }} />
      </div>
      <p className={`small ${over ? 'overdue-text' : 'muted'}`} style={{ margin: '0.3rem 0 0' }}>
        {money(committed, currency)} approved or paid + {money(proposed, currency)} proposed of a {money(budgetCents, currency)} budget
        {over ? ' — OVER BUDGET if every proposal is approved' : ''}
      </p>
    </div>
  );
}
