import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { LiveRefresh } from '@/components/live/LiveRefresh';
import { BudgetForm, LifecycleButtons } from '@/components/room/CrisisControls';
import { CrisisRoom } from '@/components/room/CrisisRoom';
import { Timeline } from '@/components/room/Timeline';
import { findCrisis, listLinkedTickets } from '@/db/queries/crises';
import { listMembers } from '@/db/queries/members';
import { can } from '@/lib/auth/permissions';
import { memberCtx, requireMember } from '@/lib/auth/session';
import { listCrisisEvents } from '@/lib/crises/timeline';

export const metadata: Metadata = { title: 'Crisis room' };
export const dynamic = 'force-dynamic';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const statusLabels = { open: 'OPEN', monitoring: 'MONITORING', resolved: 'RESOLVED' } as const;

export default async function CrisisRoomPage({ params }: { params: Promise<{ id: string }> }) {
  const member = await requireMember('crisis.read');
  const { id } = await params;
  const { db } = memberCtx(member);
  const crisis = UUID.test(id) ? await findCrisis(db, member.organizationId, id) : null;
  if (!crisis) notFound();
  const [events, tickets, team] = await Promise.all([
    listCrisisEvents(db, member.organizationId, crisis.id),
    listLinkedTickets(db, member.organizationId, crisis.id),
    listMembers(db, member.organizationId),
  ]);
  const resolved = crisis.status === 'resolved';
  const rights = {
    edit: !resolved && can(member.role, 'crisis.edit'),
    plan: !resolved && can(member.role, 'crisis.plan.edit'),
    approve: can(member.role, 'compensation.approve'),
  };
  const readOnlyReason = resolved
    ? `This crisis was resolved${crisis.statusChangedBy ? ` by ${crisis.statusChangedBy}` : ''}: the room is read-only for everyone.`
    : !rights.edit && !rights.plan
      ? 'Read-only: you follow this room (your role cannot change it).'
      : !rights.edit
        ? 'You write the response plan and approve compensation; the checklist and customers are the committee’s.'
        : null;
  return (
    <div className="stack" style={{ gap: '0.75rem' }}>
      <LiveRefresh topics={[`crisis:${crisis.id}`]} />
      <div className="crisis-head">
        <div>
          <p className="muted small" style={{ margin: 0 }}>
            <Link href="/crises">Crises</Link> /
          </p>
          <h1>{crisis.title}</h1>
          <p className="muted" style={{ margin: 0 }}>
            <span className={`crisis-status crisis-status-${crisis.status}`} data-testid="crisis-status">
              {statusLabels[crisis.status]}
            </span>{' '}
            <span className={`severity severity-${crisis.severity}`}>{crisis.severity}</span> · opened by {crisis.openedBy} at{' '}
            <time dateTime={crisis.openedAt.toISOString()}>{crisis.openedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>
            {crisis.statusChangedBy && crisis.statusChangedAt && (
              <>
                {' '}
                · {crisis.status} since {crisis.statusChangedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC ({crisis.statusChangedBy})
              </>
            )}
          </p>
        </div>
        {can(member.role, 'crisis.manage') && (
          <div className="stack" style={{ gap: '0.5rem', alignItems: 'flex-end' }}>
            <LifecycleButtons crisisId={crisis.id} status={crisis.status} />
            {!resolved && <BudgetForm crisisId={crisis.id} budgetCents={crisis.budgetCents} currency={crisis.currency} />}
          </div>
        )}
      </div>
      <CrisisRoom
        crisis={{ id: crisis.id, openedAt: crisis.openedAt.toISOString(), currency: crisis.currency, budgetCents: crisis.budgetCents, resolved }}
        me={{ userId: member.userId, memberId: member.memberId, name: member.name }}
        rights={rights}
        readOnlyReason={readOnlyReason}
        tickets={tickets.map((t) => ({ id: t.id, subject: t.subject, channel: t.channel, customerName: t.customerName, customerId: t.customerId }))}
        members={team.map((m) => ({ memberId: m.memberId, name: m.name }))}
        timeline={<Timeline events={events.map((e) => ({ id: e.id, at: e.at.toISOString(), kind: e.kind, summary: e.summary }))} />}
      />
    </div>
  );
}
