import { z } from 'zod';
import { invalidInput } from '@/lib/errors';

const HOUR_MS = 3_600_000;

const count = z.number().int().nonnegative();

/** A public complaint post as a channel reports it; times are Date, ISO strings or epoch milliseconds. */
export const ComplaintPost = z.object({
  promoted: z.boolean().optional(),
  impressions: count.optional(),
  likes: count,
  reposts: count,
  replies: count,
  authorFollowers: count,
  postedAt: z.coerce.date(),
  observedAt: z.coerce.date(),
});
export type ComplaintPost = z.input<typeof ComplaintPost>;

export type PromotedPostVerdict = {
  attack: boolean;
  /** One sentence per reason, for the crisis timeline. */
  reasons: string[];
  /** Impressions when the platform gives them, otherwise estimated from engagement. */
  reachEstimate: number;
};

// Rough platform-wide rates: an organic post is seen by about a tenth of its author's followers, and about 2 % of
// those who see a post engage with it. Thresholds below are multiples of what these explain, so the rates need
// only be right to within a factor of a few.
const ORGANIC_REACH_SHARE = 0.1;
const ENGAGEMENT_RATE = 0.02;
// Even an author with no followers is found by search and hashtags.
const MIN_AUDIENCE = 100;
// Organic reach builds over about a day.
const ORGANIC_SPREAD_HOURS = 24;
const UNEXPLAINED_FACTOR = 50;
const MIN_ATTACK_REACH = 10_000;
const MIN_ENGAGEMENTS_PER_HOUR = 60;
// Engagement counted in the first minutes says little about velocity.
const MIN_AGE_HOURS = 0.25;

/**
 * Decides whether a complaint post is being pushed to a paid or coordinated audience: the platform says it is
 * promoted, or its reach or engagement velocity is far beyond what its author's audience explains.
 */
export function detectPromotedPost(input: ComplaintPost): PromotedPostVerdict {
  const parsed = ComplaintPost.safeParse(input);
  if (!parsed.success) throw invalidInput('Invalid complaint post.', parsed.error.issues);
  const post = parsed.data;
  const ageHours = Math.max(MIN_AGE_HOURS, (post.observedAt.getTime() - post.postedAt.getTime()) / HOUR_MS);
  const engagements = post.likes + post.reposts + post.replies;
  const reachEstimate = post.impressions ?? Math.round(engagements / ENGAGEMENT_RATE);
  const audience = Math.max(post.authorFollowers, MIN_AUDIENCE);
  const organicReach = audience * ORGANIC_REACH_SHARE;
  const reasons: string[] = [];

  if (post.promoted) reasons.push('The platform marks the post as promoted: its reach is paid for.');

  if (reachEstimate >= MIN_ATTACK_REACH && reachEstimate > UNEXPLAINED_FACTOR * organicReach) {
    const source = post.impressions === undefined ? 'estimated from engagement' : 'impressions';
    reasons.push(
      `Reach of about ${reachEstimate.toLocaleString('en')} (${source}) is ${Math.round(reachEstimate / organicReach).toLocaleString('en')}× ` +
        `what ${post.authorFollowers.toLocaleString('en')} followers explain.`,
    );
  }

  const perHour = engagements / ageHours;
  const expectedPerHour = (organicReach * ENGAGEMENT_RATE) / ORGANIC_SPREAD_HOURS;
  if (perHour >= MIN_ENGAGEMENTS_PER_HOUR && perHour > UNEXPLAINED_FACTOR * expectedPerHour) {
    reasons.push(
      `${Math.round(perHour).toLocaleString('en')} engagements per hour, ${Math.round(perHour / expectedPerHour).toLocaleString('en')}× ` +
        `what the author's audience explains.`,
    );
  }

  return { attack: reasons.length > 0, reasons, reachEstimate };
}
