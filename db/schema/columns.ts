import { customType, timestamp } from 'drizzle-orm/pg-core';

/** Binary column (drizzle 0.45 has no bytea type). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => new Uint8Array(value),
});

/** `created_at timestamptz not null default now()`. */
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** A nullable timestamptz column. */
export const at = (name: string) => timestamp(name, { withTimezone: true });
