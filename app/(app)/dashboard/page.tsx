import type { Metadata } from 'next';
import Link from 'next/link';
import { VolumeChart } from '@/components/charts/VolumeChart';
import { MultiSeriesChart } from '@/components/charts/MultiSeriesChart';
import { dashboardCharts, type AlertMark } from '@/components/dashboard/chart-data';
import styles from '@/components/dashboard/dashboard.module.css';
import { FalseAlarmButton } from '@/components/dashboard/FalseAlarmButton';
import { OpenCrisisForm } from '@/components/dashboard/OpenCrisisForm';
import { LiveRefresh } from '@/components/live/LiveRefresh';
import { listEmergingTopics, listRecentAlerts } from '@/db/queries/alerts';
import { listOpenCrises } from '@/db/queries/dashboard';
import { bucketsSince, latestBucketStart } from '@/db/queries/detection';
import { listNotificationsFor } from '@/db/queries/notifications';
import { can } from '@/lib/auth/permissions';
import { memberCtx, requireMember } from '@/lib/auth/session';
import { falseAlarmAction, openCrisisAction } from './actions';

export const metadata: Metadata = { title: 'Dashboard' };
export const dynamic = 'force-dynamic';

const WINDOW_MS = 3 * 3_600_000;
const MINUTE_MS = 60_000;

const utc = (d: Date) => `${d.toISOString().slice(11, 16)} UTC`;
const day = (d: Date) => d.toISOString().slice(0, 10);
const when = (d: Date, now: Date) => (day(d) === day(now) ? utc(d) : `${day(d)} ${utc(d)}`);
const kindLabel = { spike: 'Spike', promoted_post: 'Promoted post', emerging_topic: 'Emerging topic' } as const;
const statusLabel = { new: 'new', attached: 'in a room', opened_crisis: 'opened a room', below_threshold: 'below threshold', false_alarm: 'false alarm' } as const;
const seriesLabel = (key: string) => (key === 'all' ? 'all complaints' : key.startsWith('post:') ? 'one post' : key.replace(/^channel:/, 'channel ').replace(/^topic:/, ''));

