'use client';

import { useState } from 'react';
import type * as Y from 'yjs';
import { roles } from '@/db/schema';
import { type ChecklistItem, addChecklistItem, moveChecklistItem, readChecklist, setChecklistDone, updateChecklistItem } from '@/lib/collab/crisis-doc';
import { formatDuration, formatTime, useDocValue, useNow } from './useDocValue';

interface Props {
  doc: Y.Doc | undefined;
  canEdit: boolean;
  me: { memberId: string; name: string };
  members: { memberId: string; name: string }[];
  /** A resolved crisis has no deadlines left to chase. */
  resolved: boolean;
}

function dueState(item: ChecklistItem, now: Date | null, resolved: boolean): { label: string; tone: 'done' | 'overdue' | 'soon' | 'later' } {
  if (item.doneAt) return { label: `Done by ${item.doneBy ?? 'someone'} at ${formatTime(item.doneAt, now)}`, tone: 'done' };
  if (resolved) return { label: 'Not done when the crisis was resolved', tone: 'later' };
  if (!item.dueAt || !now) return { label: item.dueAt ? `Due ${formatTime(item.dueAt, now)}` : 'No due time', tone: 'later' };
  const left = new Date(item.dueAt).getTime() - now.getTime();
  if (left < 0) return { label: `OVERDUE by ${formatDuration(-left)} (due ${formatTime(item.dueAt, now)})`, tone: 'overdue' };
  return { label: `Due in ${formatDuration(left)} (${formatTime(item.dueAt, now)})`, tone: left < 15 * 60_000 ? 'soon' : 'later' };
}

/** The protocol checklist: tick, edit, reorder (by order key), add; overdue items stand out. */
export function Checklist({ doc, canEdit, me, members, resolved }: Props) {
  const items = useDocValue(doc, readChecklist, []);
  const now = useNow();
  const [editing, setEditing] = useState<string | null>(null);
  const done = items.filter((i) => i.doneAt).length;
  const overdue = items.filter((i) => dueState(i, now, resolved).tone === 'overdue').length;
  return (
    <div className="stack" style={{ gap: '0.5rem' }}>
      <p className="muted" style={{ margin: 0 }} data-testid="checklist-summary">
        {done} of {items.length} done{overdue > 0 && <strong className="overdue-text"> · {overdue} overdue</strong>}
      </p>
      <ol className="checklist" aria-label="Protocol checklist">
        {items.map((item, index) => {
          const due = dueState(item, now, resolved);
          return (
            <li key={item.id} className={`checklist-item checklist-${due.tone}`} data-testid="checklist-item" data-item-id={item.id}>
              <input
                type="checkbox"
                aria-label={item.text}
                checked={!!item.doneAt}
                disabled={!canEdit || !doc}
                onChange={(event) => doc && setChecklistDone(doc, item.id, event.target.checked ? me : null)}
              />
              <div className="checklist-body">
                {editing === item.id && doc ? (
                  <ItemEditor
                    item={item}
                    members={members}
                    onDone={(patch) => {
                      if (patch) updateChecklistItem(doc, item.id, patch);
                      setEditing(null);
                    }}
                  />
                ) : (
                  <>
                    <span className="checklist-text">{item.text}</span>
                    <span className="checklist-meta">
                      <span className={`due due-${due.tone}`}>{due.label}</span>
                      <span> · Owner: {item.ownerName ?? (item.ownerRole ? `a ${item.ownerRole}` : 'nobody yet')}</span>
                    </span>
                  </>
                )}
              </div>
              {canEdit && doc && editing !== item.id && (
                <div className="checklist-actions">
                  <button type="button" className="icon-button" aria-label={`Move “${item.text}” up`} disabled={index === 0} onClick={() => moveChecklistItem(doc, item.id, index - 1)}>
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Move “${item.text}” down`}
                    disabled={index === items.length - 1}
                    onClick={() => moveChecklistItem(doc, item.id, index + 1)}
                  >
                    ↓
                  </button>
                  <button type="button" className="icon-button" aria-label={`Edit “${item.text}”`} onClick={() => setEditing(item.id)}>
                    Edit
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {canEdit && doc && <AddItem doc={doc} />}
    </div>
  );
}

function ItemEditor({ item, members, onDone }: { item: ChecklistItem; members: { memberId: string; name: string }[]; onDone: (patch: Parameters<typeof updateChecklistItem>[2] | null) => void }) {
  const [text, setText] = useState(item.text);
  const [owner, setOwner] = useState(item.ownerName ? `member:${item.ownerName}` : item.ownerRole ? `role:${item.ownerRole}` : '');
  const [due, setDue] = useState(item.dueAt ? toLocalInput(item.dueAt) : '');
  return (
    <form
      className="form-row"
      onSubmit={(event) => {
        event.preventDefault();
        const [kind, value] = owner.split(/:(.*)/);
        onDone({
          text: text.trim() || item.text,
          ownerName: kind === 'member' ? value! : null,
          ownerRole: kind === 'role' ? (value as ChecklistItem['ownerRole']) : kind === 'member' ? item.ownerRole : null,
          dueAt: due ? new Date(due).toISOString() : null,
        });
      }}
    >
      <label className="field" style={{ flex: '2 1 240px' }}>
        Step
        <input value={text} onChange={(e) => setText(e.target.value)} maxLength={300} autoFocus />
      </label>
      <label className="field">
        Owner
        <select value={owner} onChange={(e) => setOwner(e.target.value)}>
          <option value="">nobody yet</option>
          {roles.map((r) => (
            <option key={r} value={`role:${r}`}>
              any {r}
            </option>
          ))}
          {members.map((m) => (
            <option key={m.memberId} value={`member:${m.name}`}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Due
        <input type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} />
      </label>
      <button className="button" type="submit">
        Save
      </button>
      <button className="button button-quiet" type="button" onClick={() => onDone(null)}>
        Cancel
      </button>
    </form>
  );
}

function toLocalInput(iso: string): string {
  const date = new Date(iso);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function AddItem({ doc }: { doc: Y.Doc }) {
  const [text, setText] = useState('');
  const [minutes, setMinutes] = useState('60');
  return (
    <form
      className="form-row"
      aria-label="Add a checklist step"
      onSubmit={(event) => {
        event.preventDefault();
        if (!text.trim()) return;
        const dueAt = minutes ? new Date(Date.now() + Number(minutes) * 60_000).toISOString() : null;
        addChecklistItem(doc, { id: crypto.randomUUID(), text: text.trim(), dueAt });
        setText('');
      }}
    >
      <label className="field" style={{ flex: '2 1 260px' }}>
        New step
        <input value={text} onChange={(e) => setText(e.target.value)} maxLength={300} placeholder="Call the airport station manager" />
      </label>
      <label className="field">
        Due in
        <select value={minutes} onChange={(e) => setMinutes(e.target.value)}>
          <option value="15">15 min</option>
          <option value="30">30 min</option>
          <option value="60">1 hour</option>
          <option value="180">3 hours</option>
          <option value="1440">1 day</option>
          <option value="">no due time</option>
        </select>
      </label>
      <button className="button" type="submit">
        Add step
      </button>
    </form>
  );
}
