import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { detectionTerms } from '@/db/schema';
import type { LearnedTerms } from './emerging-terms';

// The row of the complaint totals: the empty string is never a term (normaliseTerm drops it).
const TOTALS_TERM = '';
const ROWS_PER_STATEMENT = 500;

/** What an organization's emerging-term finder had learned when it was last saved; null when nothing was. */
export async function loadLearnedTerms(db: Db, organizationId: string): Promise<LearnedTerms | null> {
  const rows = await db
    .select({ term: detectionTerms.term, recent: detectionTerms.recent, baseline: detectionTerms.baseline, lastSeenAt: detectionTerms.lastSeenAt, flagged: detectionTerms.flagged })
    .from(detectionTerms)
    .where(eq(detectionTerms.organizationId, organizationId));
  const totals = rows.find((r) => r.term === TOTALS_TERM);
  if (!totals) return null;
  return {
    recentComplaints: totals.recent,
    baselineComplaints: totals.baseline,
    lastMs: totals.lastSeenAt.getTime(),
    terms: rows.filter((r) => r.term !== TOTALS_TERM).map((r) => ({ term: r.term, recent: r.recent, baseline: r.baseline, lastMs: r.lastSeenAt.getTime(), flagged: r.flagged })),
  };
}

/** Saves what changed since the last save (`EmergingTerms.takeChanges`): a few statements, however many complaints came. */
export async function saveTermChanges(db: Db, organizationId: string, changes: LearnedTerms & { forgotten: string[] }): Promise<void> {
  if (!Number.isFinite(changes.lastMs)) return;
  const updatedAt = new Date();
  const rows = [
    { organizationId, term: TOTALS_TERM, recent: changes.recentComplaints, baseline: changes.baselineComplaints, lastSeenAt: new Date(changes.lastMs), flagged: false, updatedAt },
    ...changes.terms.map((t) => ({ organizationId, term: t.term, recent: t.recent, baseline: t.baseline, lastSeenAt: new Date(t.lastMs), flagged: t.flagged, updatedAt })),
  ];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    await db
      .insert(detectionTerms)
      .values(rows.slice(i, i + ROWS_PER_STATEMENT))
      .onConflictDoUpdate({
        target: [detectionTerms.organizationId, detectionTerms.term],
        set: { recent: sql`excluded.recent`, baseline: sql`excluded.baseline`, lastSeenAt: sql`excluded.last_seen_at`, flagged: sql`excluded.flagged`, updatedAt: sql`excluded.updated_at` },
      });
  }
  for (let i = 0; i < changes.forgotten.length; i += ROWS_PER_STATEMENT) {
    await db.delete(detectionTerms).where(and(eq(detectionTerms.organizationId, organizationId), inArray(detectionTerms.term, changes.forgotten.slice(i, i + ROWS_PER_STATEMENT))));
  }
}
