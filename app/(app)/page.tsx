import Link from 'next/link';
import { LiveRefresh } from '@/components/live/LiveRefresh';
import { RoleBadge } from '@/components/ui/RoleBadge';
import { listMembers } from '@/db/queries/members';
import { connectedChannels, listActiveCrises, overdueTickets, pendingCompensations, queueHealth } from '@/db/queries/overview';
import { can, roleDescriptions } from '@/lib/auth/permissions';
import { memberCtx, requireMember } from '@/lib/auth/session';

const roleHeadlines = {
  admin: 'Administration',
  executive: 'Executive overview',
  lead: 'Crisis lead',
  agent: 'Agent desk',
  observer: 'Observer',
} as const;

/** "12 min ago", "3 h ago": how long a crisis has been running matters more than its clock time. */
function elapsed(since: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - since.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} days`;
}

export default async function OverviewPage() {
  const member = await requireMember();
  const { db } = memberCtx(member);
  const now = new Date();
  const [activeCrises, health, overdue, pending, channelCount, team] = await Promise.all([
    listActiveCrises(db, member.organizationId),
    queueHealth(db, member.organizationId, member.memberId, now),
    overdueTickets(db, member.organizationId, now),
    pendingCompensations(db, member.organizationId),
    connectedChannels(db, member.organizationId),
    listMembers(db, member.organizationId),
  ]);
  return (
    <div className="stack">
      <LiveRefresh topics={['crises', 'queue']} />
      <div className="page-head">
        <div>
          <h1>{roleHeadlines[member.role]}</h1>
          <p className="muted" style={{ margin: 0 }}>
            {roleDescriptions[member.role]}
          </p>
        </div>
      </div>

      <section className="panel" aria-label="Active crises">
        <h2>Active crises ({activeCrises.length})</h2>
        {activeCrises.length === 0 ? (
          <p className="muted" style={{ margin: 0 }}>
            No crisis is open. Stormdesk opens one by itself when complaints spike.
          </p>
        ) : (
          <table className="table">
            <tbody>
              {activeCrises.map((crisis) => (
                <tr key={crisis.id}>
                  <td>
                    <Link href={`/crises/${crisis.id}`}>
                      <strong>{crisis.title}</strong>
                    </Link>
                  </td>
                  <td>
                    <span className={`badge badge-severity-${crisis.severity}`}>{crisis.severity}</span>
                  </td>
                  <td>{crisis.status}</td>
                  <td>open for {elapsed(crisis.openedAt, now)}</td>
                  <td className="muted">by {crisis.openedBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <div className="grid">
        {can(member.role, 'queue.read') && (
          <section className="panel" aria-label="Queue">
            <h2>Queue</h2>
            <div className="figures">
              <Figure label="open tickets" value={health.open} />
              <Figure label="past the 1-hour target" value={health.overdue} alarm={health.overdue > 0} />
              <Figure label="unassigned" value={health.unassigned} />
              {can(member.role, 'queue.work') && <Figure label="assigned to you" value={health.mine} />}
            </div>
            {overdue.length > 0 && (
              <>
                <h3 className="subhead">Waiting longest</h3>
                <ul className="plain-list">
                  {overdue.map((ticket) => (
                    <li key={ticket.id}>
                      <span className="badge">{ticket.channel}</span> {ticket.subject}{' '}
                      <span className="overdue">{elapsed(ticket.slaDueAt, now)} over</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        )}
        {can(member.role, 'compensation.approve') && (
          <section className="panel" aria-label="Waiting for your approval">
            <h2>Waiting for your approval</h2>
            <div className="figures">
              <Figure label="compensations proposed" value={pending} alarm={pending > 0} />
            </div>
          </section>
        )}
        {can(member.role, 'members.manage') && (
          <section className="panel" aria-label="Setup">
            <h2>Setup</h2>
            <div className="figures">
              <Figure label="channels connected" value={channelCount} alarm={channelCount === 0} />
              <Figure label="members" value={team.length} />
            </div>
          </section>
        )}
        <section className="panel" aria-label="Team">
          <h2>Team ({team.length})</h2>
          <table className="table">
            <tbody>
              {team.map((person) => (
                <tr key={person.memberId}>
                  <td>{person.name}</td>
                  <td>
                    <RoleBadge role={person.role} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </div>
  );
}

function Figure({ label, value, alarm = false }: { label: string; value: number; alarm?: boolean }) {
  return (
    <div className={`figure${alarm ? ' figure-alarm' : ''}`}>
      <span className="figure-value">{value}</span>
      <span className="figure-label">{label}</span>
    </div>
  );
}
