import { describe, expect, it } from 'vitest';
import { EmergingTerms, normaliseTerm, type EmergingTerm } from './emerging-terms';
import { seededRandom } from './seeded-random';

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

describe('EmergingTerms', () => {
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

  it('normalises case and spaces', () => {
    expect(normaliseTerm('  #LostLuggage ')).toBe('#lostluggage');
  });
});
