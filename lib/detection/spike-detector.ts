import { z } from 'zod';
import { invalidInput } from '@/lib/errors';
import {
  BUCKETS_SEEN,
  CALM_SINCE_MS,
  DAYS_PER_WEEK,
  EXCURSION_START_MS,
  FIRST_MS,
  HOUR_FACTORS,
  HOURS_PER_DAY,
  LAST_ALERT_MS,
  LAST_BUCKET,
  LAST_MS,
  LEVEL,
  PHASE,
  PROFILE_DAY,
  SQUARED_EXCESS,
  SQUARED_EXPECTED,
  SeriesState,
  TAIL_BUCKETS,
  TAIL_EXCESS,
  TAIL_PEAKS,
  WEEKDAY_FACTORS,
  WINDOW_EXPECTED,
  WINDOW_OBSERVED,
} from './series-state';
import { countSurprise } from './surprise';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const durationMs = z.number().int().positive();

/** Settings of the spike detector; every duration is in milliseconds of the data's own clock. */
export const SpikeDetectorOptions = z.object({
  /** Width of one counting bucket. */
  bucketMs: durationMs.default(MINUTE_MS),
  /** Memory of the deseasonalised level: how fast a slow trend is followed. */
  levelHalfLifeMs: durationMs.default(DAY_MS),
  /** Memory of the hour-of-day profile, in days of data. */
  dailyRhythmHalfLifeMs: durationMs.default(7 * DAY_MS),
  /** Memory of the day-of-week profile. */
  weeklyRhythmHalfLifeMs: durationMs.default(28 * DAY_MS),
  /** Memory of the noise estimate (the negative binomial dispersion). */
  dispersionHalfLifeMs: durationMs.default(3 * DAY_MS),
  /** Half-life of the short window that catches ramps and bursts spread over several sparse buckets. */
  windowHalfLifeMs: durationMs.default(15 * MINUTE_MS),
  /** No alert before a series has this much history. */
  warmupMs: z.number().int().nonnegative().default(DAY_MS),
  /**
   * An alert needs a spike this series would produce by chance less often than once in this period, judged by how
   * often its own past held spikes as surprising (a streaming peaks-over-threshold fit).
   */
  returnPeriodMs: durationMs.default(7 * DAY_MS),
  /** Memory of how often, and how far, this series has exceeded its baseline before. */
  tailHalfLifeMs: durationMs.default(14 * DAY_MS),
  /** Least surprise, in decimal digits of improbability under the baseline (−log10 p), that can raise an alert. */
  alertScore: z.number().positive().default(7),
  /** Surprise above which a bucket is out of the ordinary: it starts an excursion and is not learned as is. */
  elevatedScore: z.number().positive().default(2),
  /** Counts beyond this many standard deviations are clipped before they teach the baseline. */
  winsorizeSigmas: z.number().positive().default(3),
  /** A storm re-arms the series after it has been calm for this long. */
  rearmAfterMs: durationMs.default(2 * HOUR_MS),
  /** Fewest events in the alerting bucket: a lone complaint is never a storm, however quiet the series. */
  minObserved: z.number().nonnegative().default(5),
  /** Floor of the dispersion: at least this much multiplicative noise is assumed (0.01 = 10 %). */
  minDispersion: z.number().nonnegative().default(0.01),
  /** Longest silence filled with zero buckets; older history simply ages. */
  maxGapFillMs: durationMs.default(14 * DAY_MS),
});
export type SpikeDetectorOptions = z.input<typeof SpikeDetectorOptions>;
type Settings = z.output<typeof SpikeDetectorOptions>;

export const alertTriggers = ['bucket', 'window'] as const;
export type AlertTrigger = (typeof alertTriggers)[number];

