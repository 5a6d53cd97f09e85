import type { Metadata } from 'next';
import Link from 'next/link';
import { ChannelBadge } from '@/components/inbox/ChannelBadge';
import { formatMoney, renderTime } from '@/components/inbox/labels';
import { PriorityReasons, PriorityScore } from '@/components/inbox/PriorityBreakdown';
import { QueueFilterBar } from '@/components/inbox/QueueFilterBar';
import { SlaTimer } from '@/components/inbox/SlaTimer';
import { UnverifiedSender } from '@/components/inbox/UnverifiedSender';
import { LiveRefresh } from '@/components/live/LiveRefresh';
import { listMembers } from '@/db/queries/members';
import { type QueueFilters, listCrisesForFilter, listQueue, queueCounts } from '@/db/queries/tickets';
import { channels, ticketStatuses } from '@/db/schema';
import { memberCtx, requireMember } from '@/lib/auth/session';
import { formatCount } from '@/lib/signals/format';
import '@/components/inbox/inbox.css';

export const metadata: Metadata = { title: 'Queue' };
export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function filtersOf(params: Record<string, string | string[] | undefined>): QueueFilters {
  const one = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : undefined);
  const channel = one('channel');
  const status = one('status');
  return {
    ...(channel && (channels as readonly string[]).includes(channel) && { channel: channel as QueueFilters['channel'] }),
    ...(status && ([...ticketStatuses, 'active', 'all'] as string[]).includes(status) && { status: status as QueueFilters['status'] }),
    ...(one('assignee') && { assignee: one('assignee') }),
    ...(one('crisis') && { crisis: one('crisis') }),
  };
}

export default async function QueuePage({ searchParams }: { searchParams: SearchParams }) {
  const member = await requireMember('queue.read');
  const { db } = memberCtx(member);
  const filters = filtersOf(await searchParams);
  const [rows, counts, team, crisesList] = await Promise.all([
    listQueue(db, member.organizationId, filters, member.memberId),
    queueCounts(db, member.organizationId),
    listMembers(db, member.organizationId),
    listCrisesForFilter(db, member.organizationId),
  ]);
  const now = renderTime();
  return (
    <div className="stack">
      <LiveRefresh topics={['queue']} />
      <div className="page-head">
        <div>
          <h1>Queue</h1>
          <p className="muted" style={{ margin: 0 }} data-testid="queue-summary">
            Every channel in one list, most urgent first. {counts.total} open · <span className={counts.overdue > 0 ? 'text-danger' : undefined}>{counts.overdue} past their first-response target</span> · {counts.unassigned} unassigned
          </p>
        </div>
      </div>
      <QueueFilterBar filters={filters} team={team.filter((m) => m.role === 'agent' || m.role === 'lead')} crises={crisesList} />
      <section className="panel" style={{ padding: 0 }}>
        {rows.length === 0 ? (
          <p className="muted" style={{ padding: '1rem 1.25rem' }}>
            Nothing here. New mentions appear on their own.
          </p>
        ) : (
          <table className="table queue" aria-label="Queue">
            <thead>
              <tr>
                <th>Priority</th>
                <th>Ticket</th>
                <th>Why it ranks here</th>
                <th>First response</th>
                <th>Assignee</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} data-testid="queue-row" className={row.crisisId ? 'in-crisis' : undefined}>
                  <td>
                    <PriorityScore score={row.priority} />
                  </td>
                  <td className="ticket-cell">
                    <Link href={`/queue/${row.id}`} className="ticket-subject" data-testid="ticket-link">
                      {row.subject}
                    </Link>
                    <div className="ticket-meta">
                      {row.channels.map((c) => (
                        <ChannelBadge key={c} channel={c} />
                      ))}
                      <span data-testid="customer-name">{row.customerName}</span>
                      {row.senderUnverified && <UnverifiedSender />}
                      {row.customerFollowers > 0 && <span className="muted">{formatCount(row.customerFollowers)} followers</span>}
                      {row.customerLifetimeValueCents > 0 && <span className="muted">LTV {formatMoney(row.customerLifetimeValueCents, row.customerCurrency)}</span>}
                      {(row.promoted || (row.maxImpressions ?? 0) >= 100_000) && (
                        <span className="crisis-pill" data-testid="amplified">
                          {row.promoted ? 'Promoted' : 'Viral'}
                          {row.maxImpressions ? ` · ${formatCount(row.maxImpressions)} impressions` : ''}
                        </span>
                      )}
                      {row.agitatorKind === 'possible_agitator' && <span className="agitator agitator-possible_agitator">possible agitator</span>}
                      {row.mentionCount > 1 && <span className="muted">{row.mentionCount} messages</span>}
                      {row.status !== 'open' && <span className={`status-pill status-${row.status}`}>{row.status}</span>}
                      {row.crisisTitle && <span className="crisis-pill">Crisis: {row.crisisTitle}</span>}
                    </div>
                  </td>
                  <td className="why-cell">
                    <PriorityReasons breakdown={row.priorityBreakdown} limit={3} />
                  </td>
                  <td>
                    <SlaTimer dueAt={row.slaDueAt.toISOString()} respondedAt={row.firstResponseAt?.toISOString() ?? null} serverNow={now} />
                    {row.escalatedAt && !row.firstResponseAt && <div className="small text-danger">escalated to a lead</div>}
                  </td>
                  <td>{row.assigneeName ?? <span className="muted">unassigned</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
