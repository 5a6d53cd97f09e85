import { describe, expect, it } from 'vitest';
import { DomainError } from '@/lib/errors';
import { poissonCount, seededRandom } from './seeded-random';
import { SpikeDetector, type SpikeAlert } from './spike-detector';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// A Monday, midnight UTC: weekday factors below are indexed from it.
const START = Date.UTC(2025, 0, 6);

/** Complaints per minute of an ordinary day: quiet nights, busy afternoons, calmer weekends. */
function rhythm(baseline: number) {
  return (ms: number) => {
    const hour = ((ms - START) % DAY) / HOUR;
    const weekday = Math.floor((ms - START) / DAY) % 7;
    const daily = 1 + 0.6 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
    return baseline * daily * (weekday >= 5 ? 0.6 : 1);
  };
}

type Feed = { detector: SpikeDetector; key: string; random: () => number; alerts: SpikeAlert[] };

function feed(detector: SpikeDetector, key = 'acme/all', seed = 1): Feed {
  return { detector, key, random: seededRandom(seed), alerts: [] };
}

/** Plays `durationMs` of traffic whose mean per bucket is `rate(t)` (complaints per minute × bucket minutes). */
function play(f: Feed, fromMs: number, durationMs: number, rate: (ms: number) => number, bucketMs = MINUTE): number {
  for (let t = fromMs; t < fromMs + durationMs; t += bucketMs) {
    const alert = f.detector.observe(f.key, t, poissonCount(f.random, (rate(t) * bucketMs) / MINUTE));
    if (alert) f.alerts.push(alert);
  }
  return fromMs + durationMs;
}

