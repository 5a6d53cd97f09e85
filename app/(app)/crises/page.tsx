import type { Metadata } from 'next';
import Link from 'next/link';
import { LiveRefresh } from '@/components/live/LiveRefresh';
import { OpenCrisisForm } from '@/components/room/OpenCrisisForm';
import { listCrises } from '@/db/queries/crises';
import { can } from '@/lib/auth/permissions';
import { memberCtx, requireMember } from '@/lib/auth/session';
import { openCrisisAction } from './actions';
import '@/components/room/room.css';

export const metadata: Metadata = { title: 'Crises' };
export const dynamic = 'force-dynamic';

const ago = (date: Date) => {
  const minutes = Math.round((Date.now() - date.getTime()) / 60_000);
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return date.toISOString().slice(0, 10);
};

export default async function CrisesPage() {
  const member = await requireMember('crisis.read');
  const rows = await listCrises(memberCtx(member).db, member.organizationId);
  const active = rows.filter((c) => c.status !== 'resolved');
  return (
    <div className="stack">
      <LiveRefresh topics={['crises']} />
      <div className="page-head">
        <div>
          <h1>Crises</h1>
          <p className="muted" style={{ margin: 0 }}>
            {active.length === 0 ? 'No crisis is open.' : `${active.length} crisis room${active.length === 1 ? '' : 's'} open.`} Customers on social channels expect an answer within the hour.
          </p>
        </div>
      </div>
      {can(member.role, 'crisis.open') && (
        <section className="panel">
          <h2>Open a crisis</h2>
          <OpenCrisisForm action={openCrisisAction} />
        </section>
      )}
      <section className="panel">
        <table className="table" aria-label="Crises">
          <thead>
            <tr>
              <th>Crisis</th>
              <th>Status</th>
              <th>Severity</th>
              <th>Checklist</th>
              <th>Customers</th>
              <th>Opened</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  No crisis yet. Detection opens one by itself when complaints spike; you can open one above.
                </td>
              </tr>
            )}
            {rows.map((crisis) => (
              <tr key={crisis.id}>
                <td>
                  <Link href={`/crises/${crisis.id}`}>{crisis.title}</Link>
                </td>
                <td>
                  <span className={`crisis-status crisis-status-${crisis.status}`}>{crisis.status}</span>
                </td>
                <td>
                  <span className={`severity severity-${crisis.severity}`}>{crisis.severity}</span>
                </td>
                <td>
                  {crisis.itemsDone}/{crisis.itemsTotal}
                </td>
                <td>{crisis.customers}</td>
                <td>
                  {ago(crisis.openedAt)} by {crisis.openedBy}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
