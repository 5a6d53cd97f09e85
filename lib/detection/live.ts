import type { IngestedMention } from '@/lib/events';
import { type EmergingTerm, EmergingTerms, normaliseTerm } from './emerging-terms';
import type { LiveDetectionSettings } from './live-settings';
import { detectPromotedPost } from './promoted-post';
import { SeriesState } from './series-state';
import { type SpikeAlert, SpikeDetector, type SpikeEvidence } from './spike-detector';

/** Series names of one organization: all complaints, one channel, one topic term or hashtag. */
export const ALL_SERIES = 'all';
export const channelSeries = (channel: string) => `channel:${channel}`;
export const topicSeries = (term: string) => `topic:${term}`;

export type LiveAlertKind = 'spike' | 'promoted_post' | 'emerging_topic';

/** An alert as detection drafts it, before it is stored and mapped to a crisis. */
export interface AlertDraft {
  kind: LiveAlertKind;
  seriesKey: string;
  /** The storm's topic: the term or hashtag that explains it, or `all`. */
  topic: string;
  channel: string | null;
  observed: number;
  expected: number;
  score: number;
  sinceMs: number;
  /** When detection raised it, in the data's clock. */
  atMs: number;
  /** One sentence for people, plus the numbers behind it. */
  summary: string;
  explanation: Record<string, unknown>;
  /** Share of the alert's complaints that mention each of their most frequent terms (which storm is this?). */
  termShares: Record<string, number>;
  ticketIds: string[];
  mentionId: string | null;
}

/** One closed bucket of one series, for the dashboard. */
export interface BucketRow {
  seriesKey: string;
  bucketStartMs: number;
  observed: number;
  expected: number;
  upper: number;
}

export interface LiveOutput {
  alerts: AlertDraft[];
  buckets: BucketRow[];
}

type RecentComplaint = { atMs: number; channel: string; terms: string[]; ticketId: string | null };
type Tally = { all: number; channels: Map<string, number>; terms: Map<string, number> };

// Recent complaints kept for explanations and ticket links: the storm window, at most this many.
const MAX_RECENT = 20_000;
const MAX_TICKETS_PER_ALERT = 1_000;
// Most buckets closed in one go after a long silence; the detector itself fills longer gaps with zeros.
const MAX_CATCH_UP_BUCKETS = 24 * 60;
const TOP_TERMS = 8;
// A term explains a burst when at least this share of its complaints mention it, this many times more than usual.
const EXPLAINING_SHARE = 0.25;
const EXPLAINING_LIFT = 3;
const MIN_EXPLAINING_COMPLAINTS = 3;
// Share of a newly emerging term's complaints that also mention an earlier emerged topic (its term or a word already
// folded into it), for both to be one topic.
const CO_OCCURRENCE = 0.5;
// A term corroborates an all-complaints spike when it carries at least this share of the bucket's excess, at this
// many times its usual share of complaints: the storm has a topic, so it need not wait for the series' own bar.
const CORROBORATING_SHARE_OF_EXCESS = 0.5;
const CORROBORATING_LIFT = 5;

/**
 * Live detection for one organization: complaints are counted into buckets per series (all complaints, each
 * channel, each watched topic); a bucket closes when the data's clock passes its end plus a grace period — the data's
 * clock moves with the newest complaint seen and, between complaints, with the wall clock. Live traffic and replays
 * therefore run the same code: a replay just moves the data's clock faster. Pure: no database, no timers.
 */
export class OrganizationDetector {
  private readonly open = new Map<number, Tally>();
  private readonly recent: RecentComplaint[] = [];
  private readonly channels = new Set<string>();
  /** Watched topic terms, with the last bucket they were active in. */
  private readonly topics = new Map<string, number>();
  /**
   * Terms that emerged within the storm window, with when and the words folded into them since: words that come with
   * any of them are the same topic.
   */
  private readonly emerged = new Map<string, { atMs: number; terms: Set<string> }>();
  // Emerged topics alerted before they had enough complaints to open a room by themselves, counted on: when they do,
  // their alert is raised again with the same onset, and the room opens (an alert fires once per surge otherwise).
  private readonly growing = new Map<string, { found: EmergingTerm; sinceMs: number; count: number }>();
  private lastClosedBucket = Number.NaN;
  private lastDataMs = Number.NEGATIVE_INFINITY;
  private wallAtLastData = 0;

  private _settings: LiveDetectionSettings;
  private _spike: SpikeDetector;
  private readonly _emerging: EmergingTerms;

