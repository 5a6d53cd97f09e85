import { EventEmitter } from 'node:events';

/** A mention as the detectors see it, right after it was stored. */
export interface IngestedMention {
  id: string;
  channel: string;
  occurredAt: Date;
  category: 'complaint' | 'question' | 'praise' | 'other';
  topicTerms: string[];
  hashtags: string[];
  text: string;
  isPublic: boolean;
  promoted: boolean;
  metrics: { impressions?: number; likes?: number; reposts?: number; replies?: number } | null;
  authorHandle: string | null;
  authorFollowers: number | null;
  customerId: string | null;
  ticketId: string | null;
}

/** Events that cross from one part of the process to another (ingest → detection, actions → room server, anything → live pages). */
export interface DomainEvents {
  'member.changed': { organizationId: string; memberId: string; userId: string };
  'mentions.ingested': { organizationId: string; mentions: IngestedMention[] };
  /** Id-only Instagram mentions were queued for fetching from the Graph API (the fetch worker wakes up). */
  'mentions.fetchQueued': { organizationId: string };
  /** Something members' pages show changed; `topic` says what (`queue`, `crises`, `crisis:<id>`, `alerts`, `notifications`). */
  'live.changed': { organizationId: string; topic: string; memberIds?: string[] };
}

const KEY = Symbol.for('stormdesk.events');
type Holder = { [KEY]?: EventEmitter };

/** The process-wide event bus; shared through globalThis because Next.js bundles its own copy of lib/. */
function bus(): EventEmitter {
  const holder = globalThis as Holder;
  holder[KEY] ??= new EventEmitter().setMaxListeners(1000);
  return holder[KEY];
}

/** Publishes a domain event to this process's listeners. Call it after the transaction that caused it commits. */
export function publish<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void {
  bus().emit(name, payload);
}

/** Subscribes to a domain event; returns the unsubscribe function. */
export function subscribe<K extends keyof DomainEvents>(name: K, listener: (payload: DomainEvents[K]) => void): () => void {
  bus().on(name, listener);
  return () => bus().off(name, listener);
}