/** What the detector found: one per storm, at its onset, with the numbers that explain it. */
export type SpikeAlert = {
  seriesKey: string;
  /** Start of the bucket that raised the alert. */
  bucketStartMs: number;
  /** Start of the first out-of-the-ordinary bucket of this excursion. */
  sinceMs: number;
  observed: number;
  expected: number;
  /** −log10 of the (bounded) probability of seeing this much under the baseline. */
  score: number;
  /** Whether the single bucket or the short window crossed the line. */
  trigger: AlertTrigger;
  windowObserved: number;
  windowExpected: number;
};

// Smallest expected count per bucket, so that a series that went silent still needs `minObserved` to alert.
const MIN_EXPECTED = 1e-3;
// Seasonal factors stay in a range where one bad day cannot zero out or blow up a slot.
const MIN_FACTOR = 0.05;
const MAX_FACTOR = 20;
const MAX_DISPERSION = 25;
// Before a series has a history of its own spikes, assume it is as calm as the baseline says (one bucket in a
// hundred above the elevated line) but with a generous tail (each further decimal digit half as rare, not ten
// times), worth a hundred buckets and five peaks of evidence.
const PRIOR_BUCKETS = 100;
const PRIOR_PEAK_RATE = 0.01;
const PRIOR_PEAKS = 5;
const PRIOR_MEAN_EXCESS = 1 / Math.LN2;

const decayPerBucket = (bucketMs: number, halfLifeMs: number) => 1 - Math.pow(2, -bucketMs / halfLifeMs);
const clampFactor = (factor: number) => (factor < MIN_FACTOR ? MIN_FACTOR : factor > MAX_FACTOR ? MAX_FACTOR : factor);

/**
 * Streaming spike detector over many count series. Each series learns its level, hour-of-day and day-of-week
 * rhythm and its noise from its own past; a bucket is scored by how improbable its count is under that baseline
 * (negative binomial tail), storms are not learned as normal, and each storm alerts once, at its onset.
 */
export class SpikeDetector {
  readonly settings: Readonly<Settings>;
  private readonly series = new Map<string, SeriesState>();
  private readonly levelRate: number;
  private readonly hourRate: number;
  private readonly weekdayRate: number;
  private readonly dispersionRate: number;
  private readonly windowKeep: number;
  private readonly tailKeep: number;
  private readonly rarityToAlert: number;

  constructor(options: SpikeDetectorOptions = {}) {
    const parsed = SpikeDetectorOptions.safeParse(options);
    if (!parsed.success) throw invalidInput('Invalid spike detector settings.', parsed.error.issues);
    const s = parsed.data;
    this.settings = Object.freeze(s);
    this.levelRate = decayPerBucket(s.bucketMs, s.levelHalfLifeMs);
    // A slot of the daily profile sees 1/24 of the buckets, a weekday 1/7.
    this.hourRate = decayPerBucket(s.bucketMs * HOURS_PER_DAY, s.dailyRhythmHalfLifeMs);
    this.weekdayRate = decayPerBucket(s.bucketMs * DAYS_PER_WEEK, s.weeklyRhythmHalfLifeMs);
    this.dispersionRate = decayPerBucket(s.bucketMs, s.dispersionHalfLifeMs);
    this.windowKeep = 1 - decayPerBucket(s.bucketMs, s.windowHalfLifeMs);
    this.tailKeep = 1 - decayPerBucket(s.bucketMs, s.tailHalfLifeMs);
    this.rarityToAlert = Math.log10(s.returnPeriodMs / s.bucketMs);
  }

  /** Number of series with live state. */
  get seriesCount(): number {
    return this.series.size;
  }

  /** The state of one series, for inspection and snapshots. */
  stateOf(seriesKey: string): SeriesState | undefined {
    return this.series.get(seriesKey);
  }

  /** Restores a series from a snapshot taken with `SeriesState.clone()`. */
  restore(seriesKey: string, state: SeriesState): void {
    this.series.set(seriesKey, state.clone());
  }

  /** Drops a series that is no longer watched. */
  forget(seriesKey: string): boolean {
    return this.series.delete(seriesKey);
  }