  constructor(settings: LiveDetectionSettings) {
    this._settings = settings;
    this._spike = new SpikeDetector({ bucketMs: settings.bucketMs, ...settings.spike });
    this._emerging = new EmergingTerms(settings.emerging);
  }

  get settings(): LiveDetectionSettings {
    return this._settings;
  }

  /** The spike detector over this organization's series. */
  get spike(): SpikeDetector {
    return this._spike;
  }

  /** The emerging-term finder over this organization's complaints. */
  get emerging(): EmergingTerms {
    return this._emerging;
  }

  /**
   * Applies changed settings without forgetting what the series learned. The bucket width stays what it was: learned
   * states and open buckets are counted in it (a new width takes effect on a fresh start without snapshots).
   */
  applySettings(next: LiveDetectionSettings): void {
    const settings = { ...next, bucketMs: this._settings.bucketMs };
    const spikeChanged = JSON.stringify(settings.spike) !== JSON.stringify(this._settings.spike);
    const emergingChanged = JSON.stringify(settings.emerging) !== JSON.stringify(this._settings.emerging);
    this._settings = settings;
    if (emergingChanged) this._emerging.retune(settings.emerging);
    if (!spikeChanged) return;
    const states = this.snapshot();
    this._spike = new SpikeDetector({ bucketMs: settings.bucketMs, ...settings.spike });
    for (const { seriesKey, state } of states) this._spike.restore(seriesKey, new SeriesState(Float64Array.from(state)));
  }

  /** Series this organization watches now. */
  get seriesKeys(): string[] {
    return [ALL_SERIES, ...[...this.channels].map(channelSeries), ...[...this.topics.keys()].map(topicSeries)];
  }

  /** Topics watched as series of their own. */
  get watchedTopics(): string[] {
    return [...this.topics.keys()];
  }

  /** Restores learned series (from `snapshot`) before any data arrives. */
  restore(states: { seriesKey: string; state: number[] }[]): void {
    for (const { seriesKey, state } of states) {
      if (state.length !== new SeriesState().values.length) continue;
      this.spike.restore(seriesKey, new SeriesState(Float64Array.from(state)));
      if (seriesKey.startsWith('channel:')) this.channels.add(seriesKey.slice('channel:'.length));
      if (seriesKey.startsWith('topic:') && this.topics.size < this.settings.maxTopicSeries) this.topics.set(seriesKey.slice('topic:'.length), Number.NEGATIVE_INFINITY);
      const last = this.spike.stateOf(seriesKey)!.lastBucketStartMs;
      if (Number.isFinite(last)) {
        const bucket = Math.floor(last / this.settings.bucketMs);
        if (!(bucket <= this.lastClosedBucket)) this.lastClosedBucket = bucket;
      }
    }
  }

  /** The learned state of every series, for persistence. */
  snapshot(): { seriesKey: string; state: number[] }[] {
    return this.seriesKeys.flatMap((seriesKey) => {
      const state = this.spike.stateOf(seriesKey);
      return state ? [{ seriesKey, state: Array.from(state.values) }] : [];
    });
  }

  /** Feeds stored mentions (complaints count; the rest is ignored) and closes the buckets the data's clock has passed. */
  ingest(mentions: readonly IngestedMention[], wallNowMs: number): LiveOutput {
    const out: LiveOutput = { alerts: [], buckets: [] };
    const { bucketMs } = this.settings;
    for (const mention of mentions) {
      if (mention.category !== 'complaint') continue;
      const atMs = new Date(mention.occurredAt).getTime();
      if (!Number.isFinite(atMs)) continue;
      // A complaint for a bucket already closed counts in the first open one: late, but not lost.
      let bucket = Math.floor(atMs / bucketMs);
      if (bucket <= this.lastClosedBucket) bucket = this.lastClosedBucket + 1;
      const terms = [...new Set(mention.topicTerms.map(normaliseTerm).filter((t) => t !== ''))];
      this.tally(bucket, mention.channel, terms);
      if (atMs > this.lastDataMs) {
        this.lastDataMs = atMs;
        this.wallAtLastData = wallNowMs;
      }
      const clockMs = this.lastDataMs;
      this.recent.push({ atMs: Math.max(atMs, bucket * bucketMs), channel: mention.channel, terms, ticketId: mention.ticketId });
      for (const term of terms) {
        const grown = this.grow(term, clockMs);
        if (grown) out.alerts.push(grown);
      }
      for (const found of namingFirst(this.emerging.observe(clockMs, terms))) {
        this.watchTopic(found.term, bucket);
        if (this.partOfEmergedTopic(found.term, found.atMs)) continue;
        this.emerged.set(found.term, { atMs: found.atMs, terms: new Set([found.term]) });
        const alert = this.emergingAlert(found.term, found.atMs, found.recentCount, found.expectedRecentCount, found.baselinePerHour, found.score);
        out.alerts.push(alert);
        if (alert.observed < this.settings.emergingCrisisMinComplaints) {
          const count = this.complaintsSince(alert.sinceMs, (c) => c.terms.includes(found.term)).length;
          this.growing.set(found.term, { found, sinceMs: alert.sinceMs, count });
        }
      }
      const promoted = this.promotedAlert(mention, clockMs, terms);
      if (promoted) out.alerts.push(promoted);
    }
    this.trimRecent();
    this.closeDue(wallNowMs, out);
    return out;
  }

