import type { IngestedMention } from '@/lib/events';

/** A uuid-shaped id from the seeded generator, so replays of one seed are identical. */
export function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A simulated complaint as detection sees it, by an anonymous customer with a small audience. */
export function syntheticComplaint(random: () => number, atMs: number, channel: string, topicTerms: string[] = [], text = ''): IngestedMention {
  return {
    id: seededUuid(random),
    channel,
    occurredAt: new Date(atMs),
    category: 'complaint',
    topicTerms,
    hashtags: topicTerms.filter((t) => t.startsWith('#')).map((t) => t.slice(1)),
    text,
    isPublic: channel === 'x' || channel === 'facebook' || channel === 'instagram',
    promoted: false,
    metrics: null,
    authorHandle: `@customer${Math.floor(random() * 100_000)}`,
    authorFollowers: Math.floor(random() * 800),
    customerId: null,
    ticketId: null,
  };
}