  /** What the baseline expects for a series in the bucket starting at `bucketStartMs`, before seeing it. */
  expectedCount(seriesKey: string, bucketStartMs: number): number {
    const state = this.series.get(seriesKey);
    return state ? this.expectedFor(state.values, bucketStartMs) : 0;
  }

  /**
   * Feeds the count of one finished bucket. Buckets of a series must come in time order; buckets skipped since the
   * previous call count as zero. Returns an alert at the onset of a storm, otherwise null.
   */
  observe(seriesKey: string, bucketStartMs: number, count: number): SpikeAlert | null {
    if (!Number.isFinite(bucketStartMs)) throw invalidInput(`Bucket start of ${seriesKey} is not a time: ${bucketStartMs}.`);
    if (!(count >= 0) || !Number.isFinite(count)) throw invalidInput(`Count of ${seriesKey} must be a non-negative number: ${count}.`);
    const { bucketMs } = this.settings;
    const bucket = Math.floor(bucketStartMs / bucketMs);
    let state = this.series.get(seriesKey);
    if (!state) {
      state = new SeriesState();
      this.series.set(seriesKey, state);
      return this.step(seriesKey, state.values, bucket, bucketStartMs, count);
    }
    const v = state.values;
    const last = v[LAST_BUCKET]!;
    if (bucket <= last) {
      throw invalidInput(`Bucket ${new Date(bucketStartMs).toISOString()} of ${seriesKey} is not after the last one seen.`);
    }
    let alert: SpikeAlert | null = null;
    const missing = bucket - last - 1;
    if (missing > 0) {
      const fill = Math.min(missing, Math.floor(this.settings.maxGapFillMs / bucketMs));
      const lastMs = v[LAST_MS]!;
      for (let k = missing - fill + 1; k <= missing; k++) {
        alert ??= this.step(seriesKey, v, last + k, lastMs + k * bucketMs, 0);
      }
    }
    const current = this.step(seriesKey, v, bucket, bucketStartMs, count);
    return alert ?? current;
  }

