import { z } from 'zod';
import { foldText } from '@/lib/signals/text';
import { formatCount } from '@/lib/signals/format';

export const agitatorKinds = ['customer', 'possible_agitator', 'unknown'] as const;
export const AgitatorKind = z.enum(agitatorKinds);
export type AgitatorKind = z.infer<typeof AgitatorKind>;

/** What we know about an author; an absent field means "unknown", which is never held against them. */
export const AgitatorInput = z.object({
  now: z.date(),
  /** Orders on record; 0 means we looked and found none, undefined means no purchase data. */
  purchaseCount: z.number().int().nonnegative().optional(),
  lifetimeValue: z.number().nonnegative().optional(),
  accountCreatedAt: z.date().optional(),
  /** Their mentions of the organization in the last 24 hours, on any channel. */
  postsLast24h: z.number().int().nonnegative().optional(),
  followers: z.number().int().nonnegative().optional(),
  impressions: z.number().int().nonnegative().optional(),
  promoted: z.boolean().optional(),
  hashtags: z.array(z.string()).default([]),
  /** Hashtags the detector saw pushed by many new or unrelated accounts at once. */
  coordinatedHashtags: z.array(z.string()).default([]),
});
export type AgitatorInput = z.input<typeof AgitatorInput>;

export const AgitatorAssessment = z.object({
  kind: AgitatorKind,
  /** 0..1: how sure we are of `kind`; 0 for unknown. */
  confidence: z.number().min(0).max(1),
  reasons: z.array(z.string()),
});
export type AgitatorAssessment = z.infer<typeof AgitatorAssessment>;

const day = 86_400_000;

/**
 * Tells an angry customer from a possible agitator, with the reasons an agent can check. Purchase history wins:
 * a customer who pays to promote a complaint is escalating, not agitating. The result informs priority; it never hides a message.
 */
export function assessAgitator(input: AgitatorInput): AgitatorAssessment {
  return assessCheckedAgitator(AgitatorInput.parse(input));
}

/** `assessAgitator` for input that already satisfies `AgitatorInput` (ingest builds thousands per second from checked data). */
export function assessCheckedAgitator(a: z.output<typeof AgitatorInput>): AgitatorAssessment {
  const reasons: string[] = [];
  let customer = 0;
  let agitator = 0;

  const bought = (a.purchaseCount ?? 0) > 0 || (a.lifetimeValue ?? 0) > 0;
  if ((a.purchaseCount ?? 0) > 0) {
    customer += 3;
    reasons.push(`Has ${a.purchaseCount} purchase${a.purchaseCount === 1 ? '' : 's'} on record${a.lifetimeValue ? ` (lifetime value ${formatCount(a.lifetimeValue)})` : ''}.`);
  } else if ((a.lifetimeValue ?? 0) > 0) {
    customer += 2;
    reasons.push(`Has a lifetime value of ${formatCount(a.lifetimeValue ?? 0)}.`);
  } else if (a.purchaseCount === 0) {
    agitator += 1;
    reasons.push('No purchase on record.');
  }

  if (a.accountCreatedAt) {
    const ageDays = Math.floor((a.now.getTime() - a.accountCreatedAt.getTime()) / day);
    if (ageDays < 7) {
      agitator += 2;
      reasons.push(`The account was created ${ageDays} day${ageDays === 1 ? '' : 's'} ago.`);
    } else if (ageDays < 30) {
      agitator += 1.5;
      reasons.push(`The account was created ${ageDays} days ago.`);
    } else if (ageDays >= 730) {
      customer += 0.5;
      reasons.push(`The account is ${Math.floor(ageDays / 365)} years old.`);
    }
  }

  if (a.postsLast24h !== undefined && a.postsLast24h >= 20) {
    agitator += a.postsLast24h >= 50 ? 2 : 1.5;
    reasons.push(`Posted about us ${a.postsLast24h} times in the last 24 hours.`);
  }

  if (a.promoted) {
    if (bought) reasons.push('Paid to promote the post: a customer escalating a complaint.');
    else {
      agitator += 1;
      reasons.push('Paid to promote a post about us without purchases on record.');
    }
  }

  if (a.impressions !== undefined && a.followers !== undefined && a.impressions >= 10_000) {
    const ratio = a.impressions / Math.max(1, a.followers);
    if (ratio >= 50) {
      if (!bought) agitator += 1;
      reasons.push(`Seen ${formatCount(a.impressions)} times with ${formatCount(a.followers)} followers (${formatCount(ratio)}× their audience).`);
    }
  }

  const coordinated = new Set(a.coordinatedHashtags.map((t) => foldText(t.replace(/^#/, ''))));
  const shared = [...new Set(a.hashtags.map((t) => foldText(t.replace(/^#/, ''))))].filter((t) => coordinated.has(t));
  if (shared.length > 0) {
    agitator += 1.5;
    reasons.push(`Uses ${shared.map((t) => `#${t}`).join(', ')}, pushed by many accounts at once.`);
  }

  if (reasons.length === 0) reasons.push('Nothing known yet about purchases, account age or posting pattern.');

  if (customer >= 2) {
    return { kind: 'customer', confidence: round(clamp(0.6 + 0.1 * customer - 0.05 * agitator, 0.5, 0.95)), reasons };
  }
  if (agitator >= 2.5) {
    return { kind: 'possible_agitator', confidence: round(clamp(0.3 + 0.1 * agitator - 0.1 * customer, 0.3, 0.9)), reasons };
  }
  return { kind: 'unknown', confidence: 0, reasons };
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const round = (x: number) => Math.round(x * 100) / 100;
