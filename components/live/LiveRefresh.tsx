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
    const source = new EventSource('/api/stream');
    source.addEventListener('changed', (event) => {
      const { topic } = JSON.parse((event as MessageEvent<string>).data) as { topic: string };
      if (!wanted.some((prefix) => topic.startsWith(prefix))) return;
      pending.current ??= setTimeout(() => {
        pending.current = null;
        router.refresh();
      }, 250);
    });
    return () => {
      source.close();
      if (pending.current) clearTimeout(pending.current);
    };
  }, [key, router]);
  return null;
}
