import { z } from 'zod';
import { invalidInput } from '@/lib/errors';
import { countSurprise } from './surprise';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Settings of the emerging-term finder; durations in milliseconds of the data's own clock. */
export const EmergingTermsOptions = z.object({
  /** Half-life of the recent count: how fast "suddenly frequent" is measured. */
  recentHalfLifeMs: z.number().positive().default(30 * MINUTE_MS),
  /** Half-life of the baseline: what "rare" is measured against. */
  baselineHalfLifeMs: z.number().positive().default(3 * DAY_MS),
  /** Fewest complaints in the recent window that mention the term. */
  minRecentCount: z.number().positive().default(5),
  /** Surprise (−log10 p of the recent count given the term's baseline share of complaints) that flags a term. */
  minScore: z.number().positive().default(6),
  /**
   * Fewest times its usual share of complaints a term must have in the recent window. Surprise alone grows with
   * volume: a common word ("flight", "bag") whose share merely doubles in an ordinary busy hour is very improbable
   * under a Poisson count of hundreds, yet it is not a new topic. A rare term that surges is far above this.
   */
  minLift: z.number().min(1).max(100).default(3),
  /** No term is flagged before the baseline has seen this many complaints: at first every term is new. */
  minBaselineComplaints: z.number().nonnegative().default(200),
  /** Most terms kept in memory; the least used are forgotten first. */
  maxTerms: z.number().int().min(16).default(20_000),
});
export type EmergingTermsOptions = z.input<typeof EmergingTermsOptions>;
type Settings = z.output<typeof EmergingTermsOptions>;

/** A term that was rare and is suddenly frequent, with the numbers that say so. */
export type EmergingTerm = {
  term: string;
  /** When the term crossed the line, in the data's clock. */
  atMs: number;
  /** Complaints mentioning it in the recent window (time-decayed). */
  recentCount: number;
  /** How many the baseline share of complaints predicted for the recent window. */
  expectedRecentCount: number;
  /** Mentions per hour before the surge, from the baseline. */
  baselinePerHour: number;
  score: number;
};

type TermStats = { recent: number; baseline: number; lastMs: number; flagged: boolean };

/** What the finder has learned about one term: its decayed counts as of `lastMs` (the data's clock). */
export type LearnedTerm = TermStats & { term: string };

/** What the finder has learned, to carry it across a restart. */
export type LearnedTerms = { recentComplaints: number; baselineComplaints: number; lastMs: number; terms: LearnedTerm[] };

// An unseen term is assumed to have appeared in half a complaint of the baseline: rare, but not impossible.
const PRIOR_MENTIONS = 0.5;

/** Normalises a term or hashtag so that "#LostLuggage" and "#lostluggage " count together. */
export function normaliseTerm(term: string): string {
  return term.trim().toLowerCase();
}

/**
 * Finds terms and hashtags that were rare and are suddenly frequent in a stream of complaints, with no list of
 * terms to watch. Counts are exponentially decayed at two speeds, per term, in a map of bounded size.
 */
export class EmergingTerms {
  private _settings: Readonly<Settings>;
  private readonly terms = new Map<string, TermStats>();
  // Terms seen and terms dropped since the last `takeChanges`: what a save has to write, not the whole map.
  private readonly changed = new Set<string>();
  private readonly forgotten = new Set<string>();
  private recentComplaints = 0;
  private baselineComplaints = 0;
  private lastMs = Number.NEGATIVE_INFINITY;

  constructor(options: EmergingTermsOptions = {}) {
    const parsed = EmergingTermsOptions.safeParse(options);
    if (!parsed.success) throw invalidInput('Invalid emerging-term settings.', parsed.error.issues);
    this._settings = Object.freeze(parsed.data);
  }

  get settings(): Readonly<Settings> {
    return this._settings;
  }

  /** Whether enough complaints have been seen to tell a usual term from a new one. */
  get armed(): boolean {
    return this.baselineComplaints >= this._settings.minBaselineComplaints;
  }

    /** Number of terms currently remembered (bounded by `maxTerms`). */
  get size(): number {
    return this.terms.size;
  }

  /** Changes settings without forgetting what was learned (an admin tuned `minLift`). */
  retune(options: EmergingTermsOptions): void {
    const parsed = EmergingTermsOptions.safeParse({ ...this._settings, ...options });
    if (!parsed.success) throw invalidInput('Invalid emerging-term settings.', parsed.error.issues);
    this._settings = Object.freeze(parsed.data);
    if (this.terms.size > this._settings.maxTerms) this.forgetLeastUsed(this.lastMs);
  }

  /** Starts from what was saved (`takeChanges` over time), before any complaint arrives. */
  restore(learned: LearnedTerms): void {
    this.recentComplaints = learned.recentComplaints;
    this.baselineComplaints = learned.baselineComplaints;
    this.lastMs = learned.lastMs;
    this.terms.clear();
    for (const { term, ...stats } of learned.terms) this.terms.set(term, { ...stats });
    if (this.terms.size > this._settings.maxTerms) this.forgetLeastUsed(this.lastMs);
  }

  /**
   * What changed since the previous call, to be saved in one batch: the totals, the terms seen since (as of when they
   * were last seen) and the terms forgotten since.
   */
  takeChanges(): LearnedTerms & { forgotten: string[] } {
    const terms = [...this.changed].flatMap((term) => {
      const stats = this.terms.get(term);
      return stats ? [{ term, ...stats }] : [];
    });
    const forgotten = [...this.forgotten];
    this.changed.clear();
    this.forgotten.clear();
    return { recentComplaints: this.recentComplaints, baselineComplaints: this.baselineComplaints, lastMs: this.lastMs, terms, forgotten };
  }

