'use client';

import { useState, useTransition } from 'react';
import type * as Y from 'yjs';
import { addByHandAction, addFromTicketsAction } from '@/app/(app)/crises/actions';
import { UnverifiedSender } from '@/components/inbox/UnverifiedSender';
import { ActionResultMessage } from '@/components/ui/ActionResultMessage';
import { uploadCsv } from '@/components/ui/uploadCsv';
import type { ActionResult } from '@/lib/auth/session';
import { type AffectedCustomer, customerStates, readCustomers, updateAffectedCustomer } from '@/lib/collab/crisis-doc';
import { useDocValue } from './useDocValue';

export interface LinkedTicket {
  id: string;
  subject: string;
  channel: string;
  customerName: string;
  customerId: string;
}

const stateLabels: Record<AffectedCustomer['state'], string> = { to_contact: 'To contact', contacted: 'Contacted', resolved: 'Resolved' };

type Added = { added: number; merged: number };
const describeAdded = (d: Added) => `${d.added} added${d.merged ? `, ${d.merged} already in the room (contacts merged)` : ''}.`;

/** Affected customers: added from linked tickets, by CSV or by hand (identities resolved on the server); state per customer. */
export function AffectedCustomers({ doc, crisisId, canEdit, tickets }: { doc: Y.Doc | undefined; crisisId: string; canEdit: boolean; tickets: LinkedTicket[] }) {
  const customers = useDocValue(doc, readCustomers, []);
  const [result, setResult] = useState<ActionResult<Added> | null>(null);
  const [pending, startTransition] = useTransition();
  const run = (work: () => Promise<ActionResult<Added>>) =>
    startTransition(async () => {
      setResult(await work());
    });
  const counts = customerStates.map((s) => `${customers.filter((c) => c.state === s).length} ${stateLabels[s].toLowerCase()}`).join(' · ');
  return (
    <div className="stack" style={{ gap: '0.75rem' }}>
      <div className="section-bar">
        <p className="muted" style={{ margin: 0 }} data-testid="customers-summary">
          {customers.length} affected · {counts}
        </p>
        <a className="button button-quiet" href={`/crises/${crisisId}/customers.csv`} download>
          Export CSV
        </a>
      </div>
      <ActionResultMessage state={result} success={describeAdded} />
      <table className="table" aria-label="Affected customers">
        <thead>
          <tr>
            <th>Customer</th>
            <th>Contacts</th>
            <th>What happened</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {customers.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                Nobody yet. Add customers from the linked tickets below, import a CSV, or add them by hand.
              </td>
            </tr>
          )}
          {customers.map((c) => (
            <tr key={c.id} data-testid="customer-row" className={`customer-${c.state}`}>
              <td>
                <strong>{c.name}</strong>
                <div className="muted small">
                  {c.source === 'ticket' ? 'from a ticket' : c.source === 'csv' ? 'imported' : 'added by hand'} by {c.addedBy}
                </div>
              </td>
              <td className="small">
                {c.contacts.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  c.contacts.map((x) => (
                    <div key={`${x.channel}:${x.value}`}>
                      {`${x.channel}: ${x.value}`} {x.unverified && <UnverifiedSender />}
                    </div>
                  ))
                )}
              </td>
              <td>
                <CommitInput
                  label={`What happened to ${c.name}`}
                  value={c.whatHappened}
                  disabled={!canEdit || !doc}
                  onCommit={(value) => doc && updateAffectedCustomer(doc, c.id, { whatHappened: value })}
                />
              </td>
              <td>
                <select
                  aria-label={`State of ${c.name}`}
                  value={c.state}
                  disabled={!canEdit || !doc}
                  onChange={(e) => doc && updateAffectedCustomer(doc, c.id, { state: e.target.value as AffectedCustomer['state'] })}
                >
                  {customerStates.map((s) => (
                    <option key={s} value={s}>
                      {stateLabels[s]}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canEdit && (
        <div className="grid add-customers">
          <TicketPicker tickets={tickets} customers={customers} pending={pending} onAdd={(ids) => run(() => addFromTicketsAction(crisisId, ids))} />
          <ByHand pending={pending} onAdd={(person) => run(() => addByHandAction(crisisId, person))} />
          <CsvImport pending={pending} onImport={(file) => run(() => uploadCsv<Added>(`/api/crises/${crisisId}/affected-customers`, file))} />
        </div>
      )}
    </div>
  );
}

/** A text input that writes to the shared document when the member leaves it or presses Enter, not per keystroke. */
export function CommitInput({ label, value, disabled, onCommit, type = 'text', ...rest }: { label: string; value: string; disabled: boolean; onCommit: (value: string) => void; type?: string; inputMode?: 'decimal'; size?: number }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft !== null && draft !== value) onCommit(draft);
    setDraft(null);
  };
  // Read-only values are text, never a cramped greyed-out field.
  if (disabled) {
    return (
      <span className="cell-text" role="textbox" aria-readonly="true" aria-disabled="true" aria-label={label}>
        {value}
      </span>
    );
  }
  return (
    <input
      className="cell-input"
      aria-label={label}
      type={type}
      value={draft ?? value}
      disabled={disabled}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') setDraft(null);
      }}
      {...rest}
    />
  );
}