describe('SpikeDetector', () => {
  it('alerts once for a step, dating it from the onset, and explains it', () => {
    const f = feed(new SpikeDetector());
    const normal = rhythm(10);
    const onset = play(f, START, 3 * DAY + 14 * HOUR, normal);
    play(f, onset, 3 * HOUR, (t) => normal(t) * 5);
    expect(f.alerts).toHaveLength(1);
    const [alert] = f.alerts;
    // The alert waits until the storm has brought three hours' worth of usual traffic; `sinceMs` dates it back.
    expect(alert!.bucketStartMs).toBeGreaterThanOrEqual(onset);
    expect(alert!.bucketStartMs).toBeLessThan(onset + HOUR);
    expect(alert!.sinceMs).toBeGreaterThanOrEqual(onset);
    expect(alert!.sinceMs).toBeLessThan(onset + 10 * MINUTE);
    expect(alert!.seriesKey).toBe('acme/all');
    expect(alert!.observed).toBeGreaterThan(2 * alert!.expected);
    expect(alert!.expected).toBeGreaterThan(normal(alert!.bucketStartMs) * 0.7);
    expect(alert!.expected).toBeLessThan(normal(alert!.bucketStartMs) * 1.3);
    expect(alert!.score).toBeGreaterThan(0);
  });

  it('alerts a storm a bucket earlier when a surging term corroborates it, and only then', () => {
    const settings = { minExcessMs: 2 * MINUTE, minExcessEvents: 20, warmupMs: 6 * HOUR };
    const onsetOf = (evidence?: (count: number) => { term: string; observed: number; expected: number }) => {
      const f = feed(new SpikeDetector(settings), 'acme/all', 9);
      const onset = play(f, START, 2 * DAY + 14 * HOUR, () => 60);
      // 45 extra complaints a minute on top of 60: the series' own bar (its rarity, two minutes of its traffic) waits.
      for (let t = onset; t < onset + 20 * MINUTE; t += MINUTE) {
        const count = poissonCount(f.random, 105);
        const alert = f.detector.observe(f.key, t, count, evidence?.(count));
        if (alert) return { minutes: (t - onset) / MINUTE, alert };
      }
      return null;
    };
    const plain = onsetOf();
    const corroborated = onsetOf((count) => ({ term: '#lostluggage', observed: Math.round((count - 60) * 0.9), expected: 0.01 }));
    expect(plain).toMatchObject({ minutes: 2, alert: { corroboratedBy: null } });
    expect(corroborated).toMatchObject({ minutes: 1, alert: { corroboratedBy: { term: '#lostluggage' } } });
    expect(corroborated!.alert.score).toBeGreaterThanOrEqual(6);
    expect(corroborated!.alert.sinceMs).toBe(plain!.alert.sinceMs);
    // A common term whose extra is less than two minutes of its own usual traffic corroborates nothing.
    const common = onsetOf((count) => ({ term: 'flight', observed: 30 + Math.round((count - 60) / 2), expected: 30 }));
    expect(common).toEqual(plain);
  });

  it('catches a ramp while it is still climbing', () => {
    const f = feed(new SpikeDetector(), 'acme/all', 2);
    const normal = rhythm(10);
    const rampStart = play(f, START, 4 * DAY + 10 * HOUR, normal);
    const rampMs = 3 * HOUR;
    play(f, rampStart, rampMs, (t) => normal(t) * (1 + (9 * (t - rampStart)) / rampMs));
    expect(f.alerts).toHaveLength(1);
    expect(f.alerts[0]!.bucketStartMs).toBeGreaterThan(rampStart);
    expect(f.alerts[0]!.bucketStartMs).toBeLessThan(rampStart + rampMs);
  });

  it('lets a single outlier bucket pass without alerting or moving the baseline', () => {
    const detector = new SpikeDetector();
    const f = feed(detector, 'acme/all', 3);
    const normal = rhythm(10);
    const at = play(f, START, 3 * DAY + 12 * HOUR, normal);
    const before = detector.expectedCount(f.key, at + MINUTE);
    expect(detector.observe(f.key, at, Math.round(normal(at) * 8))).toBeNull();
    expect(detector.expectedCount(f.key, at + MINUTE)).toBeLessThan(before * 1.05);
    play(f, at + MINUTE, 6 * HOUR, normal);
    expect(f.alerts).toEqual([]);
  });

  it('alerts on one bucket that alone brings hours of traffic', () => {
    const f = feed(new SpikeDetector(), 'acme/all', 4);
    const normal = rhythm(10);
    const at = play(f, START, 3 * DAY + 12 * HOUR, normal);
    const alert = f.detector.observe(f.key, at, 3000);
    expect(alert).not.toBeNull();
    expect(alert!.trigger).toBe('bucket');
    play(f, at + MINUTE, 6 * HOUR, normal);
    expect(f.alerts).toEqual([]);
  });

  it('learns daily and weekly rhythm over several weeks without a single alert', () => {
    const f = feed(new SpikeDetector({ bucketMs: 5 * MINUTE }), 'acme/all', 5);
    play(f, START, 6 * 7 * DAY, rhythm(10), 5 * MINUTE);
    expect(f.alerts).toEqual([]);
    // The weekend dip and the afternoon peak are in the baseline, not treated as anomalies.
    const saturday = START + 6 * 7 * DAY + 5 * DAY + 15 * HOUR;
    const tuesday = START + 6 * 7 * DAY + DAY + 15 * HOUR;
    const ratio = f.detector.expectedCount(f.key, saturday) / f.detector.expectedCount(f.key, tuesday);
    expect(ratio).toBeGreaterThan(0.45);
    expect(ratio).toBeLessThan(0.75);
    const night = f.detector.expectedCount(f.key, tuesday - 12 * HOUR);
    expect(night / f.detector.expectedCount(f.key, tuesday)).toBeLessThan(0.5);
  });

  it('alerts exactly once for a storm that lasts hours, does not learn it, and re-arms for the next one', () => {
    const detector = new SpikeDetector();
    const f = feed(detector, 'acme/channel:twitter', 6);
    const normal = rhythm(10);
    const stormStart = play(f, START, 8 * DAY + 13 * HOUR, normal);
    const beforeStorm = detector.stateOf(f.key)!.level;
    const stormEnd = play(f, stormStart, 8 * HOUR, (t) => normal(t) * 4);
    expect(f.alerts).toHaveLength(1);
    expect(detector.stateOf(f.key)!.phase).toBe('storm');
    expect(detector.stateOf(f.key)!.level).toBeLessThan(beforeStorm * 1.5);
    const nextStorm = play(f, stormEnd, DAY, normal);
    expect(detector.stateOf(f.key)!.phase).toBe('normal');
    expect(f.alerts).toHaveLength(1);
    play(f, nextStorm, 4 * HOUR, (t) => normal(t) * 4);
    expect(f.alerts).toHaveLength(2);
    expect(f.alerts[1]!.bucketStartMs).toBeGreaterThanOrEqual(nextStorm);
  });

  it('counts missing buckets of a sparse series as zeros and still finds a burst', () => {
    const detector = new SpikeDetector();
    const key = 'smallco/topic:refund';
    const random = seededRandom(7);
    const alerts: SpikeAlert[] = [];
    // About 30 complaints a day; only buckets with complaints are reported, as an event stream would.
    const end = START + 14 * DAY;
    for (let t = START; t < end; t += MINUTE) {
      const count = poissonCount(random, 0.02);
      if (count > 0) {
        const alert = detector.observe(key, t, count);
        if (alert) alerts.push(alert);
      }
    }
    expect(alerts).toEqual([]);
    expect(detector.expectedCount(key, end)).toBeLessThan(0.06);
    const burst = end + 30 * MINUTE;
    for (let m = 0; m < 20; m++) {
      const alert = detector.observe(key, burst + m * MINUTE, m % 2 === 0 ? 3 : 1);
      if (alert) alerts.push(alert);
    }
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.sinceMs).toBeGreaterThanOrEqual(burst);
  });

  it('keeps series apart and gives the same alerts on a replay', () => {
    const run = () => {
      const detector = new SpikeDetector();
      const quiet = feed(detector, 'acme/all', 8);
      const stormy = feed(detector, 'acme/topic:luggage', 9);
      let t = START;
      const onset = START + 3 * DAY + 12 * HOUR;
      for (; t < onset + 4 * HOUR; t += MINUTE) {
        play(quiet, t, MINUTE, rhythm(20));
        play(stormy, t, MINUTE, (ms) => rhythm(5)(ms) * (ms >= onset ? 6 : 1));
      }
      return [...quiet.alerts, ...stormy.alerts];
    };
    const first = run();
    expect(first.map((a) => a.seriesKey)).toEqual(['acme/topic:luggage']);
    expect(run()).toEqual(first);
  });

  it('rejects buckets that go back in time and settings that make no sense', () => {
    const detector = new SpikeDetector();
    detector.observe('a', START + MINUTE, 1);
    expect(() => detector.observe('a', START, 1)).toThrow(DomainError);
    expect(() => detector.observe('a', START + 2 * MINUTE, -1)).toThrow(DomainError);
    expect(() => new SpikeDetector({ bucketMs: 0 })).toThrow(DomainError);
  });
});
