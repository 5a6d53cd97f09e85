import { z } from 'zod';
import { exhaustiveSwitchError } from '@/lib/errors';
import { Channel } from '@/lib/channels/types';
import { AgitatorAssessment } from '@/lib/signals/agitator';
import { MentionCategory } from '@/lib/signals/classify';
import { channelLabel, formatCount, timeAgo } from '@/lib/signals/format';

const Points = z.number().min(0).max(100);

/** An organization's priority weights: the most points each factor can give, and the scales that earn them. */
export const PriorityWeights = z.object({
  content: Points,
  customerValue: Points,
  reach: Points,
  crossChannel: Points,
  amplification: Points,
  /** Added for a likely customer, subtracted for a likely agitator, scaled by confidence. */
  agitator: Points,
  lifetimeValueForFullPoints: z.number().positive(),
  followersForFullPoints: z.number().int().min(10),
  /** Impressions this many times the follower count make a post reach-anomalous. */
  reachAnomalyRatio: z.number().min(1),
});
export type PriorityWeights = z.infer<typeof PriorityWeights>;

/** Defaults: the factors add up to 100. */
export const defaultPriorityWeights: PriorityWeights = {
  content: 35,
  customerValue: 20,
  reach: 15,
  crossChannel: 15,
  amplification: 10,
  agitator: 5,
  lifetimeValueForFullPoints: 5_000,
  followersForFullPoints: 1_000_000,
  reachAnomalyRatio: 20,
};

export const priorityFactors = ['content', 'customer_value', 'reach', 'cross_channel', 'amplification', 'agitator'] as const;
export type PriorityFactor = (typeof priorityFactors)[number];

/** What priority is computed from: the classified mention, the customer, and their recent contacts. */
export const PriorityInput = z.object({
  channel: Channel,
  occurredAt: z.date(),
  category: MentionCategory,
  sentiment: z.number().min(-1).max(1),
  matchedTriggers: z.array(z.string()).default([]),
  lifetimeValue: z.number().nonnegative().optional(),
  followers: z.number().int().nonnegative().optional(),
  impressions: z.number().int().nonnegative().optional(),
  promoted: z.boolean().optional(),
  /** Set by the detector when it judged the post's reach anomalous by its own series. */
  reachAnomalous: z.boolean().optional(),
  /** The customer's earlier mentions on any channel; only the 24 hours before this one count. */
  earlierContacts: z.array(z.object({ channel: Channel, occurredAt: z.date() })).default([]),
  agitator: AgitatorAssessment.optional(),
  /**
   * False when the channel could not prove the author owns the address they wrote or called from (a forged email From,
   * a spoofed caller id): the customer's value and earlier contacts are then someone else's claim and earn nothing.
   */
  senderVerified: z.boolean().optional(),
});
// Callers may omit the defaulted fields, so the exported type is the schema's input.
export type PriorityInput = z.input<typeof PriorityInput>;

export type PriorityBreakdownItem = { factor: PriorityFactor; points: number; reason: string };
export type Priority = { score: number; breakdown: PriorityBreakdownItem[] };

type Parsed = z.output<typeof PriorityInput>;
type Part = { fraction: number; reason: string };

const hour = 3_600_000;

/**
 * Scores a mention 0..100 with a breakdown an agent can read: what was said, who said it, how far it reaches,
 * whether they already contacted us elsewhere, whether the post is promoted or spreading unusually, and the agitator assessment.
 */
export function scorePriority(input: PriorityInput, weights: PriorityWeights = defaultPriorityWeights): Priority {
  return scoreCheckedPriority(PriorityInput.parse(input), PriorityWeights.parse(weights));
}

/** Input that already satisfies `PriorityInput` with its defaults filled in, as the ingest pipeline builds it. */
export type CheckedPriorityInput = z.output<typeof PriorityInput>;

/** `scorePriority` for input and weights already validated (ingest builds thousands per second from checked data). */
export function scoreCheckedPriority(p: CheckedPriorityInput, w: PriorityWeights): Priority {
  const breakdown = priorityFactors.map((factor): PriorityBreakdownItem => {
    const { points, reason } = scoreFactor(factor, p, w);
    return { factor, points: Math.round(points * 10) / 10, reason };
  });
  const total = breakdown.reduce((sum, b) => sum + b.points, 0);
  return { score: Math.round(Math.min(100, Math.max(0, total))), breakdown };
}

const scaled = (weight: number, part: Part) => ({ points: weight * part.fraction, reason: part.reason });

function scoreFactor(factor: PriorityFactor, p: Parsed, w: PriorityWeights): { points: number; reason: string } {
  switch (factor) {
    case 'content':
      return scaled(w.content, contentPart(p));
    case 'customer_value':
      return scaled(w.customerValue, customerValuePart(p, w));
    case 'reach':
      return scaled(w.reach, reachPart(p, w));
    case 'cross_channel':
      return scaled(w.crossChannel, crossChannelPart(p));
    case 'amplification':
      return scaled(w.amplification, amplificationPart(p, w));
    case 'agitator':
      return agitatorPoints(p, w);
    default:
      return exhaustiveSwitchError(factor);
  }
}

function categoryBase(category: MentionCategory): { base: number; label: string } {
  switch (category) {
    case 'complaint':
      return { base: 0.6, label: 'A complaint' };
    case 'question':
      return { base: 0.35, label: 'A question' };
    case 'praise':
      return { base: 0.05, label: 'Praise' };
    case 'other':
      return { base: 0.1, label: 'A message' };
    default:
      return exhaustiveSwitchError(category);
  }
}

