import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CustomerPanel } from '@/components/customers/CustomerPanel';
import { ChannelBadge } from '@/components/inbox/ChannelBadge';
import { formatWhen, renderTime } from '@/components/inbox/labels';
import { PriorityScore, PriorityTable } from '@/components/inbox/PriorityBreakdown';
import { SlaTimer } from '@/components/inbox/SlaTimer';
import { UnverifiedSender } from '@/components/inbox/UnverifiedSender';
import { TicketActions } from '@/components/inbox/TicketActions';
import { LiveRefresh } from '@/components/live/LiveRefresh';
import { customerPanel } from '@/db/queries/customers';
import { findTicket, listTicketMentions } from '@/db/queries/tickets';
import { can } from '@/lib/auth/permissions';
import { memberCtx, requireMember } from '@/lib/auth/session';
import { formatCount } from '@/lib/signals/format';
import { isUnverifiedKey } from '@/lib/signals/identity';
import { assignTicketAction, setTicketStatusAction } from '../actions';
import '@/components/inbox/inbox.css';

export const metadata: Metadata = { title: 'Ticket' };
export const dynamic = 'force-dynamic';

export default async function TicketPage({ params }: { params: Promise<{ ticketId: string }> }) {
  const member = await requireMember('queue.read');
  const { db } = memberCtx(member);
  const { ticketId } = await params;
  const ticket = await findTicket(db, member.organizationId, ticketId);
  if (!ticket) notFound();
  const [messages, customer] = await Promise.all([listTicketMentions(db, member.organizationId, ticket.id), customerPanel(db, member.organizationId, ticket.customerId)]);
  return (
    <div className="stack">
      <LiveRefresh topics={['queue']} />
      <p className="small" style={{ margin: 0 }}>
        <Link href="/queue">← Queue</Link>
      </p>
      <div className="page-head" style={{ alignItems: 'center' }}>
        <div className="ticket-title">
          <PriorityScore score={ticket.priority} />
          <div>
            <h1 data-testid="ticket-subject">{ticket.subject}</h1>
            <p className="muted" style={{ margin: 0 }}>
              {ticket.customerName} {ticket.senderUnverified && <UnverifiedSender />} · {ticket.status} · assigned to {ticket.assigneeName ?? 'nobody yet'} · first response{' '}
              <SlaTimer dueAt={ticket.slaDueAt.toISOString()} respondedAt={ticket.firstResponseAt?.toISOString() ?? null} serverNow={renderTime()} />
            </p>
          </div>
        </div>
      </div>
      {can(member.role, 'queue.work') && (
        <TicketActions ticketId={ticket.id} status={ticket.status} assignedToMe={ticket.assigneeId === member.memberId} assign={assignTicketAction} setStatus={setTicketStatusAction} />
      )}
      <div className="ticket-layout">
        <div className="stack">
          <section className="panel">
            <h2>Why priority {ticket.priority}</h2>
            <PriorityTable breakdown={ticket.priorityBreakdown} score={ticket.priority} />
          </section>
          <section className="panel">
            <h2>Messages in this ticket ({messages.length})</h2>
            <ol className="history">
              {messages.map((m) => (
                <li key={m.id}>
                  <div className="history-meta">
                    <ChannelBadge channel={m.channel} /> <span className="muted">{formatWhen(m.occurredAt)}</span>
                    <span className={`category category-${m.category}`}>{m.category}</span>
                    <span className="muted small">
                      {m.authorHandle ? `@${m.authorHandle}` : (m.authorName ?? '')} {m.isPublic ? '· public' : '· private'}
                      {m.metrics?.impressions !== undefined && ` · ${formatCount(m.metrics.impressions)} impressions`}
                    </span>
                    {m.promoted && <span className="category category-complaint">promoted</span>}
                    {isUnverifiedKey(m.authorExternalId ?? '') && <UnverifiedSender />}
                  </div>
                  <p className="message-text">{m.text}</p>
                  {m.matchedTriggers.length > 0 && <p className="small muted">Triggers: {m.matchedTriggers.join(', ')}</p>}
                </li>
              ))}
            </ol>
          </section>
        </div>
        {customer && <CustomerPanel data={customer} currentTicketId={ticket.id} />}
      </div>
    </div>
  );
}