  /** Closes the buckets the data's clock has passed while no complaint came: the wall clock's part of the same path. */
  tick(wallNowMs: number): LiveOutput {
    const out: LiveOutput = { alerts: [], buckets: [] };
    this.closeDue(wallNowMs, out);
    return out;
  }

  /** The data's clock: the newest complaint's time, moved on by the wall-clock time since it arrived. */
  dataNow(wallNowMs: number): number {
    if (!Number.isFinite(this.lastDataMs)) return Number.NEGATIVE_INFINITY;
    return this.lastDataMs + Math.max(0, wallNowMs - this.wallAtLastData);
  }

  private tally(bucket: number, channel: string, terms: string[]): void {
    let t = this.open.get(bucket);
    if (!t) {
      t = { all: 0, channels: new Map(), terms: new Map() };
      this.open.set(bucket, t);
    }
    t.all++;
    t.channels.set(channel, (t.channels.get(channel) ?? 0) + 1);
    this.channels.add(channel);
    for (const term of terms) t.terms.set(term, (t.terms.get(term) ?? 0) + 1);
  }

  private closeDue(wallNowMs: number, out: LiveOutput): void {
    const { bucketMs, closeGraceMs } = this.settings;
    const now = this.dataNow(wallNowMs);
    if (!Number.isFinite(now)) return;
    // The last bucket whose end plus grace the clock has passed.
    const through = Math.floor((now - closeGraceMs) / bucketMs) - 1;
    if (Number.isNaN(this.lastClosedBucket)) {
      if (this.open.size === 0) return;
      this.lastClosedBucket = Math.min(...this.open.keys()) - 1;
    }
    if (through <= this.lastClosedBucket) return;
    let from = this.lastClosedBucket + 1;
    if (through - from >= MAX_CATCH_UP_BUCKETS) {
      // After a long silence: close what holds data, then the recent past; the detector fills the rest with zeros.
      const pending = [...this.open.keys()].filter((b) => b < through - MAX_CATCH_UP_BUCKETS).sort((a, b) => a - b);
      for (const b of pending) this.closeBucket(b, out);
      from = Math.max(from, through - MAX_CATCH_UP_BUCKETS + 1);
    }
    for (let b = from; b <= through; b++) this.closeBucket(b, out);
  }

  private closeBucket(bucket: number, out: LiveOutput): void {
    const { bucketMs } = this.settings;
    const startMs = bucket * bucketMs;
    const tally = this.open.get(bucket);
    this.open.delete(bucket);
    this.lastClosedBucket = bucket;
    this.refreshTopics(bucket, tally);
    const fired: SpikeAlert[] = [];
    const observe = (seriesKey: string, count: number, always: boolean, evidence?: SpikeEvidence) => {
      const band = this.spike.expectedBand(seriesKey, startMs);
      const alert = this.spike.observe(seriesKey, startMs, count, evidence);
      if (alert) fired.push(alert);
      if (always || count > 0 || alert) out.buckets.push({ seriesKey, bucketStartMs: startMs, observed: count, expected: band.expected, upper: band.upper });
    };
    observe(ALL_SERIES, tally?.all ?? 0, true, this.corroboratingTerm(startMs, tally));
    for (const channel of this.channels) observe(channelSeries(channel), tally?.channels.get(channel) ?? 0, true);
    for (const term of this.topics.keys()) observe(topicSeries(term), tally?.terms.get(term) ?? 0, false);
    // Topic spikes first: a room opened for a named topic is what the generic series then join.
    fired.sort((a, b) => Number(b.seriesKey.startsWith('topic:')) - Number(a.seriesKey.startsWith('topic:')));
    for (const alert of fired) out.alerts.push(this.spikeAlert(alert, startMs + bucketMs));
  }

