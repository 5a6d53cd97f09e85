import { randomUUID } from 'node:crypto';

/**
 * A time-ordered UUID (RFC 9562 version 7: 48 bits of Unix milliseconds, then 74 random bits). Rows written together
 * get neighbouring ids, so a storm's inserts append to the end of each id index instead of touching a random page of
 * it per row (and, after each checkpoint, logging that whole page again).
 */
export function uuidv7(ms: number = Date.now()): string {
  if (ms !== last.ms) {
    const time = ms.toString(16).padStart(12, '0');
    last.ms = ms;
    last.prefix = `${time.slice(0, 8)}-${time.slice(8, 12)}-7`;
  }
  // randomUUID() is "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" with the variant bits already set; keep its random tail.
  return last.prefix + randomUUID().slice(15);
}

// Thousands of ids are made in the same millisecond: their common prefix is built once.
const last = { ms: -1, prefix: '' };
