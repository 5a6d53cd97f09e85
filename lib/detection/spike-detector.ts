import { z } from 'zod';
import { invalidInput } from '@/lib/errors';
import {
  BUCKET_CHANNEL,
  BUCKETS_SEEN,
  CALM_SINCE_MS,
  CHANNEL_LOG_EXCESS,
  CHANNEL_PEAKS,
  CHANNEL_SQUARED_EXCESS,
  CHANNEL_SQUARED_EXPECTED,
  DAYS_PER_WEEK,
  EXCURSION_BUCKET_PEAK,
  EXCURSION_EXPECTED,
  EXCURSION_OBSERVED,
  EXCURSION_RARITY,
  EXCURSION_START_MS,
  EXCURSION_WINDOW_PEAK,
  FIRST_MS,
  HOUR_FACTORS,
  HOURS_PER_DAY,
  LAST_BUCKET,
  LAST_MS,
  LEVEL,
  PHASE,
  PROFILE_DAY,
  SeriesState,
  TAIL_BUCKETS,
  WEEKDAY_FACTORS,
  WINDOW_CHANNEL,
  WINDOW_EXPECTED,
  WINDOW_OBSERVED,
} from './series-state';
import { countSurprise } from './surprise';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = DAYS_PER_WEEK * DAY_MS;

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
  /** Half-life of the window that sums recent volume: it sees ramps, sustained storms and bursts over sparse buckets. */
  windowHalfLifeMs: durationMs.default(HOUR_MS),
  /** No alert before a series has this much history. */
  warmupMs: z.number().int().nonnegative().default(DAY_MS),
  /**
   * An alert needs a spike this series would produce by chance less often than once in this period, judged by how
   * often its own past held spikes as surprising (a streaming peaks-over-threshold fit).
   */
  returnPeriodMs: durationMs.default(7 * DAY_MS),
  /** Memory of how often, and how far, this series has exceeded its baseline before. */
  tailHalfLifeMs: durationMs.default(14 * DAY_MS),
  /** Surprise above which a bucket is out of the ordinary: it starts an excursion and is not learned as is. */
  elevatedScore: z.number().positive().default(2),
  /** Counts beyond this many standard deviations are clipped before they teach the baseline. */
  winsorizeSigmas: z.number().positive().default(3),
  /** A storm re-arms the series after it has been calm for this long. */
  rearmAfterMs: durationMs.default(2 * HOUR_MS),
  /** A storm brings at least this many events above the baseline (in the window): a few complaints are never a storm. */
  minExcessEvents: z.number().nonnegative().default(5),
  /** A storm also brings at least this much of the series' average traffic on top of it: a short blip is not a storm. */
  minExcessMs: z.number().nonnegative().default(3 * HOUR_MS),
  /** Floor of the dispersion: at least this much multiplicative noise is assumed (0.01 = 10 %). */
  minDispersion: z.number().nonnegative().default(0.01),
  /** Longest silence filled with zero buckets; older history simply ages. */
  maxGapFillMs: durationMs.default(14 * DAY_MS),
});
export type SpikeDetectorOptions = z.input<typeof SpikeDetectorOptions>;
type Settings = z.output<typeof SpikeDetectorOptions>;

export const alertTriggers = ['bucket', 'window'] as const;
export type AlertTrigger = (typeof alertTriggers)[number];

/**
 * A term that carries a bucket's excess: at least half of it, far above the term's usual share of complaints. Given
 * with a bucket, it lowers the bar for that bucket (see `observe`).
 */
export type SpikeEvidence = {
  term: string;
  /** Complaints in the bucket that mention the term. */
  observed: number;
  /** How many its usual share of complaints predicts in the bucket. */
  expected: number;
};

/** What the detector found: one per storm, at its onset, with the numbers that explain it. */
export type SpikeAlert = {
  seriesKey: string;
  /** Start of the bucket that raised the alert. */
  bucketStartMs: number;
  /** Start of the first out-of-the-ordinary bucket of this excursion. */
  sinceMs: number;
  observed: number;
  expected: number;
  /** −log10 of the chance per bucket of a spike this surprising, judged against this series' own past spikes. */
  score: number;
  /** −log10 of the (Chernoff-bounded) probability of the count under the baseline's negative binomial. */
  surprise: number;
  /** Whether the single bucket or the recent window was the more surprising. */
  trigger: AlertTrigger;
  windowObserved: number;
  windowExpected: number;
  /** The term whose surge let the alert come before the series' own bar was cleared; null for an ordinary alert. */
  corroboratedBy: SpikeEvidence | null;
};

