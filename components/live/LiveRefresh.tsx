'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';

/**
 * Re-renders the current server page when the server says one of `topics` changed (a prefix match, e.g. `crisis:`),
 * so queues, dashboards and timelines stay live without reloading. Bursts are coalesced into one refresh.
 */
export function LiveRefresh({ topics }: { topics: string[] }) {
  const router = useRouter();
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const key = topics.join('|');
  useEffect(() => {
    const wanted = key.split('|');
    let missed = false;
    // Offline, a refresh's fetch fails and Next.js falls back to a full page load: the browser's offline page
    // instead of the room someone is typing in. Wait for the network, then refresh once.
    const refresh = () => {
      if (!navigator.onLine) {
        missed = true;
        return;
      }
      router.refresh();
    };
    const onOnline = () => {
      if (!missed) return;
      missed = false;
      router.refresh();
    };
    const source = new EventSource('/api/stream');
    source.addEventListener('changed', (event) => {
      const { topic } = JSON.parse((event as MessageEvent<string>).data) as { topic: string };
      if (!wanted.some((prefix) => topic.startsWith(prefix))) return;
      pending.current ??= setTimeout(() => {
        pending.current = null;
        refresh();
      }, 250);
    });
    window.addEventListener('online', onOnline);
    return () => {
      source.close();
      window.removeEventListener('online', onOnline);
      if (pending.current) clearTimeout(pending.current);
    };
  }, [key, router]);
  return null;
}
