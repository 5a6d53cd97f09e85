import type { Db } from '@/db/client';
import type { Role } from '@/db/schema';

/** Who is acting: a signed-in member, the system itself, or an outside caller identified by a key. */
export type Actor =
  | { type: 'member'; memberId: string; userId: string; role: Role; name: string; email: string }
  | { type: 'system'; reason: string }
  | { type: 'api-key'; keyId: string };

/** What every domain verb receives: the organization it acts in, who acts, and the database (or the caller's transaction). */
export interface Ctx {
  db: Db;
  organizationId: string;
  actor: Actor;
}

/** A short, stable label for audit rows and timelines. */
export function actorLabel(actor: Actor): string {
  switch (actor.type) {
    case 'member':
      return `member:${actor.memberId}`;
    case 'system':
      return `system:${actor.reason}`;
    case 'api-key':
      return `api-key:${actor.keyId}`;
    default: {
      const never: never = actor;
      throw new Error(`Unhandled actor ${String(never)}`);
    }
  }
}

/** Runs `fn` in the caller's transaction when `ctx.db` is one already, else in a new one. */
export async function inTransaction<T>(ctx: Ctx, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  if (isTransaction(ctx.db)) return fn(ctx);
  return ctx.db.transaction((tx) => fn({ ...ctx, db: tx as unknown as Db }));
}

function isTransaction(db: Db): boolean {
  // drizzle transactions expose `rollback`; the root database does not.
  return typeof (db as unknown as { rollback?: unknown }).rollback === 'function';
}
