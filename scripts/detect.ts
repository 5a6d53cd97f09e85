// Runs the spike detector over `timestamp,value` CSV files and prints one JSON line per alert.
// Usage: npm run --silent detect -- FILE.csv [FILE.csv ...]
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { SpikeDetector, type SpikeDetectorOptions } from '@/lib/detection/spike-detector';

export type CountSeries = {
  file: string;
  /** Timestamps exactly as written in the file, for echoing them back. */
  labels: string[];
  times: number[];
  counts: number[];
};

export type DetectedSpike = { file: string; timestamp: string; score: number; observed: number; expected: number };

export class CsvError extends Error {
  override name = 'CsvError';
}

const NAIVE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;

/** Parses a timestamp the way NAB writes it (`2015-02-26 21:42:53`, UTC) or any ISO 8601 time with a zone. */
export function parseTimestamp(text: string): number {
  const naive = NAIVE_TIME.exec(text);
  if (naive) {
    const [, y, mo, d, h, mi, s, fraction] = naive;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), Math.round(Number(fraction ?? 0) * 1000));
    const back = new Date(ms);
    // Date.UTC rolls 2015-02-30 over to March; a calendar date that does not exist is a malformed row.
    if (back.getUTCDate() === Number(d) && back.getUTCHours() === Number(h)) return ms;
    return Number.NaN;
  }
  return /\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text) ? Date.parse(text) : Number.NaN;
}

/** Reads a `timestamp,value` CSV with a header into a series sorted by time; throws CsvError on anything malformed. */
export function parseCountsCsv(text: string, file: string): CountSeries {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').replace(/^\uFEFF/, '').split(',').map((cell) => cell.trim().toLowerCase());
  if (header[0] !== 'timestamp' || header[1] !== 'value') {
    throw new CsvError(`${file}: expected a header "timestamp,value", found "${lines[0] ?? ''}".`);
  }
  const rows: { label: string; time: number; count: number }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const [label = '', value = ''] = line.split(',').map((cell) => cell.trim());
    const time = parseTimestamp(label);
    if (Number.isNaN(time)) throw new CsvError(`${file}:${i + 1}: "${label}" is not a timestamp.`);
    const count = value === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(count) || count < 0) throw new CsvError(`${file}:${i + 1}: "${value}" is not a non-negative count.`);
    rows.push({ label, time, count });
  }
  if (rows.length === 0) throw new CsvError(`${file}: no data rows.`);
  rows.sort((a, b) => a.time - b.time);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]!.time === rows[i - 1]!.time) throw new CsvError(`${file}: timestamp ${rows[i]!.label} appears twice.`);
  }
  return { file, labels: rows.map((r) => r.label), times: rows.map((r) => r.time), counts: rows.map((r) => r.count) };
}

/** The bucket width of a series: the most common step between consecutive timestamps (gaps are missing buckets). */
export function inferBucketMs(times: readonly number[]): number {
  const steps = new Map<number, number>();
  for (let i = 1; i < times.length; i++) {
    const step = times[i]! - times[i - 1]!;
    steps.set(step, (steps.get(step) ?? 0) + 1);
  }
  let best = 60_000;
  let bestCount = 0;
  for (const [step, count] of steps) {
    if (count > bestCount || (count === bestCount && step < best)) {
      best = step;
      bestCount = count;
    }
  }
  return best;
}

/** Runs one detector per bucket width, with the same settings otherwise, over all series merged in time order. */
export function detectSpikes(series: readonly CountSeries[], options: Omit<SpikeDetectorOptions, 'bucketMs'> = {}): DetectedSpike[] {
  const detectors = new Map<number, SpikeDetector>();
  const feeds = series.map((s) => {
    const bucketMs = inferBucketMs(s.times);
    let detector = detectors.get(bucketMs);
    if (!detector) {
      detector = new SpikeDetector({ ...options, bucketMs });
      detectors.set(bucketMs, detector);
    }
    return { series: s, detector, next: 0 };
  });
  const spikes: DetectedSpike[] = [];
  for (;;) {
    let earliest: (typeof feeds)[number] | undefined;
    for (const feed of feeds) {
      if (feed.next < feed.series.times.length && (!earliest || feed.series.times[feed.next]! < earliest.series.times[earliest.next]!)) earliest = feed;
    }
    if (!earliest) return spikes;
    const { series: s, detector } = earliest;
    const i = earliest.next++;
    const alert = detector.observe(s.file, s.times[i]!, s.counts[i]!);
    if (alert) {
      spikes.push({ file: s.file, timestamp: s.labels[i]!, score: round(alert.score, 2), observed: alert.observed, expected: round(alert.expected, 2) });
    }
  }
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

async function main(files: string[]): Promise<number> {
  if (files.length === 0) {
    process.stderr.write('usage: npm run --silent detect -- FILE.csv [FILE.csv ...]\n');
    return 2;
  }
  const series: CountSeries[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      process.stderr.write(`detect: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
      return 1;
    }
    try {
      series.push(parseCountsCsv(text, file));
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      process.stderr.write(`detect: ${error.message}\n`);
      return 1;
    }
  }
  const lines = detectSpikes(series).map((spike) => JSON.stringify(spike));
  if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`detect: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
