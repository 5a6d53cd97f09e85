import { describe, expect, it } from 'vitest';
import { DomainError } from '@/lib/errors';
import { detectPromotedPost } from './promoted-post';

const postedAt = '2025-03-03T10:00:00Z';
const twoHoursLater = '2025-03-03T12:00:00Z';

describe('detectPromotedPost', () => {
  it('flags a post the platform marks as promoted', () => {
    const verdict = detectPromotedPost({ promoted: true, likes: 3, reposts: 0, replies: 1, authorFollowers: 40, postedAt, observedAt: twoHoursLater });
    expect(verdict.attack).toBe(true);
    expect(verdict.reasons).toHaveLength(1);
    expect(verdict.reasons[0]).toMatch(/promoted/);
  });

  it('flags impressions far beyond what a small audience explains', () => {
    const verdict = detectPromotedPost({ impressions: 250_000, likes: 40, reposts: 5, replies: 12, authorFollowers: 80, postedAt, observedAt: twoHoursLater });
    expect(verdict).toMatchObject({ attack: true, reachEstimate: 250_000 });
    expect(verdict.reasons.join(' ')).toMatch(/impressions/);
  });

  it('flags engagement velocity that the author cannot explain, and estimates reach from it', () => {
    const verdict = detectPromotedPost({ likes: 2400, reposts: 600, replies: 300, authorFollowers: 150, postedAt, observedAt: twoHoursLater });
    expect(verdict.attack).toBe(true);
    expect(verdict.reachEstimate).toBe(165_000);
    expect(verdict.reasons.some((r) => /per hour/.test(r))).toBe(true);
  });

  it('does not flag an ordinary complaint', () => {
    const verdict = detectPromotedPost({ impressions: 900, likes: 12, reposts: 1, replies: 4, authorFollowers: 3000, postedAt, observedAt: twoHoursLater });
    expect(verdict).toEqual({ attack: false, reasons: [], reachEstimate: 900 });
  });

  it('does not flag a big account reaching its own audience', () => {
    const verdict = detectPromotedPost({ impressions: 400_000, likes: 3000, reposts: 400, replies: 900, authorFollowers: 2_000_000, postedAt, observedAt: twoHoursLater });
    expect(verdict.attack).toBe(false);
  });

  it('rejects a post with negative counts', () => {
    expect(() => detectPromotedPost({ likes: -1, reposts: 0, replies: 0, authorFollowers: 0, postedAt, observedAt: postedAt })).toThrow(DomainError);
  });
});
