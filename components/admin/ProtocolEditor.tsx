'use client';

import { useActionState, useState } from 'react';
import type { ProtocolFormState } from '@/app/(app)/admin/protocols/actions';
import { roles, type Role } from '@/db/schema';
import { ActionResultMessage } from '@/components/ui/ActionResultMessage';

type Unit = 'minutes' | 'hours' | 'days';
type Row = { key: number; text: string; ownerRole: Role; due: number; unit: Unit };
const unitMinutes: Record<Unit, number> = { minutes: 1, hours: 60, days: 1440 };

export interface EditableProtocol {
  id?: string;
  name: string;
  description: string;
  matchTopics: string[];
  items: { text: string; ownerRole: Role; dueOffsetMinutes: number }[];
}

function toRow(item: EditableProtocol['items'][number], key: number): Row {
  const unit: Unit = item.dueOffsetMinutes % 1440 === 0 && item.dueOffsetMinutes > 0 ? 'days' : item.dueOffsetMinutes % 60 === 0 && item.dueOffsetMinutes > 0 ? 'hours' : 'minutes';
  return { key, text: item.text, ownerRole: item.ownerRole, due: item.dueOffsetMinutes / unitMinutes[unit], unit };
}

/** Edits one protocol template: name, topics it fits, and checklist items with owner role and due time. */
export function ProtocolEditor({ protocol, action, submitLabel }: { protocol: EditableProtocol; action: (state: ProtocolFormState, form: FormData) => Promise<ProtocolFormState>; submitLabel: string }) {
  const [state, formAction, pending] = useActionState(action, null);
  const [name, setName] = useState(protocol.name);
  const [description, setDescription] = useState(protocol.description);
  const [topics, setTopics] = useState(protocol.matchTopics.join(', '));
  const [rows, setRows] = useState<Row[]>(protocol.items.map(toRow));
  const [nextKey, setNextKey] = useState(protocol.items.length);
  const update = (key: number, patch: Partial<Row>) => setRows((all) => all.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const payload = JSON.stringify({
    ...(protocol.id ? { id: protocol.id } : {}),
    name,
    description,
    matchTopics: topics.split(',').map((t) => t.trim()).filter((t) => t !== ''),
    items: rows.map((r) => ({ text: r.text, ownerRole: r.ownerRole, dueOffsetMinutes: Math.round(r.due * unitMinutes[r.unit]) })),
  });
  return (
    <form action={formAction} className="stack" aria-label={protocol.id ? `Edit ${protocol.name}` : 'New protocol'}>
      <input type="hidden" name="payload" value={payload} />
      <ActionResultMessage
        state={state}
        success={(data) => (
          <>
            Saved “{data.name}”. New rooms use it; open rooms keep their checklist.
          </>
        )}
      />
      <div className="form-row">
        <label className="field" style={{ flex: '1 1 240px' }}>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required minLength={3} maxLength={120} />
        </label>
        <label className="field" style={{ flex: '1 1 240px' }}>
          Fits topics (comma-separated; empty = default protocol)
          <input value={topics} onChange={(e) => setTopics(e.target.value)} placeholder="#lostluggage, lost bag" />
        </label>
      </div>
      <label className="field">
        When to use it
        <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} />
      </label>
      <table className="table" aria-label="Checklist items">
        <thead>
          <tr>
            <th>Checklist item</th>
            <th>Owner</th>
            <th>Due after opening</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.key}>
              <td style={{ width: '55%' }}>
                <input aria-label={`Item ${i + 1}`} value={r.text} onChange={(e) => update(r.key, { text: e.target.value })} style={{ width: '100%', font: 'inherit', padding: '0.35rem' }} />
              </td>
              <td>
                <select aria-label={`Owner of item ${i + 1}`} value={r.ownerRole} onChange={(e) => update(r.key, { ownerRole: e.target.value as Role })}>
                  {roles.map((role) => (
                    <option key={role} value={role}>
                      {role}
                    </option>
                  ))}
                </select>
              </td>
              <td style={{ whiteSpace: 'nowrap' }}>
                <input aria-label={`Due of item ${i + 1}`} type="number" min={0} value={r.due} onChange={(e) => update(r.key, { due: Number(e.target.value) })} style={{ width: '5rem', font: 'inherit', padding: '0.3rem' }} />{' '}
                <select aria-label={`Due unit of item ${i + 1}`} value={r.unit} onChange={(e) => update(r.key, { unit: e.target.value as Unit })}>
                  <option value="minutes">minutes</option>
                  <option value="hours">hours</option>
                  <option value="days">days</option>
                </select>
              </td>
              <td>
                <button type="button" className="button button-quiet" onClick={() => setRows((all) => all.filter((x) => x.key !== r.key))} aria-label={`Remove item ${i + 1}`}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-row">
        <button
          type="button"
          className="button button-quiet"
          onClick={() => {
            setRows((all) => [...all, { key: nextKey, text: '', ownerRole: 'lead', due: 1, unit: 'hours' }]);
            setNextKey((k) => k + 1);
          }}
        >
          Add item
        </button>
        <button className="button" type="submit" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
