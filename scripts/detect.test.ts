import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poissonCount, seededRandom } from '@/lib/detection/seeded-random';
import { CsvError, detectSpikes, inferBucketMs, parseCountsCsv, parseTimestamp } from './detect';

const run = promisify(execFile);
const FIVE_MINUTES = 5 * 60_000;

/** A NAB-style file: five-minute buckets at :42:53, a daily rhythm, and a storm from `stormAt` on. */
function nabStyleCsv(stormAt: number | null, seed: number): string {
  const random = seededRandom(seed);
  const start = Date.UTC(2015, 1, 26, 21, 42, 53);
  const rows = ['timestamp,value'];
  for (let i = 0; i < 12 * 24 * 10; i++) {
    const ms = start + i * FIVE_MINUTES;
    const hour = new Date(ms).getUTCHours();
    const mean = 20 * (1 + 0.5 * Math.sin((2 * Math.PI * (hour - 9)) / 24)) * (stormAt !== null && i >= stormAt && i < stormAt + 36 ? 6 : 1);
    rows.push(`${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')},${poissonCount(random, mean)}`);
  }
  return rows.join('\n') + '\n';
}

describe('detect CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stormdesk-detect-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('parses NAB timestamps as UTC and rejects impossible dates', () => {
    expect(parseTimestamp('2015-02-26 21:42:53')).toBe(Date.UTC(2015, 1, 26, 21, 42, 53));
    expect(parseTimestamp('2015-02-26T21:42:53Z')).toBe(Date.UTC(2015, 1, 26, 21, 42, 53));
    expect(parseTimestamp('2015-02-30 10:00:00')).toBeNaN();
    expect(parseTimestamp('yesterday')).toBeNaN();
  });

  it('reads a series and infers its bucket width despite gaps', () => {
    const series = parseCountsCsv('timestamp,value\n2015-01-01 00:10:00,3\n2015-01-01 00:00:00,1\n2015-01-01 00:05:00,2\n2015-01-01 00:25:00,0\n', 'x.csv');
    expect(series.counts).toEqual([1, 2, 3, 0]);
    expect(inferBucketMs(series.times)).toBe(FIVE_MINUTES);
  });

  it('says which line is malformed', () => {
    expect(() => parseCountsCsv('time,count\n', 'a.csv')).toThrow(CsvError);
    expect(() => parseCountsCsv('timestamp,value\n2015-01-01 00:00:00,1\n2015-01-01 00:05:00,lots\n', 'b.csv')).toThrow(/b\.csv:3/);
    expect(() => parseCountsCsv('timestamp,value\nnot a time,1\n', 'c.csv')).toThrow(/c\.csv:2/);
  });

  it('alerts once on the storm and echoes the timestamp format of the input', () => {
    const stormy = parseCountsCsv(nabStyleCsv(12 * 24 * 6, 1), 'stormy.csv');
    const calm = parseCountsCsv(nabStyleCsv(null, 2), 'calm.csv');
    const spikes = detectSpikes([calm, stormy]);
    expect(spikes.map((s) => s.file)).toEqual(['stormy.csv']);
    const stormStart = stormy.times[12 * 24 * 6]!;
    expect(parseTimestamp(spikes[0]!.timestamp)).toBeGreaterThanOrEqual(stormStart);
    expect(parseTimestamp(spikes[0]!.timestamp)).toBeLessThan(stormStart + 3 * 3_600_000);
    expect(spikes[0]!.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:53$/);
    expect(spikes[0]!.observed).toBeGreaterThan(spikes[0]!.expected);
  });

  it('prints one JSON object per alert and nothing else, and fails clearly on a missing file', async () => {
    const file = join(dir, 'stormy.csv');
    await writeFile(file, nabStyleCsv(12 * 24 * 6, 3));
    const cli = ['--import', 'tsx', 'scripts/detect.ts'];
    const ok = await run(process.execPath, [...cli, file]);
    const lines = ok.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual(['file', 'timestamp', 'score', 'observed', 'expected']);

    const missing = await run(process.execPath, [...cli, join(dir, 'nope.csv')]).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing!.stderr).toMatch(/cannot read .*nope\.csv/);
  });
});
