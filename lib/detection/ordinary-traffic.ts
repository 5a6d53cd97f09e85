import type { IngestedMention } from '@/lib/events';
import { poissonCount, seededRandom } from './seeded-random';
import { syntheticComplaint } from './synthetic';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** An organization's ordinary complaint traffic, and optionally a storm on top of it. */
export interface OrdinaryTrafficOptions {
  /** Start of the traffic (aligned to a minute). */
  startMs: number;
  days: number;
  /** Complaints per minute on average over a week. */
  complaintsPerMinute?: number;
  /** Distinct everyday words the organization's customers use (the Zipf vocabulary). */
  vocabularySize?: number;
  seed?: number;
  /** A storm to inject: extra complaints about `hashtag` (and a few words that come with it). None by default. */
  storm?: { startMs: number; minutes: number; perMinute: number; hashtag: string };
}

const commonWords = [
  'flight', 'bag', 'delay', 'refund', 'app', 'login', 'seat', 'crew', 'wifi', 'food', 'checkin', 'gate', 'upgrade', 'booking',
  'website', 'payment', 'card', 'points', 'miles', 'lounge', 'boarding', 'cancelled', 'rebooked', 'hold', 'call', 'email',
  'staff', 'rude', 'waiting', 'hours', 'queue', 'luggage', 'damaged', 'charge', 'fee', 'price', 'ticket', 'change', 'agent',
  'service', 'manager', 'compensation', 'voucher', 'status', 'tier', 'kids', 'pet', 'wheelchair', 'meal', 'drink', 'toilet',
  'legroom', 'armrest', 'screen', 'movie', 'pilot', 'weather', 'connection', 'missed', 'hotel', 'taxi', 'airport', 'terminal',
];
const commonHashtags = ['#fail', '#customerservice', '#travel', '#neveragain', '#delayed', '#help'];
const channelNames = ['x', 'facebook', 'instagram', 'email', 'phone', 'chat'] as const;

/** A standard normal draw (Box–Muller). */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Picks an index from cumulative weights (the last one is the total). */
function pickWeighted(cumulative: Float64Array, random: () => number): number {
  const target = random() * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function cumulativeOf(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (out[i] = sum += w));
  return out;
}

/** How one organization's traffic is shaped: drawn once from the seed. */
function organizationProfile(random: () => number, vocabularySize: number) {
  const words = Array.from({ length: vocabularySize }, (_, i) => commonWords[i] ?? `word${i}`);
  // Each word's share of complaints follows Zipf (weight 1/rank) and rises and falls over the day by up to ±50 %
  // around its own hour: "delay" in the evening bank, "login" in the morning. One table per hour of the day.
  const phases = words.map(() => random() * 24);
  const swings = words.map(() => 0.5 * random());
  const wordsByHour = Array.from({ length: 24 }, (_, hour) =>
    cumulativeOf(words.map((_, rank) => (1 / (rank + 1)) * (1 + swings[rank]! * Math.cos((2 * Math.PI * (hour - phases[rank]!)) / 24)))),
  );
  const channels = cumulativeOf(channelNames.map(() => 0.2 + random()));
  // Two peaks a day (morning and evening) of random heights, quieter nights; weekends busier or quieter.
  const morning = 0.3 + 0.5 * random();
  const evening = 0.3 + 0.7 * random();
  const weekend = 0.6 + 0.6 * random();
  const hourFactor = (hour: number) =>
    0.25 + morning * Math.exp(-(((hour - 9) / 2.5) ** 2)) + evening * Math.exp(-(((hour - 19) / 3) ** 2)) + 0.4 * Math.exp(-(((hour - 14) / 4) ** 2));
  let hourMean = 0;
  for (let h = 0; h < 24; h += 1 / 60) hourMean += hourFactor(h) / (24 * 60);
  const weekMean = (5 + 2 * weekend) / 7;
  /** The rate multiplier of a moment of the week, averaging 1 over the week. */
  const rhythm = (ms: number) => {
    const hour = (ms % DAY_MS) / HOUR_MS;
    const weekday = new Date(ms).getUTCDay();
    return (hourFactor(hour) / hourMean) * (weekday === 0 || weekday === 6 ? weekend : 1) / weekMean;
  };
  return { words, wordsByHour, channels, rhythm };
}

/**
 * Noisy ordinary complaint traffic of one organization, minute by minute: a daily rhythm with two peaks, a weekly
 * one, per-day and per-hour random swings of volume on top of Poisson arrivals, channels in the organization's own
 * mix, and complaints that mention one to three words of a Zipf vocabulary (whose mix drifts over the day), now and
 * then a common hashtag or a one-off word (a flight number, a name). No storm unless one is asked for. Seeded: the
 * same options give the same traffic. Yields each minute's complaints, in time order.
 */
export function* ordinaryTraffic(options: OrdinaryTrafficOptions): Generator<IngestedMention[]> {
  const { startMs, days, complaintsPerMinute = 4, vocabularySize = 300, seed = 1, storm } = options;
  const random = seededRandom(seed);
  const profile = organizationProfile(random, Math.max(vocabularySize, 10));
  const hashtags = cumulativeOf(commonHashtags.map((_, rank) => 1 / (rank + 1)));
  const stormWords = ['lost', 'bag', 'luggage', 'waiting', 'hours'];
  let dayNoise = 1;
  let hourNoise = 1;
  let oneOff = 0;
  const complaint = (atMs: number, channel: string, topicTerms: string[]) => syntheticComplaint(random, atMs, channel, topicTerms, `Problem with ${topicTerms.join(' and ')}`);

  const endMs = startMs + days * DAY_MS;
  for (let minuteMs = startMs; minuteMs < endMs; minuteMs += MINUTE_MS) {
    // Volume swings from day to day (±15 %) and hour to hour (±10 %), as real traffic does beyond Poisson noise.
    if (minuteMs % DAY_MS === 0 || minuteMs === startMs) dayNoise = Math.exp(0.15 * normal(random));
    if (minuteMs % HOUR_MS === 0 || minuteMs === startMs) hourNoise = Math.exp(0.1 * normal(random));
    const hour = Math.floor((minuteMs % DAY_MS) / HOUR_MS);
    const count = poissonCount(random, complaintsPerMinute * profile.rhythm(minuteMs) * dayNoise * hourNoise);
    const batch: IngestedMention[] = [];
    for (let i = 0; i < count; i++) {
      const terms = new Set<string>();
      const wordCount = 1 + Math.floor(random() * 3);
      for (let k = 0; k < wordCount; k++) terms.add(profile.words[pickWeighted(profile.wordsByHour[hour]!, random)]!);
      if (random() < 0.08) terms.add(commonHashtags[pickWeighted(hashtags, random)]!);
      if (random() < 0.1) terms.add(`oneoff${seed}x${oneOff++}`);
      batch.push(complaint(minuteMs + Math.floor(random() * MINUTE_MS), channelNames[pickWeighted(profile.channels, random)]!, [...terms]));
    }
    if (storm && minuteMs >= storm.startMs && minuteMs < storm.startMs + storm.minutes * MINUTE_MS) {
      const extra = poissonCount(random, storm.perMinute);
      for (let i = 0; i < extra; i++) {
        const terms = new Set([storm.hashtag, stormWords[Math.floor(random() * stormWords.length)]!]);
        batch.push(complaint(minuteMs + Math.floor(random() * MINUTE_MS), 'x', [...terms]));
      }
    }
    batch.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    yield batch;
  }
}
