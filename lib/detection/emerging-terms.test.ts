import { describe, expect, it } from 'vitest';
import { EmergingTerms, normaliseTerm, type EmergingTerm } from './emerging-terms';
import { poissonCount, seededRandom } from './seeded-random';

const MINUTE = 60_000;
const START = Date.UTC(2025, 2, 3);
const everyday = ['delay', 'refund', 'app', 'login', 'baggage', 'seat', 'crew', 'wifi', 'food', 'checkin'];

/** Ordinary complaints: one to three common terms each, plus now and then a one-off word. */
function ordinaryTerms(random: () => number, i: number): string[] {
  const terms = [everyday[Math.floor(random() * everyday.length)]!, everyday[Math.floor(random() * everyday.length)]!];
  if (random() < 0.1) terms.push(`oneoff${i}`);
  return terms;
}

function run(finder: EmergingTerms, fromMs: number, minutes: number, perMinute: number, extra?: (minute: number) => string[]) {
  const random = seededRandom(11);
  const found: EmergingTerm[] = [];
  let i = 0;
  for (let m = 0; m < minutes; m++) {
    for (let k = 0; k < perMinute; k++) {
      const terms = [...ordinaryTerms(random, i++), ...(k === 0 ? (extra?.(m) ?? []) : [])];
      found.push(...finder.observe(fromMs + m * MINUTE + k, terms));
    }
  }
  return found;
}

/**
 * Three days of an airline's traffic with an evening bank: from 17:00 to 19:00 complaints quadruple and "flight" and
 * "bag", already in a fifth of all complaints, come up in half of them. A rare hashtag can be added from `surgeFromMinute`.
 */
function airlineDays(finder: EmergingTerms, surgeFromMinute = Number.POSITIVE_INFINITY): EmergingTerm[] {
  const random = seededRandom(3);
  const words = ['flight', 'bag', 'delay', 'refund', 'app', 'seat', 'crew', 'food'];
  const found: EmergingTerm[] = [];
  for (let m = 0; m < 3 * 24 * 60; m++) {
    const hour = (m / 60) % 24;
    const busy = hour >= 17 && hour < 19;
    const complaints = poissonCount(random, busy ? 12 : 3);
    for (let k = 0; k < complaints; k++) {
      const terms = [words[Math.floor(random() * words.length)]!];
      if (random() < (busy ? 0.5 : 0.2)) terms.push('flight');
      if (random() < (busy ? 0.4 : 0.15)) terms.push('bag');
      if (m >= surgeFromMinute && random() < 0.3) terms.push('#LostLuggage');
      found.push(...finder.observe(START + m * MINUTE + k, terms));
    }
  }
  return found;
}

describe('EmergingTerms', () => {
  it('does not take common words for new topics when they are merely more frequent in a busy hour', () => {
    expect(airlineDays(new EmergingTerms())).toEqual([]);
    // Without the lift requirement, the sheer volume of the busy hour makes "flight" and "bag" look surprising.
    const byVolumeAlone = airlineDays(new EmergingTerms({ minLift: 1 }));
    expect(new Set(byVolumeAlone.map((f) => f.term))).toEqual(new Set(['flight', 'bag']));
  });

  it('still finds a rare hashtag as soon as five complaints mention it, in the busy hour too', () => {
    for (const surgeHour of [10, 17]) {
      const surgeFromMinute = 2 * 24 * 60 + surgeHour * 60;
      const found = airlineDays(new EmergingTerms(), surgeFromMinute);
      expect(found.map((f) => f.term)).toEqual(['#lostluggage']);
      // The lift requirement costs a rare term nothing: it fires with the fifth or sixth mention (about one a minute
      // off-peak), exactly when a finder without it does.
      expect(found[0]!.recentCount).toBeLessThan(6);
      expect(found[0]!.atMs - (START + surgeFromMinute * MINUTE)).toBeLessThan(10 * MINUTE);
      const withoutLift = airlineDays(new EmergingTerms({ minLift: 1 }), surgeFromMinute).find((f) => f.term === '#lostluggage');
      expect(found[0]!.atMs).toBe(withoutLift!.atMs);
    }
  });

  it('stays quiet on ordinary traffic, one-off words included', () => {
    expect(run(new EmergingTerms(), START, 2 * 24 * 60, 2)).toEqual([]);
  });

  it('finds a hashtag that was never seen and is suddenly everywhere, once, with its numbers', () => {
    const finder = new EmergingTerms();
    run(finder, START, 2 * 24 * 60, 2);
    const surgeStart = START + 2 * 24 * 60 * MINUTE;
    const found = run(finder, surgeStart, 120, 2, (m) => (m % 2 === 0 ? ['#LostLuggage'] : []));
    expect(found.map((f) => f.term)).toEqual(['#lostluggage']);
    const [hit] = found;
    expect(hit!.atMs).toBeLessThan(surgeStart + 30 * MINUTE);
    expect(hit!.recentCount).toBeGreaterThanOrEqual(5);
    expect(hit!.expectedRecentCount).toBeLessThan(0.5);
    expect(hit!.baselinePerHour).toBeLessThan(0.1);
  });

  it('finds a term that was rare before, but not one that was always common', () => {
    const finder = new EmergingTerms();
    // "ipad" comes up about once every three hours before the surge.
    run(finder, START, 2 * 24 * 60, 2, (m) => (m % 180 === 0 ? ['ipad'] : []));
    const found = run(finder, START + 2 * 24 * 60 * MINUTE, 60, 2, () => ['ipad', 'delay']);
    expect(found.map((f) => f.term)).toEqual(['ipad']);
    expect(found[0]!.baselinePerHour).toBeGreaterThan(0.1);
  });

  it('keeps memory bounded however many distinct words arrive', () => {
    const finder = new EmergingTerms({ maxTerms: 1000 });
    for (let i = 0; i < 20_000; i++) finder.observe(START + i * 1000, [`word${i}`, 'delay']);
    expect(finder.size).toBeLessThanOrEqual(1000);
    // The common term survives the pruning.
    expect(finder.observe(START + 20_000_000, ['delay'])).toEqual([]);
  });

  it('hands over what changed since the last save, and a restored finder knows what the first one knew', () => {
    const finder = new EmergingTerms({ maxTerms: 100 });
    run(finder, START, 24 * 60, 2);
    const saved = finder.takeChanges();
    // Only the kept terms are written; the one-off words pruned on the way are to be deleted.
    expect(saved.terms.length).toBe(finder.size);
    expect(saved.forgotten.length).toBeGreaterThan(0);
    expect(saved.forgotten.some((t) => saved.terms.some((k) => k.term === t))).toBe(false);
    const restored = new EmergingTerms({ maxTerms: 100 });
    restored.restore(saved);
    expect(restored.usualShare('seat')).toBe(finder.usualShare('seat'));
    expect(restored.baselinePerHour('delay')).toBe(finder.baselinePerHour('delay'));
    // The next save holds only what came since.
    finder.observe(START + 24 * 60 * MINUTE, ['delay']);
    expect(finder.takeChanges().terms.map((t) => t.term)).toEqual(['delay']);
  });

  it('keeps what it learned when retuned', () => {
    const finder = new EmergingTerms();
    run(finder, START, 24 * 60, 2);
    const usual = finder.usualShare('delay');
    finder.retune({ minLift: 5 });
    expect(finder.settings.minLift).toBe(5);
    expect(finder.usualShare('delay')).toBe(usual);
  });

  it('normalises case and spaces', () => {
    expect(normaliseTerm('  #LostLuggage ')).toBe('#lostluggage');
  });
});
