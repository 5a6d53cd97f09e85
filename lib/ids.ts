import { randomUUID } from 'node:crypto';

/**
 * A time-ordered UUID (RFC 9562 version 7: 48 bits of Unix milliseconds, then 74 random bits). Rows written together
 * get neighbouring ids, so a storm's inserts append to the end of each id index instead of touching a random page of
 * it per row (and, after each checkpoint, logging that whole page again).
 */
export function uuidv7(ms: number = Date.now()): string {
  const time = ms.toString(16).padStart(12, '0');
  // randomUUID() is "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" with the variant bits already set; keep its random tail.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