  // The term that carries the all-complaints bucket's excess, far above its usual share, if one does: the evidence
  // that the excess is a topic storm rather than noise. None while the term finder is still learning what is usual.
  private corroboratingTerm(startMs: number, tally: Tally | undefined): SpikeEvidence | undefined {
    if (!tally || !this.emerging.armed) return undefined;
    const expectedAll = this.spike.expectedCount(ALL_SERIES, startMs);
    const excess = tally.all - expectedAll;
    if (!(excess > 0)) return undefined;
    let best: SpikeEvidence | undefined;
    for (const [term, count] of tally.terms) {
      if (best && count <= best.observed) continue;
      const usualShare = this.emerging.usualShare(term);
      const expected = usualShare * expectedAll;
      if (count - expected >= CORROBORATING_SHARE_OF_EXCESS * excess && count >= CORROBORATING_LIFT * usualShare * tally.all) best = { term, observed: count, expected };
    }
    return best;
  }

  private refreshTopics(bucket: number, tally: Tally | undefined): void {
    if (!tally || this.settings.maxTopicSeries === 0) return;
    for (const term of tally.terms.keys()) {
      // A term gets a series once it is common enough to have a rhythm of its own; rarer ones are the emerging finder's.
      if (this.topics.has(term) || this.emerging.baselinePerHour(term) >= this.settings.topicSeriesMinPerHour) this.watchTopic(term, bucket);
    }
  }

  private watchTopic(term: string, bucket: number): void {
    if (this.topics.has(term)) {
      this.topics.set(term, bucket);
      return;
    }
    if (this.settings.maxTopicSeries === 0) return;
    if (this.topics.size >= this.settings.maxTopicSeries) {
      let stalest: string | undefined;
      let stalestBucket = Number.POSITIVE_INFINITY;
      for (const [t, last] of this.topics) {
        if (last < stalestBucket) {
          stalest = t;
          stalestBucket = last;
        }
      }
      if (stalest !== undefined) {
        this.topics.delete(stalest);
        this.spike.forget(topicSeries(stalest));
      }
    }
    this.topics.set(term, bucket);
  }

  /** One more complaint about an emerged topic still short of a room: its alert again, same onset, once it has enough. */
  private grow(term: string, clockMs: number): AlertDraft | null {
    const surge = this.growing.get(term);
    if (!surge || clockMs - surge.found.atMs > this.settings.stormWindowMinutes * 60_000) return null;
    surge.count++;
    if (surge.count < this.settings.emergingCrisisMinComplaints) return null;
    this.growing.delete(term);
    const { found } = surge;
    return { ...this.emergingAlert(term, clockMs, surge.count, found.expectedRecentCount, found.baselinePerHour, found.score), sinceMs: surge.sinceMs };
  }

  // "bag", "lost" and "#lostluggage" surging together are one topic: a term mostly seen with one that emerged a
  // little earlier, or with a word already folded into it, is folded into it rather than alerted again. The words
  // count too because a storm's first handful of complaints is a small sample: "reply" may have come mostly with
  // "lost" (folded into #lostluggage a moment before) and only twice in six with the hashtag itself.
  private partOfEmergedTopic(term: string, atMs: number): boolean {
    const windowMs = this.settings.stormWindowMinutes * 60_000;
    for (const [other, topic] of this.emerged) {
      if (atMs - topic.atMs > windowMs) this.emerged.delete(other);
    }
    if (this.emerged.size === 0) return false;
    const withTerm = this.complaintsSince(atMs - 2 * this.emerging.settings.recentHalfLifeMs, (c) => c.terms.includes(term));
    if (withTerm.length === 0) return false;
    for (const [name, topic] of this.emerged) {
      const together = withTerm.filter((c) => c.terms.some((t) => topic.terms.has(t))).length;
      if (together / withTerm.length < CO_OCCURRENCE) continue;
      if (!term.startsWith('#') || name.startsWith('#')) {
        topic.terms.add(term);
        return true;
      }
      // A hashtag that carries a topic first named by a plain word ("reply" crossed the line a few complaints before
      // #lostluggage did) names it from now on: the caller alerts it and starts its topic, which grows to its room
      // under the hashtag. The word's alert stays, as the earlier warning it was; its topic ends here.
      this.emerged.delete(name);
      this.growing.delete(name);
      return false;
    }
    return false;
  }

