// Throughput and memory of the spike detector on one core. Run: npx tsx bench/detect-core.ts (add
// --expose-gc through NODE_OPTIONS for steadier memory numbers).
import { pathToFileURL } from 'node:url';
import { poissonCount, seededRandom } from '@/lib/detection/seeded-random';
import { SpikeDetector } from '@/lib/detection/spike-detector';

const MINUTE = 60_000;
const LIVE_SERIES = 10_000;

export type DetectorBench = { detector_points_per_s: number; bytes_per_series: number };

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

// Typed arrays keep their bytes outside the JS heap: count both, or heapUsed alone would flatter the detector.
function liveBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Measures points per second through `SpikeDetector.observe` and memory per live series (heap + typed arrays). */
export async function benchDetector(): Promise<DetectorBench> {
  const random = seededRandom(42);
  const keys = Array.from({ length: LIVE_SERIES }, (_, i) => `org-${i % 100}/topic:${i}`);
  // Counts are drawn up front so the loop measures the detector, not the random generator.
  const counts = Float64Array.from({ length: 1 << 16 }, () => poissonCount(random, 4));

  collectGarbage();
  const before = liveBytes();
  const detector = new SpikeDetector();
  const start = Date.UTC(2025, 0, 6);
  for (let i = 0; i < LIVE_SERIES; i++) detector.observe(keys[i]!, start, counts[i & 0xffff]!);
  collectGarbage();
  const bytesPerSeries = (liveBytes() - before) / LIVE_SERIES;

  // Two simulated days of one-minute buckets over 1,000 series, replayed in time order as live traffic would come.
  const hot = keys.slice(0, 1_000);
  const minutes = 2 * 24 * 60;
  let alerts = 0;
  let k = 0;
  const began = process.hrtime.bigint();
  for (let m = 1; m <= minutes; m++) {
    const t = start + m * MINUTE;
    for (let s = 0; s < hot.length; s++) {
      if (detector.observe(hot[s]!, t, counts[k++ & 0xffff]!)) alerts++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  // Keeps the optimiser from dropping the loop; ordinary Poisson noise should raise (almost) no alerts.
  if (alerts > hot.length) throw new Error(`Unexpected alert storm in the bench: ${alerts}`);
  await Promise.resolve();
  return { detector_points_per_s: Math.round((minutes * hot.length) / seconds), bytes_per_series: Math.round(bytesPerSeries) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchDetector().then((result) => {
    console.log('spike detector, one core');
    console.log(`  points per second      ${result.detector_points_per_s.toLocaleString('en')}`);
    console.log(`  bytes per live series  ${result.bytes_per_series.toLocaleString('en')}  (${((result.bytes_per_series * LIVE_SERIES) / 1e6).toFixed(1)} MB for ${LIVE_SERIES.toLocaleString('en')})`);
    console.log(JSON.stringify(result));
  });
}