  /**
   * The share of past complaints (before the recent window) that mentioned a term, with the same prior as
   * detection: what "usual" means when a burst of complaints is explained by its terms.
   */
  usualShare(rawTerm: string): number {
    const stats = this.terms.get(normaliseTerm(rawTerm));
    const pastComplaints = Math.max(0, this.baselineComplaints - this.recentComplaints);
    if (!stats) return PRIOR_MENTIONS / (pastComplaints + 1);
    const elapsed = Math.max(0, this.lastMs - stats.lastMs);
    const recent = stats.recent * this.decay(elapsed, this.settings.recentHalfLifeMs);
    const baseline = stats.baseline * this.decay(elapsed, this.settings.baselineHalfLifeMs);
    return (Math.max(0, baseline - recent) + PRIOR_MENTIONS) / (pastComplaints + 1);
  }

  /** How many complaints per hour mentioned a term before the recent window (its usual rate). */
  baselinePerHour(rawTerm: string): number {
    const stats = this.terms.get(normaliseTerm(rawTerm));
    if (!stats) return 0;
    const elapsed = Math.max(0, this.lastMs - stats.lastMs);
    const recent = stats.recent * this.decay(elapsed, this.settings.recentHalfLifeMs);
    const baseline = stats.baseline * this.decay(elapsed, this.settings.baselineHalfLifeMs);
    return (Math.max(0, baseline - recent) * Math.LN2 * HOUR_MS) / this.settings.baselineHalfLifeMs;
  }

  /** Feeds one complaint and its terms; returns the terms that emerge with it (each once per surge). */
  observe(timeMs: number, rawTerms: readonly string[]): EmergingTerm[] {
    if (!Number.isFinite(timeMs)) throw invalidInput(`Complaint time is not a time: ${timeMs}.`);
    // Late complaints count as of the newest time seen: decay never runs backwards.
    const now = timeMs > this.lastMs ? timeMs : this.lastMs;
    if (Number.isFinite(this.lastMs)) {
      this.recentComplaints *= this.decay(now - this.lastMs, this.settings.recentHalfLifeMs);
      this.baselineComplaints *= this.decay(now - this.lastMs, this.settings.baselineHalfLifeMs);
    }
    this.lastMs = now;

    const emerged: EmergingTerm[] = [];
    const seen = new Set<string>();
    // The baseline is what came before the recent window: remove the recent part from both totals.
    const pastComplaints = Math.max(0, this.baselineComplaints - this.recentComplaints);
    const armed = this.armed;
    for (const raw of rawTerms) {
      const term = normaliseTerm(raw);
      if (term === '' || seen.has(term)) continue;
      seen.add(term);
      const stats = this.touch(term, now);
      this.changed.add(term);
      stats.recent += 1;
      stats.baseline += 1;
      const past = Math.max(0, stats.baseline - stats.recent);
      const share = (past + PRIOR_MENTIONS) / (pastComplaints + 1);
      const expected = share * (this.recentComplaints + 1);
      const score = countSurprise(stats.recent, expected, 0);
      if (stats.flagged) {
        // Re-arm once the term is back to what its baseline predicts.
        if (score < 1) stats.flagged = false;
        continue;
      }
      const lifted = stats.recent >= this.settings.minLift * expected;
      if (armed && lifted && stats.recent >= this.settings.minRecentCount && score >= this.settings.minScore) {
        stats.flagged = true;
        emerged.push({
          term,
          atMs: now,
          recentCount: stats.recent,
          expectedRecentCount: expected,
          baselinePerHour: (past * Math.LN2 * HOUR_MS) / this.settings.baselineHalfLifeMs,
          score,
        });
      }
    }
    this.recentComplaints += 1;
    this.baselineComplaints += 1;
    if (this.terms.size > this.settings.maxTerms) this.forgetLeastUsed(now);
    return emerged;
  }

  private decay(elapsedMs: number, halfLifeMs: number): number {
    return Math.pow(2, -elapsedMs / halfLifeMs);
  }

  private touch(term: string, now: number): TermStats {
    const stats = this.terms.get(term);
    if (!stats) {
      const fresh: TermStats = { recent: 0, baseline: 0, lastMs: now, flagged: false };
      this.terms.set(term, fresh);
      this.forgotten.delete(term);
      return fresh;
    }
    const elapsed = now - stats.lastMs;
    if (elapsed > 0) {
      stats.recent *= this.decay(elapsed, this.settings.recentHalfLifeMs);
      stats.baseline *= this.decay(elapsed, this.settings.baselineHalfLifeMs);
      stats.lastMs = now;
      if (stats.flagged && stats.recent < 1) stats.flagged = false;
    }
    return stats;
  }

  // Keeps the most used half of the terms; amortised over maxTerms/2 insertions, so O(log n) per complaint.
  private forgetLeastUsed(now: number): void {
    const ranked = [...this.terms].map(([term, stats]) => ({
      term,
      weight: stats.baseline * this.decay(now - stats.lastMs, this.settings.baselineHalfLifeMs),
    }));
    ranked.sort((a, b) => a.weight - b.weight);
    const drop = ranked.length - Math.floor(this.settings.maxTerms / 2);
    for (let i = 0; i < drop; i++) {
      const { term } = ranked[i]!;
      this.terms.delete(term);
      this.changed.delete(term);
      this.forgotten.add(term);
    }
    // Unsaved (a replay nobody persists), the list of forgotten terms stays bounded; the oldest then linger in storage
    // until a restore finds them beyond maxTerms and forgets them again.
    for (const term of this.forgotten) {
      if (this.forgotten.size <= this._settings.maxTerms) break;
      this.forgotten.delete(term);
    }
  }
}