export default async function DashboardPage() {
  const member = await requireMember('dashboard.read');
  const { db, organizationId } = memberCtx(member);
  const now = new Date();
  // The window ends at the newest closed bucket (live: about now; after a replay: the replay's own time).
  const latest = await latestBucketStart(db, organizationId);
  const endMs = Math.max(latest ? latest.getTime() + MINUTE_MS : now.getTime(), now.getTime() - WINDOW_MS);
  const fromMs = endMs - WINDOW_MS;
  const [rows, openCrises, recent, emerging, notices] = await Promise.all([
    bucketsSince(db, organizationId, new Date(fromMs)),
    listOpenCrises(db, organizationId),
    listRecentAlerts(db, organizationId, 25),
    listEmergingTopics(db, organizationId, new Date(now.getTime() - 24 * 3_600_000)),
    listNotificationsFor(db, organizationId, member.memberId, 6),
  ]);
  const charts = dashboardCharts(rows, fromMs, endMs);
  // One marker per minute, naming everything that started in it ("promoted post + storm").
  const markLabels = new Map<number, Set<string>>();
  for (const a of recent) {
    const t = Math.floor(a.since.getTime() / MINUTE_MS) * MINUTE_MS;
    if (a.status === 'false_alarm' || t < fromMs || t >= endMs || (a.kind === 'spike' && a.seriesKey !== 'all')) continue;
    if (!markLabels.has(t)) markLabels.set(t, new Set());
    markLabels.get(t)!.add(a.kind === 'spike' ? 'storm' : a.kind === 'promoted_post' ? 'promoted post' : a.topic);
  }
  const marks: AlertMark[] = [...markLabels].map(([t, labels]) => ({ t, kind: 'alert', label: [...labels].join(' + ') }));
  const canFeedback = can(member.role, 'alerts.feedback');

  return (
    <div className="stack">
      <LiveRefresh topics={['alerts', 'crises', 'queue', 'detection', 'notifications']} />
      <div className="page-head">
        <div>
          <h1>Dashboard</h1>
          <p className="muted" style={{ margin: 0 }}>
            Complaints per minute over the last 3 hours, against what is usual for this hour. Updates by itself.
          </p>
        </div>
        {openCrises.length > 0 ? (
          <span className={styles.storm} data-testid="crisis-state">
            {openCrises.length} open {openCrises.length === 1 ? 'crisis' : 'crises'}
          </span>
        ) : (
          <span className={styles.calm} data-testid="crisis-state">
            No open crisis
          </span>
        )}
      </div>

      {openCrises.length > 0 && (
        <section className={`panel ${styles.crises}`} aria-label="Open crises">
          <h2>Open crises</h2>
          {openCrises.map((c) => (
            <div key={c.id} className={styles.crisisRow} data-testid="open-crisis">
              <span className={`${styles.sev} ${styles[`sev-${c.severity}`]}`}>{c.severity}</span>
              <div>
                <div className={styles.crisisTitle}>
                  <Link href={`/crises/${c.id}`}>{c.title}</Link>
                </div>
                <div className={styles.meta}>
                  {c.trigger === 'alert' ? 'Opened by detection' : `Opened by ${c.openedBy}`} at {when(c.openedAt, now)}
                  {c.topicKey.startsWith('topic:') && c.topicKey !== 'topic:all' ? ` · topic ${c.topicKey.slice(6)}` : ''}
                  {c.alertCount > 0 ? ` · ${c.alertCount} alert${c.alertCount === 1 ? '' : 's'}` : ''}
                  {c.status !== 'open' ? ` · ${c.status}` : ''}
                </div>
              </div>
              <Link className={styles.roomLink} href={`/crises/${c.id}`}>
                Open the room →
              </Link>
            </div>
          ))}
        </section>
      )}

      <section className="panel" aria-label="All complaints">
        <div className={styles.sectionHead}>
          <h2>All complaints</h2>
          <span className="muted">
            {utc(new Date(fromMs))} – {utc(new Date(endMs))}
          </span>
        </div>
        {rows.length === 0 ? (
          <p className="muted">No complaints counted yet. Detection starts with the first complaint a channel delivers.</p>
        ) : (
          <VolumeChart points={charts.overall} alerts={marks} label="Complaints per minute against the expected range" />
        )}
      </section>

      <div className={styles.two}>
        <section className="panel" aria-label="By channel">
          <h2>By channel</h2>
          <MultiSeriesChart points={charts.channels.points} names={charts.channels.names} label="Complaints per minute by channel" />
        </section>
        <section className="panel" aria-label="By topic">
          <h2>By topic</h2>
          <MultiSeriesChart points={charts.topics.points} names={charts.topics.names} label="Complaints per minute of the busiest topics" />
        </section>
      </div>

      <div className={styles.two}>
        <section className="panel" aria-label="Emerging topics">
          <h2>Emerging topics (24 h)</h2>
          {emerging.length === 0 ? (
            <p className="muted">No new term or hashtag is surging.</p>
          ) : (
            <ul className={styles.topics}>
              {emerging.map((a) => (
                <li key={a.id} className={styles.topic} data-testid="emerging-topic">
                  <span className={styles.term}>{a.topic}</span>
                  <span className={styles.meta}>
                    {Math.round(a.observed)} recent vs {a.expected < 1 ? a.expected.toFixed(2) : Math.round(a.expected)} usual · {when(a.since, now)}
                    {a.crisisId && (
                      <>
                        {' · '}
                        <Link href={`/crises/${a.crisisId}`}>room</Link>
                      </>
                    )}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="panel" aria-label="For you">
          <h2>For you</h2>
          {notices.length === 0 ? (
            <p className="muted">Nothing for you right now.</p>
          ) : (
            notices.map((n) => (
              <div key={n.id} className={`${styles.notice} ${n.readAt ? '' : styles.unread}`} data-testid="notification">
                {n.crisisId ? <Link href={`/crises/${n.crisisId}`}>{n.title}</Link> : n.title}
                <div className={styles.meta}>{when(n.createdAt, now)}</div>
              </div>
            ))
          )}
        </section>
      </div>

      <section className="panel" aria-label="Recent alerts">
        <h2>Recent alerts</h2>
        {recent.length === 0 ? (
          <p className="muted">No alerts yet.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Since</th>
                <th>What</th>
                <th>Explanation</th>
                <th>Score</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {recent.map((a) => (
                <tr key={a.id} data-testid="alert-row">
                  <td>{when(a.since, now)}</td>
                  <td>
                    <div>{kindLabel[a.kind]}</div>
                    <div className={styles.kind}>{seriesLabel(a.seriesKey)}</div>
                  </td>
                  <td className={styles.summary}>{String(a.explanation.summary ?? '')}</td>
                  <td>{a.score.toFixed(1)}</td>
                  <td>
                    <span className={`${styles.status} ${styles[`status-${a.status}`]}`} data-testid="alert-status">
                      {statusLabel[a.status]}
                    </span>
                    {a.crisisId && (
                      <div>
                        <Link href={`/crises/${a.crisisId}`}>room</Link>
                      </div>
                    )}
                  </td>
                  <td>{canFeedback && a.status !== 'false_alarm' && <FalseAlarmButton alertId={a.id} action={falseAlarmAction} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {can(member.role, 'crisis.open') && (
        <section className="panel" aria-label="Open a crisis by hand">
          <h2>Open a crisis by hand</h2>
          <p className="muted" style={{ marginTop: 0 }}>
            Seen it before the detector? Open the room now: it is seeded from the protocol and the committee is notified.
          </p>
          <OpenCrisisForm action={openCrisisAction} />
        </section>
      )}
    </div>
  );
}