// Smallest expected count per bucket, so that a silent series still needs `minExcessEvents` to alert.
const MIN_EXPECTED = 1e-3;
// Seasonal factors stay in a range where one bad day cannot zero out or blow up a slot.
const MIN_FACTOR = 0.05;
const MAX_FACTOR = 20;
const MAX_DISPERSION = 25;
const INITIAL_DISPERSION = 1;
const CHANNELS = [BUCKET_CHANNEL, WINDOW_CHANNEL] as const;
// Before a series has a history of its own spikes, assume one excursion above the elevated line per hundred buckets
// with a moderately heavy tail, worth a hundred buckets and five peaks of evidence.
const PRIOR_BUCKETS = 100;
const PRIOR_PEAK_RATE = 0.01;
const PRIOR_PEAKS = 5;
const PRIOR_TAIL_INDEX = 0.5;
// With a term carrying the excess, a bucket this surprising under the baseline (−log10 p) alerts without the series'
// own record of how often it spikes: the term says what the spike is, which that record is there to make sure of.
const CORROBORATED_SURPRISE = 6;

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
   * The band an ordinary bucket of a series falls in, before seeing it: the expected count and the count about
   * `sigmas` standard deviations above it under the series' own noise. For charts; alerts are decided by `observe`.
   */
  expectedBand(seriesKey: string, bucketStartMs: number, sigmas = 3): { expected: number; upper: number } {
    const state = this.series.get(seriesKey);
    if (!state) return { expected: 0, upper: 0 };
    const expected = this.expectedFor(state.values, bucketStartMs);
    const dispersion = this.dispersionOf(state.values, BUCKET_CHANNEL);
    return { expected, upper: expected + sigmas * Math.sqrt(expected + dispersion * expected * expected) };
  }

  /**
   * Feeds the count of one finished bucket. Buckets of a series must come in time order; buckets skipped since the
   * previous call count as zero. Returns an alert at the onset of a storm, otherwise null.
   *
   * `evidence`, a term that carries the bucket's excess, lets a storm alert a bucket or more earlier: on a surprise of
   * at least 6 under the baseline, half of `minExcessEvents` extra complaints, and an extra volume of the term of at
   * least `minExcessMs` of its own usual traffic (rather than of the whole series'). Such alerts are `corroboratedBy` it.
   */
  observe(seriesKey: string, bucketStartMs: number, count: number, evidence?: SpikeEvidence): SpikeAlert | null {
    if (!Number.isFinite(bucketStartMs)) throw invalidInput(`Bucket start of ${seriesKey} is not a time: ${bucketStartMs}.`);
    if (!(count >= 0) || !Number.isFinite(count)) throw invalidInput(`Count of ${seriesKey} must be a non-negative number: ${count}.`);
    const { bucketMs } = this.settings;
    const bucket = Math.floor(bucketStartMs / bucketMs);
    let state = this.series.get(seriesKey);
    if (!state) {
      state = new SeriesState();
      this.series.set(seriesKey, state);
      return this.step(seriesKey, state.values, bucket, bucketStartMs, count, evidence);
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
    const current = this.step(seriesKey, v, bucket, bucketStartMs, count, evidence);
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

  private step(seriesKey: string, v: Float64Array, bucket: number, ms: number, count: number, evidence?: SpikeEvidence): SpikeAlert | null {
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
    const windowObserved = v[WINDOW_OBSERVED]! * this.windowKeep + count;
    const windowExpected = v[WINDOW_EXPECTED]! * this.windowKeep + expected;
    v[WINDOW_OBSERVED] = windowObserved;
    v[WINDOW_EXPECTED] = windowExpected;

    // Everything above uses only the past; now score this bucket, and the window ending with it, against it.
    const bucketDispersion = this.dispersionOf(v, BUCKET_CHANNEL);
    const windowDispersion = this.dispersionOf(v, WINDOW_CHANNEL);
    const bucketSurprise = count > expected ? countSurprise(count, expected, bucketDispersion) : 0;
    const windowSurprise = windowObserved > windowExpected ? countSurprise(windowObserved, windowExpected, windowDispersion) : 0;
    const bucketRarity = this.rarityOf(v, BUCKET_CHANNEL, bucketSurprise);
    const windowRarity = this.rarityOf(v, WINDOW_CHANNEL, windowSurprise);
    const bucketElevated = bucketSurprise >= s.elevatedScore;
    const windowElevated = windowSurprise >= s.elevatedScore;
    const elevated = bucketElevated || windowElevated;
    const byBucket = bucketRarity >= windowRarity;
    const score = byBucket ? bucketRarity : windowRarity;

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
      // An excursion alerts once it has been rare enough for this series and has brought enough extra volume; a
      // burst that is rare but small waits, and alerts later if the volume keeps coming.
      if (Number.isNaN(v[EXCURSION_START_MS]!)) {
        v[EXCURSION_START_MS] = ms;
        v[EXCURSION_RARITY] = 0;
        v[EXCURSION_OBSERVED] = 0;
        v[EXCURSION_EXPECTED] = 0;
        v[EXCURSION_BUCKET_PEAK] = 0;
        v[EXCURSION_WINDOW_PEAK] = 0;
      }
      if (score > v[EXCURSION_RARITY]!) v[EXCURSION_RARITY] = score;
      if (bucketSurprise > v[EXCURSION_BUCKET_PEAK]!) v[EXCURSION_BUCKET_PEAK] = bucketSurprise;
      if (windowSurprise > v[EXCURSION_WINDOW_PEAK]!) v[EXCURSION_WINDOW_PEAK] = windowSurprise;
      // Extra volume is what the window holds above the baseline, or all that came since the excursion began: a
      // long storm at twice the usual rate brings as much as a short one at ten times.
      const excursionObserved = v[EXCURSION_OBSERVED]! + count;
      const excursionExpected = v[EXCURSION_EXPECTED]! + expected;
      v[EXCURSION_OBSERVED] = excursionObserved;
      v[EXCURSION_EXPECTED] = excursionExpected;
      const windowExcess = windowObserved - windowExpected;
      const excursionExcess = excursionObserved - excursionExpected;
      const excess = windowExcess > excursionExcess ? windowExcess : excursionExcess;
      const usualVolume = (level * s.minExcessMs) / s.bucketMs;
      const clears =
        v[EXCURSION_RARITY]! >= this.rarityToAlert &&
        excess >= s.minExcessEvents &&
        excess >= usualVolume &&
        ageMs > s.warmupMs;
      const surprise = byBucket ? bucketSurprise : windowSurprise;
      const corroborated =
        !clears &&
        evidence !== undefined &&
        ageMs > s.warmupMs &&
        surprise >= CORROBORATED_SURPRISE &&
        excess >= s.minExcessEvents / 2 &&
        evidence.observed - evidence.expected >= (evidence.expected * s.minExcessMs) / s.bucketMs;
      if (clears || corroborated) {
        v[PHASE] = 1;
        v[CALM_SINCE_MS] = Number.NaN;
        this.learnExcursion(v, ageMs);
        alert = {
          seriesKey,
          bucketStartMs: ms,
          sinceMs: v[EXCURSION_START_MS]!,
          observed: count,
          expected,
          // A corroborated alert has not been judged against the series' past spikes: its chance is the bucket's own.
          score: clears ? v[EXCURSION_RARITY]! : surprise,
          surprise,
          trigger: byBucket ? 'bucket' : 'window',
          windowObserved,
          windowExpected,
          corroboratedBy: clears ? null : evidence!,
        };
      }
    } else if (!Number.isNaN(v[EXCURSION_START_MS]!)) {
      this.learnExcursion(v, ageMs);
      v[EXCURSION_START_MS] = Number.NaN;
    }

    // Learn from a winsorised count, so that a storm moves the baseline by a few standard deviations at most.
    const limit = s.winsorizeSigmas * Math.sqrt(expected + bucketDispersion * expected * expected);
    let taught = count;
    if (bucketElevated && taught > expected + limit) taught = expected + limit;
    else if (taught < expected - limit) taught = expected - limit;

    // Early on every estimate is a running mean, then an exponential one.
    const warm = 1 / seen;
    const levelRate = this.levelRate > warm ? this.levelRate : warm;
    const seasonal = hourFactor * weekdayFactor;
    v[LEVEL] = level + levelRate * (taught / (seasonal > MIN_FACTOR ? seasonal : MIN_FACTOR) - level);
    if (inStorm) return alert;

    // Past peaks fade with the tail's memory; new ones are added when their excursion ends or alerts.
    if (ageMs > s.warmupMs) {
      v[TAIL_BUCKETS] = v[TAIL_BUCKETS]! * this.tailKeep + 1;
      for (const channel of CHANNELS) {
        v[channel + CHANNEL_PEAKS] = v[channel + CHANNEL_PEAKS]! * this.tailKeep;
        v[channel + CHANNEL_LOG_EXCESS] = v[channel + CHANNEL_LOG_EXCESS]! * this.tailKeep;
      }
    }
    if (alert) return alert;

    // Rhythm and noise are learned only outside storms: a storm's shape is not tomorrow's normal.
    const base = level > MIN_EXPECTED ? level : MIN_EXPECTED;
    const hourWarm = (s.bucketMs * HOURS_PER_DAY) / ageMs;
    const hourRate = this.hourRate > hourWarm ? this.hourRate : hourWarm > 0.5 ? 0.5 : hourWarm;
    const hourError = taught / (base * weekdayFactor) - hourFactor;
    v[h0] = clampFactor(v[h0]! + hourRate * (1 - toNext) * hourError);
    v[h1] = clampFactor(v[h1]! + hourRate * toNext * hourError);
    // Until a whole week has been seen, the level alone follows day-to-day changes: a weekday factor learned from
    // the first day of a series would only be that day's level, and the two would chase each other for weeks.
    if (ageMs > WEEK_MS) {
      const weekdayWarm = (s.bucketMs * DAYS_PER_WEEK) / ageMs;
      const weekdayRate = this.weekdayRate > weekdayWarm ? this.weekdayRate : weekdayWarm;
      v[wd] = clampFactor(weekdayFactor + weekdayRate * (taught / (base * hourFactor) - weekdayFactor));
    }

    const dispersionRate = this.dispersionRate > warm ? this.dispersionRate : warm;
    this.learnDispersion(v, BUCKET_CHANNEL, taught, expected, dispersionRate);
    const windowLimit = s.winsorizeSigmas * Math.sqrt(windowExpected + windowDispersion * windowExpected * windowExpected);
    const windowTaught = windowObserved > windowExpected + windowLimit ? windowExpected + windowLimit : windowObserved;
    this.learnDispersion(v, WINDOW_CHANNEL, windowTaught, windowExpected, dispersionRate);
    return alert;
  }

  // Negative binomial dispersion φ of a channel, from the moment estimate Σ((x − μ)² − μ) / Σμ².
  private dispersionOf(v: Float64Array, channel: number): number {
    const squaredExpected = v[channel + CHANNEL_SQUARED_EXPECTED]!;
    const dispersion = squaredExpected > 0 ? v[channel + CHANNEL_SQUARED_EXCESS]! / squaredExpected : INITIAL_DISPERSION;
    const floor = this.settings.minDispersion;
    return dispersion < floor ? floor : dispersion > MAX_DISPERSION ? MAX_DISPERSION : dispersion;
  }

  private learnDispersion(v: Float64Array, channel: number, observed: number, expected: number, rate: number): void {
    const excess = observed - expected;
    const squaredExcess = channel + CHANNEL_SQUARED_EXCESS;
    const squaredExpected = channel + CHANNEL_SQUARED_EXPECTED;
    v[squaredExcess] = v[squaredExcess]! + rate * (excess * excess - expected - v[squaredExcess]!);
    v[squaredExpected] = v[squaredExpected]! + rate * (expected * expected - v[squaredExpected]!);
  }

  // How rare this much surprise is for this series: peaks over the elevated line get a Pareto tail whose rate and
  // index (Hill's estimator) come from the series' own past. Returns −log10 of the chance per bucket.
  private rarityOf(v: Float64Array, channel: number, surprise: number): number {
    const elevatedScore = this.settings.elevatedScore;
    if (surprise < elevatedScore) return 0;
    const peaks = v[channel + CHANNEL_PEAKS]!;
    const peakRate = (peaks + PRIOR_PEAK_RATE * PRIOR_BUCKETS) / (v[TAIL_BUCKETS]! + PRIOR_BUCKETS);
    const tailIndex = (v[channel + CHANNEL_LOG_EXCESS]! + PRIOR_TAIL_INDEX * PRIOR_PEAKS) / (peaks + PRIOR_PEAKS);
    return -Math.log10(peakRate) + Math.log10(surprise / elevatedScore) / tailIndex;
  }

  // An excursion is one peak of the tail, however many buckets it lasted (runs declustering): otherwise a storm
  // that has not alerted yet would teach the series that storms are common while it is going on. The misfits of a
  // baseline still warming up are not peaks of the series either.
  private learnExcursion(v: Float64Array, ageMs: number): void {
    if (ageMs <= this.settings.warmupMs) return;
    this.addPeak(v, BUCKET_CHANNEL, v[EXCURSION_BUCKET_PEAK]!);
    this.addPeak(v, WINDOW_CHANNEL, v[EXCURSION_WINDOW_PEAK]!);
  }

  private addPeak(v: Float64Array, channel: number, surprise: number): void {
    const elevatedScore = this.settings.elevatedScore;
    if (surprise < elevatedScore) return;
    v[channel + CHANNEL_PEAKS] = v[channel + CHANNEL_PEAKS]! + 1;
    v[channel + CHANNEL_LOG_EXCESS] = v[channel + CHANNEL_LOG_EXCESS]! + Math.log(surprise / elevatedScore);
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
