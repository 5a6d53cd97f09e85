import { describe, expect, it } from 'vitest';
import { assessAgitator } from '@/lib/signals/agitator';

const now = new Date('2024-03-05T12:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

describe('assessAgitator', () => {
  it('calls a customer with a lost bag who buys promoted tweets a customer, not an agitator', () => {
    const result = assessAgitator({ now, purchaseCount: 14, lifetimeValue: 6_200, accountCreatedAt: daysAgo(3_000), promoted: true, impressions: 1_250_000, followers: 900, postsLast24h: 6 });
    expect(result.kind).toBe('customer');
    expect(result.confidence).toBeGreaterThanOrEqual(0.8);
    expect(result.reasons).toContain('Has 14 purchases on record (lifetime value 6,200).');
    expect(result.reasons).toContain('Paid to promote the post: a customer escalating a complaint.');
  });

  it('flags a days-old account with no purchases, a high posting rate and a coordinated hashtag, with its reasons', () => {
    const result = assessAgitator({ now, purchaseCount: 0, accountCreatedAt: daysAgo(3), postsLast24h: 64, hashtags: ['BoycottAirStorm'], coordinatedHashtags: ['#boycottairstorm'], promoted: true });
    expect(result.kind).toBe('possible_agitator');
    expect(result.confidence).toBeGreaterThan(0.6);
    expect(result.reasons).toEqual([
      'No purchase on record.',
      'The account was created 3 days ago.',
      'Posted about us 64 times in the last 24 hours.',
      'Paid to promote a post about us without purchases on record.',
      'Uses #boycottairstorm, pushed by many accounts at once.',
    ]);
  });

  it('holds nothing unknown against an author: no data means unknown, not agitator', () => {
    expect(assessAgitator({ now })).toEqual({ kind: 'unknown', confidence: 0, reasons: ['Nothing known yet about purchases, account age or posting pattern.'] });
    expect(assessAgitator({ now, accountCreatedAt: daysAgo(20) }).kind).toBe('unknown');
  });

  it('treats a reach far beyond the follower count as amplification only for non-customers', () => {
    const stranger = assessAgitator({ now, purchaseCount: 0, accountCreatedAt: daysAgo(10), impressions: 400_000, followers: 120 });
    expect(stranger.kind).toBe('possible_agitator');
    expect(stranger.reasons).toContain('Seen 400,000 times with 120 followers (3,333× their audience).');
    expect(assessAgitator({ now, purchaseCount: 2, impressions: 400_000, followers: 120 }).kind).toBe('customer');
  });

  it('is less sure of a customer who also shows agitator signs', () => {
    const clean = assessAgitator({ now, purchaseCount: 1 });
    const mixed = assessAgitator({ now, purchaseCount: 1, accountCreatedAt: daysAgo(2), postsLast24h: 80 });
    expect(mixed.kind).toBe('customer');
    expect(mixed.confidence).toBeLessThan(clean.confidence);
  });
});
