import { EventEmitter } from 'node:events';

/** Events that cross from app code (server actions, routes) to the long-lived parts of the process (room server). */
export interface DomainEvents {
  'member.changed': { organizationId: string; memberId: string; userId: string };
}

const KEY = Symbol.for('stormdesk.events');
type Holder = { [KEY]?: EventEmitter };

/** The process-wide event bus; shared through globalThis because Next.js bundles its own copy of lib/. */
function bus(): EventEmitter {
  const holder = globalThis as Holder;
  holder[KEY] ??= new EventEmitter().setMaxListeners(100);
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