  private expectedFor(v: Float64Array, ms: number): number {
    const hourPosition = (((ms % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS - 0.5;
    const below = Math.floor(hourPosition);
    const toNext = hourPosition - below;
    const h0 = (below + HOURS_PER_DAY) % HOURS_PER_DAY;
    const h1 = (h0 + 1) % HOURS_PER_DAY;
    const hourFactor = (1 - toNext) * v[HOUR_FACTORS + h0]! + toNext * v[HOUR_FACTORS + h1]!;
    const weekday = ((Math.floor(ms / DAY_MS) % DAYS_PER_WEEK) + DAYS_PER_WEEK) % DAYS_PER_WEEK;
    const expected = v[LEVEL]! * hourFactor * v[WEEKDAY_FACTORS + weekday]!;
    return expected > MIN_EXPECTED ? expected : MIN_EXPECTED;
  }

  private step(seriesKey: string, v: Float64Array, bucket: number, ms: number, count: number): SpikeAlert | null {
    const s = this.settings;
    const seen = v[BUCKETS_SEEN]! + 1;
    v[BUCKETS_SEEN] = seen;
    v[LAST_BUCKET] = bucket;
    v[LAST_MS] = ms;
    if (seen === 1) {
      v[FIRST_MS] = ms;
      v[LEVEL] = count > MIN_EXPECTED ? count : MIN_EXPECTED;
    }
    const ageMs = ms - v[FIRST_MS]! + s.bucketMs;
    const day = Math.floor(ms / DAY_MS);
    if (day !== v[PROFILE_DAY]) {
      v[PROFILE_DAY] = day;
      normaliseProfiles(v);
    }

    // Seasonal factors of this bucket; the hour profile is interpolated between slot centres.
    const hourPosition = (((ms % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS - 0.5;
    const below = Math.floor(hourPosition);
    const toNext = hourPosition - below;
    const h0 = HOUR_FACTORS + ((below + HOURS_PER_DAY) % HOURS_PER_DAY);
    const h1 = HOUR_FACTORS + ((below + HOURS_PER_DAY + 1) % HOURS_PER_DAY);
    const hourFactor = (1 - toNext) * v[h0]! + toNext * v[h1]!;
    const wd = WEEKDAY_FACTORS + (((day % DAYS_PER_WEEK) + DAYS_PER_WEEK) % DAYS_PER_WEEK);
    const weekdayFactor = v[wd]!;
    const level = v[LEVEL]!;
    const rawExpected = level * hourFactor * weekdayFactor;
    const expected = rawExpected > MIN_EXPECTED ? rawExpected : MIN_EXPECTED;

    const squaredExpected = v[SQUARED_EXPECTED]!;
    let dispersion = squaredExpected > 0 ? v[SQUARED_EXCESS]! / squaredExpected : 1;
    if (dispersion < s.minDispersion) dispersion = s.minDispersion;
    else if (dispersion > MAX_DISPERSION) dispersion = MAX_DISPERSION;

    // Everything above uses only the past; now score this bucket against it.
    const windowObserved = v[WINDOW_OBSERVED]! * this.windowKeep + count;
    const windowExpected = v[WINDOW_EXPECTED]! * this.windowKeep + expected;
    v[WINDOW_OBSERVED] = windowObserved;
    v[WINDOW_EXPECTED] = windowExpected;
    const bucketScore = count > expected ? countSurprise(count, expected, dispersion) : 0;
    const windowScore = windowObserved > windowExpected ? countSurprise(windowObserved, windowExpected, dispersion) : 0;
    const surprise = bucketScore > windowScore ? bucketScore : windowScore;
    const elevated = surprise >= s.elevatedScore;

    // How rare is this much surprise for this series? Peaks over the elevated line have an exponential tail whose
    // rate and mean excess come from the series' past; the result is −log10 of the chance per bucket.
    const peakRate = (v[TAIL_PEAKS]! + PRIOR_PEAK_RATE * PRIOR_BUCKETS) / (v[TAIL_BUCKETS]! + PRIOR_BUCKETS);
    const meanExcess = (v[TAIL_EXCESS]! + PRIOR_MEAN_EXCESS * PRIOR_PEAKS) / (v[TAIL_PEAKS]! + PRIOR_PEAKS);
    const rarity = elevated ? -Math.log10(peakRate) + (surprise - s.elevatedScore) / (meanExcess * Math.LN10) : 0;
    const score = rarity;

    let alert: SpikeAlert | null = null;
    const inStorm = v[PHASE] === 1;
    if (inStorm) {
      if (elevated) v[CALM_SINCE_MS] = Number.NaN;
      else {
        if (Number.isNaN(v[CALM_SINCE_MS]!)) v[CALM_SINCE_MS] = ms;
        if (ms + s.bucketMs - v[CALM_SINCE_MS]! >= s.rearmAfterMs) {
          v[PHASE] = 0;
          v[CALM_SINCE_MS] = Number.NaN;
          v[EXCURSION_START_MS] = Number.NaN;
        }
      }
    } else if (elevated) {
      if (Number.isNaN(v[EXCURSION_START_MS]!)) v[EXCURSION_START_MS] = ms;
      if (surprise >= s.alertScore && rarity >= this.rarityToAlert && count >= s.minObserved && ageMs > s.warmupMs) {
        v[PHASE] = 1;
        v[LAST_ALERT_MS] = ms;
        v[CALM_SINCE_MS] = Number.NaN;
        alert = {
          seriesKey,
          bucketStartMs: ms,
          sinceMs: v[EXCURSION_START_MS]!,
          observed: count,
          expected,
          score,
          trigger: bucketScore >= windowScore ? 'bucket' : 'window',
          windowObserved,
          windowExpected,
        };
      }
    } else {
      v[EXCURSION_START_MS] = Number.NaN;
    }

    // Learn from a winsorised count, so that a storm moves the baseline by a few standard deviations at most.
    const sd = Math.sqrt(expected + dispersion * expected * expected);
    let taught = count;
    if (elevated && taught > expected + s.winsorizeSigmas * sd) taught = expected + s.winsorizeSigmas * sd;
    else if (taught < expected - s.winsorizeSigmas * sd) taught = expected - s.winsorizeSigmas * sd;

    // Early on every estimate is a running mean, then an exponential one.
    const warm = 1 / seen;
    const levelRate = this.levelRate > warm ? this.levelRate : warm;
    const seasonal = hourFactor * weekdayFactor;
    v[LEVEL] = level + levelRate * (taught / (seasonal > MIN_FACTOR ? seasonal : MIN_FACTOR) - level);

    if (v[PHASE] === 1 || inStorm) return alert;
    // Rhythm and noise are learned only outside storms: a storm's shape is not tomorrow's normal.
    const base = level > MIN_EXPECTED ? level : MIN_EXPECTED;
    const hourWarm = (s.bucketMs * HOURS_PER_DAY) / ageMs;
    const hourRate = this.hourRate > hourWarm ? this.hourRate : hourWarm > 0.5 ? 0.5 : hourWarm;
    const hourError = taught / (base * weekdayFactor) - hourFactor;
    v[h0] = clampFactor(v[h0]! + hourRate * (1 - toNext) * hourError);
    v[h1] = clampFactor(v[h1]! + hourRate * toNext * hourError);
    const weekdayWarm = (s.bucketMs * DAYS_PER_WEEK) / ageMs;
    const weekdayRate = this.weekdayRate > weekdayWarm ? this.weekdayRate : weekdayWarm > 0.5 ? 0.5 : weekdayWarm;
    v[wd] = clampFactor(weekdayFactor + weekdayRate * (taught / (base * hourFactor) - weekdayFactor));

    v[TAIL_BUCKETS] = v[TAIL_BUCKETS]! * this.tailKeep + 1;
    v[TAIL_PEAKS] = v[TAIL_PEAKS]! * this.tailKeep + (elevated ? 1 : 0);
    v[TAIL_EXCESS] = v[TAIL_EXCESS]! * this.tailKeep + (elevated ? surprise - s.elevatedScore : 0);

    const dispersionRate = this.dispersionRate > warm ? this.dispersionRate : warm;
    const excess = taught - expected;
    v[SQUARED_EXCESS] = v[SQUARED_EXCESS]! + dispersionRate * (excess * excess - expected - v[SQUARED_EXCESS]!);
    v[SQUARED_EXPECTED] = squaredExpected + dispersionRate * (expected * expected - squaredExpected);
    return alert;
  }
}

// The level carries the scale and the profiles only the shape: rescale both so each profile averages 1.
function normaliseProfiles(v: Float64Array): void {
  let hourSum = 0;
  for (let h = 0; h < HOURS_PER_DAY; h++) hourSum += v[HOUR_FACTORS + h]!;
  const hourMean = hourSum / HOURS_PER_DAY;
  let weekdaySum = 0;
  for (let d = 0; d < DAYS_PER_WEEK; d++) weekdaySum += v[WEEKDAY_FACTORS + d]!;
  const weekdayMean = weekdaySum / DAYS_PER_WEEK;
  for (let h = 0; h < HOURS_PER_DAY; h++) v[HOUR_FACTORS + h] = clampFactor(v[HOUR_FACTORS + h]! / hourMean);
  for (let d = 0; d < DAYS_PER_WEEK; d++) v[WEEKDAY_FACTORS + d] = clampFactor(v[WEEKDAY_FACTORS + d]! / weekdayMean);
  v[LEVEL] = v[LEVEL]! * hourMean * weekdayMean;
}
