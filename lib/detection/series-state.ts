export const seriesPhases = ['normal', 'storm'] as const;
export type SeriesPhase = (typeof seriesPhases)[number];

export const HOURS_PER_DAY = 24;
export const DAYS_PER_WEEK = 7;

// Slots of the one Float64Array that holds a series. Everything a series needs lives there, so 10,000 live series
// cost a few megabytes and a snapshot is a plain copy of the array.
export const LAST_BUCKET = 0;
export const LAST_MS = 1;
export const FIRST_MS = 2;
export const BUCKETS_SEEN = 3;
export const LEVEL = 4;
export const WINDOW_OBSERVED = 5;
export const WINDOW_EXPECTED = 6;
export const PHASE = 7;
export const EXCURSION_START_MS = 8;
export const CALM_SINCE_MS = 9;
export const EXCURSION_RARITY = 10;
export const PROFILE_DAY = 11;
export const TAIL_BUCKETS = 12;
export const EXCURSION_OBSERVED = 13;
export const EXCURSION_EXPECTED = 14;
export const EXCURSION_BUCKET_PEAK = 15;
export const EXCURSION_WINDOW_PEAK = 16;
// A channel scores one time scale (the bucket, or the short window): its noise and the history of its peaks.
export const CHANNEL_SQUARED_EXCESS = 0;
export const CHANNEL_SQUARED_EXPECTED = 1;
export const CHANNEL_PEAKS = 2;
export const CHANNEL_LOG_EXCESS = 3;
export const CHANNEL_SLOTS = 4;
export const BUCKET_CHANNEL = 17;
export const WINDOW_CHANNEL = BUCKET_CHANNEL + CHANNEL_SLOTS;
export const HOUR_FACTORS = WINDOW_CHANNEL + CHANNEL_SLOTS;
export const WEEKDAY_FACTORS = HOUR_FACTORS + HOURS_PER_DAY;
export const SERIES_SLOTS = WEEKDAY_FACTORS + DAYS_PER_WEEK;

/** The learned baseline and alert state of one series: 56 numbers in one typed array, nothing more. */
export class SeriesState {
  readonly values: Float64Array;

  constructor(values?: Float64Array) {
    if (values) {
      this.values = values;
      return;
    }
    this.values = new Float64Array(SERIES_SLOTS);
    this.values[LAST_BUCKET] = Number.NaN;
    this.values[EXCURSION_START_MS] = Number.NaN;
    this.values[CALM_SINCE_MS] = Number.NaN;
    this.values[PROFILE_DAY] = Number.NaN;
    this.values.fill(1, HOUR_FACTORS, SERIES_SLOTS);
  }

  /** Whether the series is inside a storm it already alerted on, or armed for the next one. */
  get phase(): SeriesPhase {
    return this.values[PHASE] === 1 ? 'storm' : 'normal';
  }

  /** Start of the last bucket this series saw, in the data's own clock. */
  get lastBucketStartMs(): number {
    return this.values[LAST_MS] ?? Number.NaN;
  }

  /** Deseasonalised events per bucket the baseline currently expects. */
  get level(): number {
    return this.values[LEVEL] ?? 0;
  }

  /** Copy of the state, for snapshots and replays that fork from a point in time. */
  clone(): SeriesState {
    return new SeriesState(this.values.slice());
  }
}
