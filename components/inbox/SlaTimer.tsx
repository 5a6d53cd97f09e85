'use client';

import { useEffect, useState } from 'react';

/** How a first-response target stands: answered, time left, nearly due, or overdue. */
export function slaState(dueAt: number, now: number, respondedAt: number | null): { tone: 'done' | 'ok' | 'near' | 'over'; label: string } {
  if (respondedAt !== null) return { tone: 'done', label: respondedAt <= dueAt ? 'Answered in time' : 'Answered late' };
  const left = dueAt - now;
  const minutes = Math.round(Math.abs(left) / 60_000);
  const span = minutes >= 120 ? `${Math.round(minutes / 60)} h` : `${minutes} min`;
  if (left < 0) return { tone: 'over', label: `${span} overdue` };
  return { tone: left <= 15 * 60_000 ? 'near' : 'ok', label: `${span} left` };
}

/** A ticket's first-response timer, ticking in the browser; red when near or past its target. */
export function SlaTimer({ dueAt, respondedAt, serverNow }: { dueAt: string; respondedAt: string | null; serverNow: number }) {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, 15_000);
    return () => clearInterval(timer);
  }, []);
  const state = slaState(Date.parse(dueAt), now, respondedAt ? Date.parse(respondedAt) : null);
  return (
    <span className={`sla sla-${state.tone}`} data-testid="sla" data-tone={state.tone} title={`First response due ${dueAt.slice(0, 16).replace('T', ' ')} UTC`}>
      {state.label}
    </span>
  );
}
