import { z } from 'zod';
import { EmergingTermsOptions } from './emerging-terms';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * An organization's live detection settings (organization_settings.detection). The spike part overrides the
 * detector's calibrated defaults for live use: the CLI waits for three hours' worth of extra volume, which scores well
 * on NAB but is far too slow for a crisis room; live detection fires once a clear storm has brought a couple of
 * minutes' worth of extra traffic and at least `minExcessEvents` extra complaints.
 */
export const LiveDetectionSettings = z.object({
  bucketMs: z.number().int().min(10_000).max(HOUR_MS).default(MINUTE_MS),
  /** A bucket closes this long after its end, so that complaints delivered a little late still count in it. */
  closeGraceMs: z.number().int().min(0).max(MINUTE_MS).default(2_000),
  spike: z
    .object({
      /** Extra volume a storm brings before it alerts, in multiples of the series' usual traffic (ms of it). */
      minExcessMs: z.number().int().min(0).max(DAY_MS).default(2 * MINUTE_MS),
      /** Fewest extra complaints (above the baseline) for an alert: a handful is never a storm. */
      minExcessEvents: z.number().min(1).max(100_000).default(20),
      /** No alert before a series has this much history. */
      warmupMs: z.number().int().min(0).max(7 * DAY_MS).default(6 * HOUR_MS),
      /** A spike must be rarer than once in this period for the series. */
      returnPeriodMs: z.number().int().min(HOUR_MS).max(365 * DAY_MS).default(7 * DAY_MS),
    })
    .prefault({}),
  /** What makes a term an emerging topic: at least `minLift` times its usual share of complaints, recently. */
  emerging: EmergingTermsOptions.pick({ minLift: true }).prefault({}),
  /** Score (−log10 of the chance per bucket) at or above which an alert opens a crisis room by itself. */
  openCrisisScore: z.number().min(0).max(100).default(4),
  /** An emerging topic opens a room only once this many recent complaints mention it. */
  emergingCrisisMinComplaints: z.number().int().min(1).default(20),
  /** A promoted-post attack opens a room by itself when its reach is at least this. */
  promotedReachToOpen: z.number().int().min(0).default(10_000),
  /** Alerts within this many minutes of a room being opened on a related topic join that room: one storm, one room. */
  stormWindowMinutes: z.number().int().min(1).max(7 * 24 * 60).default(120),
  /** Most topic series (terms, hashtags) watched per organization; the least active are dropped. */
  maxTopicSeries: z.number().int().min(0).max(5_000).default(200),
  /** A term gets a series of its own once it is in at least this many complaints per hour, or once it emerges. */
  topicSeriesMinPerHour: z.number().min(0).default(6),
});
export type LiveDetectionSettings = z.output<typeof LiveDetectionSettings>;
export type LiveDetectionSettingsInput = z.input<typeof LiveDetectionSettings>;

/** Reads stored settings leniently: a value that no longer parses falls back to the default rather than stopping detection. */
export function liveSettingsOf(stored: unknown): LiveDetectionSettings {
  const parsed = LiveDetectionSettings.safeParse(stored ?? {});
  return parsed.success ? parsed.data : LiveDetectionSettings.parse({});
}
