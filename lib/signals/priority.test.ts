import { describe, expect, it } from 'vitest';
import { assessAgitator } from '@/lib/signals/agitator';
import { classifyText } from '@/lib/signals/classify';
import { defaultPriorityWeights, PriorityWeights, scorePriority, type PriorityInput } from '@/lib/signals/priority';

const at = new Date('2024-03-05T12:00:00Z');
const hoursBefore = (h: number) => new Date(at.getTime() - h * 3_600_000);

function tweetInput(text: string, extra: Partial<PriorityInput> = {}): PriorityInput {
  const { category, sentiment, matchedTriggers } = classifyText({ text });
  return { channel: 'x', occurredAt: at, category, sentiment, matchedTriggers, followers: 800, ...extra };
}

const complaint = 'My bag is lost and nobody answers. I want a refund 😡';

describe('scorePriority', () => {
  it('returns a 0..100 score whose breakdown covers every factor with a sentence', () => {
    const result = scorePriority(tweetInput(complaint));
    expect(result.score).toBeGreaterThanOrEqual(0);
    expect(result.score).toBeLessThanOrEqual(100);
    expect(result.breakdown.map((b) => b.factor)).toEqual(['content', 'customer_value', 'reach', 'cross_channel', 'amplification', 'agitator']);
    for (const item of result.breakdown) expect(item.reason).toMatch(/^[A-Z0-9].*\.$/s);
    expect(Math.round(result.breakdown.reduce((s, b) => s + b.points, 0))).toBe(result.score);
  });

  it('ranks an angry complaint above a question, and a question above praise', () => {
    const angry = scorePriority(tweetInput(complaint)).score;
    const question = scorePriority(tweetInput('How do I add a bag to my booking?')).score;
    const praise = scorePriority(tweetInput('Thanks, great crew today!')).score;
    expect(angry).toBeGreaterThan(question);
    expect(question).toBeGreaterThan(praise);
  });

  it('ranks higher someone who emailed three hours ago and is now tweeting', () => {
    const alone = scorePriority(tweetInput(complaint));
    const emailedBefore = scorePriority(tweetInput(complaint, { earlierContacts: [{ channel: 'email', occurredAt: hoursBefore(3) }] }));
    expect(emailedBefore.score).toBeGreaterThan(alone.score);
    expect(emailedBefore.breakdown.find((b) => b.factor === 'cross_channel')?.reason).toBe('Contacted us by email 3 hours ago and now on X.');
  });

  it('weighs a recent contact elsewhere more than an old one, and ignores contacts older than 24 hours or later than this one', () => {
    const points = (hours: number) => scorePriority(tweetInput(complaint, { earlierContacts: [{ channel: 'phone', occurredAt: hoursBefore(hours) }] })).breakdown.find((b) => b.factor === 'cross_channel')?.points;
    expect(points(2)).toBeGreaterThan(points(20) ?? Infinity);
    expect(points(30)).toBe(0);
    expect(points(-1)).toBe(0);
  });

  it('counts several other channels more than one', () => {
    const one = scorePriority(tweetInput(complaint, { earlierContacts: [{ channel: 'email', occurredAt: hoursBefore(10) }] }));
    const two = scorePriority(tweetInput(complaint, { earlierContacts: [{ channel: 'email', occurredAt: hoursBefore(10) }, { channel: 'phone', occurredAt: hoursBefore(9) }] }));
    expect(two.score).toBeGreaterThan(one.score);
  });

  it('gives more points for more followers, on a log scale', () => {
    const reach = (followers: number) => scorePriority(tweetInput(complaint, { followers })).breakdown.find((b) => b.factor === 'reach')?.points ?? 0;
    expect(reach(100)).toBeGreaterThan(0);
    expect(reach(10_000)).toBeGreaterThan(reach(100));
    expect(reach(1_000_000)).toBe(defaultPriorityWeights.reach);
    expect(reach(50_000_000)).toBe(defaultPriorityWeights.reach);
    // Each hundredfold is worth the same points.
    expect(reach(10_000) - reach(100)).toBeCloseTo(reach(1_000_000) - reach(10_000), 0);
  });

  it('raises a promoted post and a post reaching far beyond its followers', () => {
    const base = scorePriority(tweetInput(complaint)).score;
    expect(scorePriority(tweetInput(complaint, { promoted: true })).score).toBeGreaterThan(base);
    const anomalous = scorePriority(tweetInput(complaint, { impressions: 400_000, followers: 800 }));
    expect(anomalous.breakdown.find((b) => b.factor === 'amplification')?.reason).toBe('Seen 400,000 times with 800 followers: 500× their audience.');
    expect(scorePriority(tweetInput(complaint, { impressions: 2_000, followers: 800 })).breakdown.find((b) => b.factor === 'amplification')?.points).toBe(0);
  });

  it('ranks a valuable customer above an unknown author, and a likely agitator lower but still scored', () => {
    const customer = assessAgitator({ now: at, purchaseCount: 9, lifetimeValue: 4_000 });
    const agitator = assessAgitator({ now: at, purchaseCount: 0, accountCreatedAt: hoursBefore(30), postsLast24h: 70 });
    const unknown = scorePriority(tweetInput(complaint)).score;
    const loyal = scorePriority(tweetInput(complaint, { lifetimeValue: 4_000, agitator: customer }));
    const suspect = scorePriority(tweetInput(complaint, { agitator }));
    expect(loyal.score).toBeGreaterThan(unknown);
    expect(suspect.score).toBeLessThan(unknown);
    expect(suspect.score).toBeGreaterThan(0);
    expect(suspect.breakdown.find((b) => b.factor === 'agitator')?.reason).toContain('Possibly an agitator');
  });

  it.each(['email', 'phone'] as const)('gives an unverified %s sender no credit for the claimed customer’s value or earlier contacts', (channel) => {
    const claims: Partial<PriorityInput> = { channel, lifetimeValue: 4_000, earlierContacts: [{ channel: 'x', occurredAt: hoursBefore(2) }] };
    const verified = scorePriority(tweetInput(complaint, claims));
    const unverified = scorePriority(tweetInput(complaint, { ...claims, senderVerified: false }));
    expect(unverified.score).toBeLessThan(verified.score);
    for (const factor of ['customer_value', 'cross_channel']) {
      expect(unverified.breakdown.find((b) => b.factor === factor)).toEqual({ factor, points: 0, reason: 'Sender not verified: the address or number may belong to someone else.' });
    }
    expect(unverified.breakdown.find((b) => b.factor === 'content')).toEqual(verified.breakdown.find((b) => b.factor === 'content'));
  });

  it('follows the organization’s weights', () => {
    const reachOnly = PriorityWeights.parse({ ...defaultPriorityWeights, content: 0, customerValue: 0, crossChannel: 0, amplification: 0, agitator: 0, reach: 100 });
    expect(scorePriority(tweetInput(complaint, { followers: 1_000_000 }), reachOnly).score).toBe(100);
    expect(scorePriority(tweetInput(complaint, { followers: 0 }), reachOnly).score).toBe(0);
  });

  it('rejects invalid weights and inputs', () => {
    expect(PriorityWeights.safeParse({ ...defaultPriorityWeights, reach: -5 }).success).toBe(false);
    expect(() => scorePriority({ ...tweetInput(complaint), sentiment: -3 })).toThrow();
  });

  it('never exceeds 100 however many factors apply', () => {
    const everything = scorePriority(
      tweetInput('WORST airline, lost bag, refund now, never again, scam 😡😡', {
        followers: 5_000_000,
        lifetimeValue: 1_000_000,
        promoted: true,
        earlierContacts: [
          { channel: 'email', occurredAt: hoursBefore(1) },
          { channel: 'phone', occurredAt: hoursBefore(2) },
        ],
        agitator: { kind: 'customer', confidence: 1, reasons: ['Has 50 purchases on record.'] },
      }),
    );
    expect(everything.score).toBe(100);
  });
});

describe('scoreCheckedPriority', () => {
  it('gives the same score and reasons as scorePriority for checked input', async () => {
    const { scoreCheckedPriority, PriorityInput } = await import('@/lib/signals/priority');
    const input = tweetInput(complaint, { earlierContacts: [{ channel: 'email', occurredAt: hoursBefore(3) }], promoted: true });
    expect(scoreCheckedPriority(PriorityInput.parse(input), defaultPriorityWeights)).toEqual(scorePriority(input));
  });
});