function contentPart(p: Parsed): Part {
  const { base, label } = categoryBase(p.category);
  const negativity = Math.max(0, -p.sentiment);
  const urgentWords = p.category === 'complaint' || p.category === 'question' ? Math.min(1, p.matchedTriggers.length / 3) : 0;
  const tone = p.sentiment <= -0.5 ? 'a strongly negative tone' : p.sentiment < 0 ? 'a negative tone' : p.sentiment > 0.3 ? 'a positive tone' : 'a neutral tone';
  const words = p.matchedTriggers.length ? `, saying ${p.matchedTriggers.slice(0, 5).map((t) => `“${t}”`).join(', ')}` : '';
  return { fraction: Math.min(1, base + 0.3 * negativity + 0.1 * urgentWords), reason: `${label} with ${tone} (sentiment ${p.sentiment.toFixed(2)})${words}.` };
}

const unverifiedSender = 'Sender not verified: the address or number may belong to someone else.';

function customerValuePart(p: Parsed, w: PriorityWeights): Part {
  if (p.senderVerified === false) return { fraction: 0, reason: unverifiedSender };
  if (p.lifetimeValue === undefined || p.lifetimeValue === 0) return { fraction: 0, reason: p.lifetimeValue === 0 ? 'No purchases on record.' : 'Lifetime value unknown.' };
  const fraction = Math.min(1, Math.log10(1 + p.lifetimeValue) / Math.log10(1 + w.lifetimeValueForFullPoints));
  return { fraction, reason: `Lifetime value ${formatCount(p.lifetimeValue)} (full points from ${formatCount(w.lifetimeValueForFullPoints)}).` };
}

function reachPart(p: Parsed, w: PriorityWeights): Part {
  if (p.followers === undefined) return { fraction: 0, reason: 'Follower count unknown.' };
  // Log scale: going from 100 to 10,000 followers matters as much as from 10,000 to 1,000,000.
  const fraction = Math.min(1, Math.log10(1 + p.followers) / Math.log10(1 + w.followersForFullPoints));
  return { fraction, reason: `${formatCount(p.followers)} followers.` };
}

function crossChannelPart(p: Parsed): Part {
  if (p.senderVerified === false) return { fraction: 0, reason: unverifiedSender };
  const now = p.occurredAt.getTime();
  const recent = p.earlierContacts.filter((c) => c.occurredAt.getTime() < now && now - c.occurredAt.getTime() <= 24 * hour);
  const elsewhere = recent.filter((c) => c.channel !== p.channel).sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime());
  const latest = elsewhere[0];
  if (latest) {
    const channelsElsewhere = [...new Set(elsewhere.map((c) => c.channel))];
    const ago = now - latest.occurredAt.getTime();
    const fraction = Math.min(1, 0.6 + 0.2 * (channelsElsewhere.length - 1) + (ago <= 6 * hour ? 0.2 : 0));
    const others = channelsElsewhere.length > 1 ? ` (and on ${channelsElsewhere.filter((c) => c !== latest.channel).map(channelLabel).join(', ')} earlier)` : '';
    return { fraction, reason: `Contacted us by ${channelLabel(latest.channel)} ${timeAgo(ago)}${others} and now on ${channelLabel(p.channel)}.` };
  }
  if (recent.length > 0) {
    return { fraction: Math.min(0.4, 0.2 * recent.length), reason: `Already wrote ${recent.length} time${recent.length === 1 ? '' : 's'} on ${channelLabel(p.channel)} in the last 24 hours.` };
  }
  return { fraction: 0, reason: 'No other contact in the last 24 hours.' };
}

function amplificationPart(p: Parsed, w: PriorityWeights): Part {
  if (p.promoted) return { fraction: 1, reason: 'Promoted post: paid to reach beyond the author’s followers.' };
  if (p.impressions !== undefined && p.followers !== undefined && p.impressions >= 1_000) {
    const ratio = p.impressions / Math.max(1, p.followers);
    if (ratio >= w.reachAnomalyRatio) {
      return { fraction: Math.min(1, 0.6 + 0.2 * Math.log10(ratio / w.reachAnomalyRatio)), reason: `Seen ${formatCount(p.impressions)} times with ${formatCount(p.followers)} followers: ${formatCount(ratio)}× their audience.` };
    }
  }
  if (p.reachAnomalous) return { fraction: 0.6, reason: 'Spreading faster than this author’s posts usually do.' };
  return { fraction: 0, reason: 'Neither promoted nor spreading unusually.' };
}

function agitatorPoints(p: Parsed, w: PriorityWeights): { points: number; reason: string } {
  const a = p.agitator;
  if (!a) return { points: 0, reason: 'Not assessed.' };
  const confidence = a.confidence.toFixed(2);
  switch (a.kind) {
    case 'customer':
      return { points: w.agitator * a.confidence, reason: `Likely a customer (confidence ${confidence}): ${a.reasons[0] ?? ''}`.trim() };
    case 'possible_agitator':
      // Ranked lower, never hidden: agents still see and answer the message.
      return { points: -w.agitator * a.confidence, reason: `Possibly an agitator (confidence ${confidence}): ${a.reasons.join(' ')}` };
    case 'unknown':
      return { points: 0, reason: 'Not enough known to tell a customer from an agitator.' };
    default:
      return exhaustiveSwitchError(a.kind);
  }
}
