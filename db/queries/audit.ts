import { desc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { auditLog } from '@/db/schema';

/** The latest audit rows of one organization. */
export function listAudit(db: Db, organizationId: string, limit = 200) {
  return db.select().from(auditLog).where(eq(auditLog.organizationId, organizationId)).orderBy(desc(auditLog.id)).limit(limit);
}