  private trimRecent(): void {
    const keepFromMs = this.lastDataMs - this.settings.stormWindowMinutes * 60_000;
    // A surge that never reached its room size within the storm window is no longer followed.
    for (const [term, surge] of this.growing) if (surge.found.atMs < keepFromMs) this.growing.delete(term);
    let drop = 0;
    while (drop < this.recent.length && (this.recent[drop]!.atMs < keepFromMs || this.recent.length - drop > MAX_RECENT)) drop++;
    if (drop > 0) this.recent.splice(0, drop);
  }

  private complaintsSince(sinceMs: number, matches: (c: RecentComplaint) => boolean): RecentComplaint[] {
    return this.recent.filter((c) => c.atMs >= sinceMs && matches(c));
  }

  private describe(complaints: RecentComplaint[]) {
    const counts = new Map<string, number>();
    for (const c of complaints) for (const term of c.terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    const total = complaints.length;
    const terms = [...counts]
      .map(([term, count]) => ({ term, count, share: total > 0 ? count / total : 0, usualShare: this.emerging.usualShare(term) }))
      .sort((a, b) => b.count - a.count || a.term.localeCompare(b.term))
      .slice(0, TOP_TERMS * 3);
    const explaining = terms
      .filter((t) => t.count >= MIN_EXPLAINING_COMPLAINTS && t.share >= EXPLAINING_SHARE && t.share >= EXPLAINING_LIFT * t.usualShare)
      .sort((a, b) => b.share / b.usualShare - a.share / a.usualShare || b.count - a.count);
    const ticketIds = [...new Set(complaints.flatMap((c) => (c.ticketId ? [c.ticketId] : [])))].slice(0, MAX_TICKETS_PER_ALERT);
    const termShares = Object.fromEntries(terms.slice(0, TOP_TERMS * 2).map((t) => [t.term, round(t.share, 3)]));
    return { topic: explaining[0]?.term ?? ALL_SERIES, terms: terms.slice(0, TOP_TERMS), termShares, ticketIds };
  }

  private spikeAlert(alert: SpikeAlert, closedAtMs: number): AlertDraft {
    const key = alert.seriesKey;
    const channel = key.startsWith('channel:') ? key.slice('channel:'.length) : null;
    const term = key.startsWith('topic:') ? key.slice('topic:'.length) : null;
    const complaints = this.complaintsSince(alert.sinceMs, (c) => (channel ? c.channel === channel : term ? c.terms.includes(term) : true));
    const described = this.describe(complaints);
    const evidence = alert.corroboratedBy;
    const topic = term ?? evidence?.term ?? described.topic;
    const perBucket = this.settings.bucketMs === 60_000 ? '/min' : ` per ${Math.round(this.settings.bucketMs / 1000)} s`;
    const what = term ? `Complaints about “${term}”` : channel ? `Complaints on ${channel}` : 'Complaints';
    const because = !term && topic !== ALL_SERIES ? `, mostly about “${topic}”` : '';
    return {
      kind: 'spike',
      seriesKey: key,
      topic,
      channel,
      observed: alert.observed,
      expected: alert.expected,
      score: round(alert.score, 2),
      sinceMs: alert.sinceMs,
      atMs: closedAtMs,
      summary: `${what}: ${alert.observed}${perBucket} against ${formatCount(alert.expected)} expected since ${new Date(alert.sinceMs).toISOString().slice(11, 16)} UTC${because}.${
        evidence ? ` Alerted early: ${evidence.observed} of them mention “${evidence.term}”, usually ${formatCount(evidence.expected)}.` : ''
      }`,
      explanation: {
        observed: alert.observed,
        expected: round(alert.expected, 2),
        since: new Date(alert.sinceMs).toISOString(),
        bucketStart: new Date(alert.bucketStartMs).toISOString(),
        trigger: alert.trigger,
        windowObserved: round(alert.windowObserved, 1),
        windowExpected: round(alert.windowExpected, 1),
        corroborated: evidence !== null,
        ...(evidence ? { corroboratedBy: { term: evidence.term, observed: evidence.observed, expected: round(evidence.expected, 2) } } : {}),
        complaintsSince: complaints.length,
        terms: described.terms.map((t) => ({ term: t.term, count: t.count, share: round(t.share, 3), usualShare: round(t.usualShare, 4) })),
      },
      termShares: described.termShares,
      ticketIds: described.ticketIds,
      mentionId: null,
    };
  }

  private emergingAlert(term: string, atMs: number, recentCount: number, expectedRecentCount: number, baselinePerHour: number, score: number): AlertDraft {
    const complaints = this.complaintsSince(atMs - 2 * this.emerging.settings.recentHalfLifeMs, (c) => c.terms.includes(term));
    // Since the first of the recent complaints that mention it.
    const sinceMs = complaints[0]?.atMs ?? atMs;
    const described = this.describe(complaints);
    return {
      kind: 'emerging_topic',
      seriesKey: topicSeries(term),
      topic: term,
      channel: null,
      observed: round(recentCount, 1),
      expected: round(expectedRecentCount, 3),
      score: round(score, 2),
      sinceMs,
      atMs,
      summary: `“${term}” is suddenly frequent: ${Math.round(recentCount)} recent complaints mention it, ${formatCount(expectedRecentCount)} expected (usually ${formatCount(baselinePerHour)} per hour).`,
      explanation: { term, recentCount: round(recentCount, 1), expectedRecentCount: round(expectedRecentCount, 3), baselinePerHour: round(baselinePerHour, 3), terms: described.terms.map((t) => ({ term: t.term, count: t.count, share: round(t.share, 3) })) },
      termShares: { ...described.termShares, [term]: 1 },
      ticketIds: described.ticketIds,
      mentionId: null,
    };
  }

  private promotedAlert(mention: IngestedMention, clockMs: number, terms: string[]): AlertDraft | null {
    if (!mention.isPublic || (!mention.promoted && !mention.metrics)) return null;
    const metrics = mention.metrics ?? {};
    const postedAt = new Date(mention.occurredAt).getTime();
    const verdict = detectPromotedPost({
      promoted: mention.promoted,
      impressions: metrics.impressions,
      likes: metrics.likes ?? 0,
      reposts: metrics.reposts ?? 0,
      replies: metrics.replies ?? 0,
      authorFollowers: mention.authorFollowers ?? 0,
      postedAt,
      observedAt: Math.max(postedAt, clockMs),
    });
    if (!verdict.attack) return null;
    const organicReach = Math.max(mention.authorFollowers ?? 0, 100) * 0.1;
    const hashtag = terms.find((t) => t.startsWith('#'));
    const author = mention.authorHandle ?? 'an unknown author';
    return {
      kind: 'promoted_post',
      seriesKey: `post:${mention.id}`,
      topic: hashtag ?? this.describe(this.complaintsSince(clockMs - 30 * 60_000, () => true)).topic,
      channel: mention.channel,
      observed: verdict.reachEstimate,
      expected: round(organicReach, 1),
      score: round(Math.log10(Math.max(verdict.reachEstimate, 1) / organicReach) + (mention.promoted ? 1 : 0), 2),
      sinceMs: postedAt,
      atMs: clockMs,
      summary: `Promoted complaint by ${author} (${(mention.authorFollowers ?? 0).toLocaleString('en')} followers) reaching about ${verdict.reachEstimate.toLocaleString('en')} people: ${verdict.reasons.join(' ')}`,
      explanation: {
        post: { id: mention.id, channel: mention.channel, text: mention.text, postedAt: new Date(postedAt).toISOString(), promoted: mention.promoted, metrics },
        author: { handle: mention.authorHandle, followers: mention.authorFollowers, customerId: mention.customerId },
        reachEstimate: verdict.reachEstimate,
        reasons: verdict.reasons,
      },
      termShares: Object.fromEntries(terms.map((t) => [t, 1])),
      ticketIds: mention.ticketId ? [mention.ticketId] : [],
      mentionId: mention.id,
    };
  }
}

/**
 * Terms that emerge on the same complaint, the one that names the topic first: a hashtag (what the customers chose to
 * call it) before a plain word, then the most mentioned. The first one is the topic; the others fold into it. In the
 * order of the complaint, "hours" in "hours jfk #lostluggage" would take the storm and fold the hashtag under it.
 */
function namingFirst(found: EmergingTerm[]): EmergingTerm[] {
  if (found.length < 2) return found;
  const isHashtag = (t: EmergingTerm) => (t.term.startsWith('#') ? 1 : 0);
  return [...found].sort((a, b) => isHashtag(b) - isHashtag(a) || b.recentCount - a.recentCount);
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const formatCount = (x: number) => (x >= 10 ? Math.round(x).toLocaleString('en') : x >= 1 ? x.toFixed(1) : x.toFixed(2));
