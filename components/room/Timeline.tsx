'use client';

import { formatTime, useNow } from './useDocValue';

const icons: Record<string, string> = {
  'crisis.open': '⚑',
  'crisis.status': '◆',
  'room.join': '→',
  'checklist.done': '✓',
  'checklist.reopen': '↺',
  'checklist.add': '+',
  'customers.add': '+',
  'customer.state': '☎',
  'compensation.approve': '$',
  'compensation.paid': '$',
  'crisis.budget': '$',
};

/** The crisis timeline, newest first: append-only, written by the server with each change. */
export function Timeline({ events }: { events: { id: number; at: string; kind: string; summary: string }[] }) {
  const now = useNow(30_000);
  return (
    <ol className="timeline" aria-label="Timeline">
      {[...events].reverse().map((e) => (
        <li key={e.id} className={`timeline-${e.kind.replace('.', '-')}`}>
          <span className="timeline-icon" aria-hidden>
            {icons[e.kind] ?? '•'}
          </span>
          <time dateTime={e.at}>{now ? formatTime(e.at, now) : ''}</time>
          <span>{e.summary}</span>
        </li>
      ))}
    </ol>
  );
}
