'use client';

import { useEffect, useState } from 'react';
import type * as Y from 'yjs';

/** A plain snapshot of part of a Yjs document, re-read on every update (`read` must be a stable function). */
export function useDocValue<T>(doc: Y.Doc | undefined, read: (doc: Y.Doc) => T, fallback: T): T {
  const [value, setValue] = useState<T>(fallback);
  useEffect(() => {
    if (!doc) return;
    const update = () => setValue(read(doc));
    // The document is an outside store; its first read and every update are published to render.
    update();
    doc.on('update', update);
    return () => doc.off('update', update);
  }, [doc, read]);
  return value;
}

/** The current time, ticking every `intervalMs`; null during server rendering and hydration (no mismatch). */
export function useNow(intervalMs = 15_000): Date | null {
  const [now, setNow] = useState<Date | null>(null);
  useEffect(() => {
    // The clock is an outside system read after hydration on purpose: rendering it on the server would mismatch.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** "12 min", "3 h 05 min", "2 d 4 h": a duration a person reads at a glance. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** A time of day (and the date when not today), in the viewer's time zone. */
export function formatTime(iso: string | Date, now: Date | null): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (now && date.toDateString() === now.toDateString()) return time;
  return `${date.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time}`;
}

/** Money in minor units, e.g. "$120.00". */
export function money(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}