function TicketPicker({ tickets, customers, pending, onAdd }: { tickets: LinkedTicket[]; customers: AffectedCustomer[]; pending: boolean; onAdd: (ids: string[]) => void }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const inRoom = new Set(customers.flatMap((c) => c.ticketIds));
  const inRoomCustomers = new Set(customers.map((c) => c.customerId).filter(Boolean));
  return (
    <section className="subpanel" aria-label="Add from linked tickets">
      <h3>From the crisis’s tickets</h3>
      {tickets.length === 0 ? (
        <p className="muted small">No ticket is linked to this crisis yet. Tickets linked from the queue appear here.</p>
      ) : (
        <>
          <ul className="ticket-picker">
            {tickets.map((t) => {
              const added = inRoom.has(t.id) || inRoomCustomers.has(t.customerId);
              return (
                <li key={t.id}>
                  <label>
                    <input
                      type="checkbox"
                      disabled={added}
                      checked={selected.has(t.id)}
                      onChange={(e) => {
                        const next = new Set(selected);
                        if (e.target.checked) next.add(t.id);
                        else next.delete(t.id);
                        setSelected(next);
                      }}
                    />
                    <span>
                      <strong>{t.customerName}</strong> <span className="muted small">({t.channel})</span> — {t.subject}
                    </span>
                  </label>
                  {added ? (
                    <span className="muted small">in the room</span>
                  ) : (
                    <button type="button" className="icon-button" disabled={pending} onClick={() => onAdd([t.id])} aria-label={`Add ${t.customerName}`}>
                      Add
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
          <button
            type="button"
            className="button"
            disabled={pending || selected.size === 0}
            onClick={() => {
              onAdd([...selected]);
              setSelected(new Set());
            }}
          >
            Add {selected.size || ''} selected
          </button>
        </>
      )}
    </section>
  );
}

function ByHand({ pending, onAdd }: { pending: boolean; onAdd: (person: Record<string, string>) => void }) {
  return (
    <section className="subpanel" aria-label="Add a customer by hand">
      <h3>By hand</h3>
      <form
        className="stack"
        style={{ gap: '0.5rem' }}
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const person = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v).trim()]).filter(([, v]) => v));
          onAdd(person);
          event.currentTarget.reset();
        }}
      >
        <label className="field">
          Name
          <input name="name" required maxLength={200} />
        </label>
        <div className="form-row">
          <label className="field">
            Email
            <input name="email" type="email" maxLength={254} />
          </label>
          <label className="field">
            Phone (+country code)
            <input name="phone" maxLength={40} />
          </label>
          <label className="field">
            X handle
            <input name="x" maxLength={60} placeholder="@handle" />
          </label>
        </div>
        <label className="field">
          What happened
          <input name="whatHappened" maxLength={1000} />
        </label>
        <button className="button" type="submit" disabled={pending}>
          Add customer
        </button>
      </form>
    </section>
  );
}

/** Sends the chosen file to the import route as it is, streamed; the room shows the customers when they land. */
function CsvImport({ pending, onImport }: { pending: boolean; onImport: (file: File) => void }) {
  return (
    <section className="subpanel" aria-label="Import customers from CSV">
      <h3>CSV import</h3>
      <p className="muted small">
        Header row: <code>name, email, phone, x, instagram, facebook, what_happened</code>. A bad line imports nothing and is named.
      </p>
      <label className="field">
        CSV file
        <input
          type="file"
          accept=".csv,text/csv"
          disabled={pending}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) onImport(file);
            e.target.value = '';
          }}
        />
      </label>
    </section>
  );
}
