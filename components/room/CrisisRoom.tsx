'use client';

import type { ReactNode } from 'react';
import type * as Y from 'yjs';
import { ConnectionStatus, Presence, RoomEditor } from '@/components/collab/CollabEditor';
import { colorFor, useRoom } from '@/components/collab/useRoom';
import { crisisDocumentName, readChecklist } from '@/lib/collab/crisis-doc';
import { type LinkedTicket, AffectedCustomers } from './AffectedCustomers';
import { Checklist } from './Checklist';
import { Compensation } from './Compensation';
import { formatDuration, formatTime, useDocValue, useNow } from './useDocValue';
import './room.css';

const sections = { plan: 'Response plan', checklist: 'Checklist', customers: 'Affected customers', compensation: 'Compensation', timeline: 'Timeline' } as const;
type Section = keyof typeof sections;

export interface CrisisRoomProps {
  crisis: { id: string; openedAt: string; currency: string; budgetCents: number | null; resolved: boolean };
  me: { userId: string; memberId: string; name: string };
  rights: { edit: boolean; plan: boolean; approve: boolean };
  readOnlyReason: string | null;
  tickets: LinkedTicket[];
  members: { memberId: string; name: string }[];
  timeline: ReactNode;
}

/** The crisis room: one websocket for the whole page (plan, checklist, customers, compensation), presence and connection state. */
export function CrisisRoom({ crisis, me, rights, readOnlyReason, tickets, members, timeline }: CrisisRoomProps) {
  const user = { id: me.userId, name: me.name, color: colorFor(me.userId) };
  const { room, status, refusal, peers, setFocus } = useRoom(crisisDocumentName(crisis.id), user);
  const doc = room?.doc;
  const section = (id: Section, body: ReactNode, extra?: ReactNode) => {
    const here = peers.filter((p) => !p.self && p.focus === id);
    return (
      <section className={`panel room-section room-${id}`} aria-labelledby={`h-${id}`} onFocusCapture={() => setFocus(id)} onPointerEnter={() => setFocus(id)}>
        <div className="section-head">
          <h2 id={`h-${id}`}>{sections[id]}</h2>
          <div className="section-peers" aria-label={`Looking at ${sections[id]}`}>
            {here.map((p) => (
              <span key={p.id} className="peer-dot" style={{ background: p.color }} title={`${p.name} is here`}>
                {p.name.split(' ')[0]}
              </span>
            ))}
          </div>
          {extra}
        </div>
        {body}
      </section>
    );
  };
  return (
    <div className="room">
      <div className={`room-bar room-bar-${status}`}>
        <ConnectionStatus status={status} />
        <Presence peers={peers} labels={sections} />
      </div>
      {status === 'disconnected' && (
        <div className="alert alert-warn" role="alert">
          Connection lost. Keep working: your edits are saved on this device and sent as soon as the connection returns.
        </div>
      )}
      {refusal && (
        <div role="alert" className="alert alert-error">
          {refusal}
        </div>
      )}
      {readOnlyReason && <div className="alert alert-warn">{readOnlyReason}</div>}
      <AckClock doc={doc} openedAt={crisis.openedAt} resolved={crisis.resolved} />
      <div className="room-grid">
        <div className="room-main">
          {section('checklist', <Checklist doc={doc} canEdit={rights.edit} me={{ memberId: me.memberId, name: me.name }} members={members} resolved={crisis.resolved} />)}
          {section(
            'plan',
            room ? (
              <RoomEditor key={room.doc.guid} room={room} field="plan" user={user} readOnly={!rights.plan} label="Response plan" members={members.map((m) => ({ id: m.memberId, name: m.name }))} />
            ) : (
              <div className="editor" />
            ),
          )}
          {section('customers', <AffectedCustomers doc={doc} crisisId={crisis.id} canEdit={rights.edit} tickets={tickets} />)}
          {section('compensation', <Compensation doc={doc} crisisId={crisis.id} currency={crisis.currency} budgetCents={crisis.budgetCents} canPropose={rights.edit} canApprove={rights.approve} />)}
        </div>
        <aside className="room-side">{section('timeline', timeline)}</aside>
      </div>
    </div>
  );
}

/** Time since the crisis opened against the one-hour expectation for a public acknowledgement. */
function AckClock({ doc, openedAt, resolved }: { doc: Y.Doc | undefined; openedAt: string; resolved: boolean }) {
  const items = useDocValue(doc, readChecklist, []);
  const now = useNow(10_000);
  const ack = items.find((i) => /acknowledge/i.test(i.text));
  const opened = new Date(openedAt);
  if (!now) return <div className="ack ack-pending" data-testid="ack-clock" />;
  const elapsed = now.getTime() - opened.getTime();
  const deadline = opened.getTime() + 60 * 60_000;
  if (ack?.doneAt) {
    const took = new Date(ack.doneAt).getTime() - opened.getTime();
    return (
      <div className={`ack ${took <= 60 * 60_000 ? 'ack-ok' : 'ack-late'}`} data-testid="ack-clock">
        <strong>Acknowledged publicly</strong> at {formatTime(ack.doneAt, now)} by {ack.doneBy} — {formatDuration(took)} after the crisis opened
        {took <= 60 * 60_000 ? ', within the hour.' : ', later than the one-hour expectation.'} Open for {formatDuration(elapsed)}.
      </div>
    );
  }
  if (resolved) return null;
  const left = deadline - now.getTime();
  return (
    <div className={`ack ${left < 0 ? 'ack-late' : left < 15 * 60_000 ? 'ack-soon' : 'ack-pending'}`} data-testid="ack-clock">
      Open for <strong>{formatDuration(elapsed)}</strong>.{' '}
      {left < 0 ? (
        <strong>Public acknowledgement is OVERDUE by {formatDuration(-left)}: customers expect an answer within the hour.</strong>
      ) : (
        <>
          Acknowledge publicly within <strong>{formatDuration(left)}</strong> (by {formatTime(new Date(deadline), now)}).
        </>
      )}
    </div>
  );
}
