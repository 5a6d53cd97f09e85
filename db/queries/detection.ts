import { and, asc, eq, gte, max } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { detectionBuckets } from '@/db/schema';

export type DetectionBucketRow = typeof detectionBuckets.$inferSelect;

/** Start of the newest closed bucket of an organization, or null before any traffic. */
export async function latestBucketStart(db: Db, organizationId: string): Promise<Date | null> {
  const [row] = await db.select({ latest: max(detectionBuckets.bucketStart) }).from(detectionBuckets).where(eq(detectionBuckets.organizationId, organizationId));
  return row?.latest ? new Date(row.latest) : null;
}

/** Every closed bucket of every series of an organization since `since`, oldest first. */
export function bucketsSince(db: Db, organizationId: string, since: Date): Promise<DetectionBucketRow[]> {
  return db
    .select()
    .from(detectionBuckets)
    .where(and(eq(detectionBuckets.organizationId, organizationId), gte(detectionBuckets.bucketStart, since)))
    .orderBy(asc(detectionBuckets.bucketStart));
}
