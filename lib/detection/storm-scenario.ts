import type { IngestedMention } from '@/lib/events';
import { poissonCount, seededRandom } from './seeded-random';
import { syntheticComplaint } from './synthetic';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** What happens in the airline scenario, in the data's clock. */
export interface StormScenarioOptions {
  /** Start of the ordinary traffic that comes before the storm. */
  startMs: number;
  /** Hours of ordinary traffic before the storm (the baseline has to learn something first). */
  quietHours?: number;
  /** Minutes the storm lasts. */
  stormMinutes?: number;
  /** Ordinary complaints per minute (on average over the day). */
  complaintsPerMinute?: number;
  /** Storm complaints per minute at its height. */
  stormPerMinute?: number;
  seed?: number;
}

export interface StormScenario {
  mentions: IngestedMention[];
  stormStartMs: number;
  endMs: number;
  /** The promoted lost-bag post that starts it. */
  promotedPost: IngestedMention;
  hashtag: string;
}

const everyday = ['delay', 'refund', 'app', 'login', 'baggage', 'seat', 'crew', 'wifi', 'food', 'checkin', 'gate', 'upgrade'];
const ordinaryChannels = ['x', 'x', 'x', 'facebook', 'facebook', 'email', 'chat', 'phone'] as const;
const stormWords = ['lost', 'bag', 'luggage', 'jfk', 'reply', 'hours', 'suitcase'];
const stormOpeners = ['You lost my', 'Worst airline ever, where is my', 'Never again. Still no news of my', 'Help! You lost my'];

/**
 * The airline story as mentions: a day of ordinary complaints (and questions) with a daily rhythm, then a customer
 * whose lost bag went unanswered promotes a complaint tweet, and a #lostluggage complaint storm follows.
 */
export function airlineStormScenario(options: StormScenarioOptions): StormScenario {
  const { startMs, quietHours = 26, stormMinutes = 40, complaintsPerMinute = 6, stormPerMinute = 45, seed = 1 } = options;
  const random = seededRandom(seed);
  const mentions: IngestedMention[] = [];
  const stormStartMs = startMs + quietHours * HOUR_MS;
  const endMs = stormStartMs + stormMinutes * MINUTE_MS;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const base = (atMs: number, channel: string) => syntheticComplaint(random, atMs, channel);

  for (let minuteMs = startMs; minuteMs < endMs; minuteMs += MINUTE_MS) {
    const hour = (minuteMs % (24 * HOUR_MS)) / HOUR_MS;
    const daily = 1 + 0.6 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
    const ordinary = poissonCount(random, complaintsPerMinute * daily);
    for (let i = 0; i < ordinary; i++) {
      const m = base(minuteMs + Math.floor(random() * MINUTE_MS), pick(ordinaryChannels));
      const terms = [pick(everyday), pick(everyday)];
      m.topicTerms = [...new Set(terms)];
      m.text = `Problem with ${terms.join(' and ')} again`;
      // About one in four mentions is a question, which never counts as a complaint.
      if (random() < 0.25) m.category = 'question';
      mentions.push(m);
    }
    if (minuteMs >= stormStartMs) {
      const minute = (minuteMs - stormStartMs) / MINUTE_MS;
      const rate = stormPerMinute * Math.min(1, (minute + 1) / 2);
      const storm = poissonCount(random, rate);
      for (let i = 0; i < storm; i++) {
        const m = base(minuteMs + Math.floor(random() * MINUTE_MS), random() < 0.8 ? 'x' : pick(['facebook', 'instagram']));
        const words = [pick(stormWords), pick(stormWords)];
        m.topicTerms = [...new Set([...words, ...(random() < 0.85 ? ['#lostluggage'] : [])])];
        m.hashtags = m.topicTerms.includes('#lostluggage') ? ['lostluggage'] : [];
        // Worded as the complaints they are (the classifier reads the text when they arrive through webhooks);
        // the opener is chosen without drawing from the generator, so the scenario's numbers stay as they were.
        const opener = stormOpeners[(words[0]!.length + words[1]!.length) % stormOpeners.length]!;
        m.text = `${opener} ${words.join(' ')}? ${m.hashtags.length ? '#LostLuggage' : ''}`.trim();
        mentions.push(m);
      }
    }
  }
  const promotedPost: IngestedMention = {
    ...base(stormStartMs + 5_000, 'x'),
    text: '@DemoAir lost my bag at JFK, 8 hours and not one reply. Paying to make sure you all see this. #LostLuggage',
    topicTerms: ['lost', 'bag', 'jfk', 'hours', 'reply', '#lostluggage'],
    hashtags: ['lostluggage'],
    isPublic: true,
    promoted: true,
    metrics: { impressions: 180_000, likes: 2_400, reposts: 600, replies: 310 },
    authorHandle: '@stranded_sam',
    authorFollowers: 150,
  };
  mentions.push(promotedPost);
  mentions.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  return { mentions, stormStartMs, endMs, promotedPost, hashtag: '#lostluggage' };
}

/** Cuts mentions (sorted by time) into the batches an ingest pipeline would commit: one per `sliceMs` of data time. */
export function batchesOf(mentions: readonly IngestedMention[], sliceMs = 15_000): IngestedMention[][] {
  const batches: IngestedMention[][] = [];
  let current: IngestedMention[] = [];
  let sliceEnd = Number.NEGATIVE_INFINITY;
  for (const m of mentions) {
    const at = m.occurredAt.getTime();
    if (at >= sliceEnd) {
      if (current.length > 0) batches.push(current);
      current = [];
      sliceEnd = Math.floor(at / sliceMs) * sliceMs + sliceMs;
    }
    current.push(m);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
