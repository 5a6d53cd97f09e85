import type { DetectionBucketRow } from '@/db/queries/detection';

/** One minute of the all-complaints series: what came, what was expected, and the expected band. */
export type BandPoint = { t: number; observed: number; expected: number | null; band: [number, number] | null };
/** One minute of several series side by side (channels, topics). */
export type MultiPoint = { t: number } & Record<string, number>;
export type AlertMark = { t: number; label: string; kind: string };

export interface DashboardCharts {
  overall: BandPoint[];
  channels: { names: string[]; points: MultiPoint[] };
  topics: { names: string[]; points: MultiPoint[] };
}

const TOP_TOPICS = 5;

/**
 * Shapes stored buckets into chart series over [fromMs, toMs): minutes without a row count zero (a missing row is a
 * minute without complaints); topics are the few with the most complaints in the window.
 */
export function dashboardCharts(rows: readonly DetectionBucketRow[], fromMs: number, toMs: number, bucketMs = 60_000): DashboardCharts {
  const times: number[] = [];
  for (let t = Math.ceil(fromMs / bucketMs) * bucketMs; t < toMs; t += bucketMs) times.push(t);
  const bySeries = new Map<string, Map<number, DetectionBucketRow>>();
  for (const row of rows) {
    let series = bySeries.get(row.seriesKey);
    if (!series) bySeries.set(row.seriesKey, (series = new Map()));
    series.set(row.bucketStart.getTime(), row);
  }
  const all = bySeries.get('all') ?? new Map<number, DetectionBucketRow>();
  const overall = times.map((t): BandPoint => {
    const row = all.get(t);
    return { t, observed: row?.observed ?? 0, expected: row ? round(row.expected) : null, band: row ? [round(row.expected), round(row.upper)] : null };
  });
  const pick = (prefix: string, limit: number) =>
    [...bySeries.keys()]
      .filter((key) => key.startsWith(prefix))
      .map((key) => ({ key, total: [...bySeries.get(key)!.values()].reduce((sum, r) => sum + r.observed, 0) }))
      .filter((s) => s.total > 0)
      .sort((a, b) => b.total - a.total || a.key.localeCompare(b.key))
      .slice(0, limit)
      .map((s) => s.key);
  const multi = (keys: string[], prefix: string) => ({
    names: keys.map((k) => k.slice(prefix.length)),
    points: times.map((t) => {
      const point: MultiPoint = { t } as MultiPoint;
      for (const key of keys) (point as Record<string, number>)[key.slice(prefix.length)] = bySeries.get(key)!.get(t)?.observed ?? 0;
      return point;
    }),
  });
  return { overall, channels: multi(pick('channel:', 8), 'channel:'), topics: multi(pick('topic:', TOP_TOPICS), 'topic:') };
}

const round = (x: number) => Math.round(x * 100) / 100;
