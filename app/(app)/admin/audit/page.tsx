import type { Metadata } from 'next';
import { listAudit } from '@/db/queries/audit';
import { listMembers } from '@/db/queries/members';
import { memberCtx, requireMember } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Audit log' };

export default async function AuditPage() {
  const member = await requireMember('audit.read');
  const { db } = memberCtx(member);
  const [rows, team] = await Promise.all([listAudit(db, member.organizationId), listMembers(db, member.organizationId)]);
  const names = new Map(team.map((m) => [`member:${m.memberId}`, m.name]));
  const subjects = new Map(team.map((m) => [m.memberId, m.name]));
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Audit log</h1>
          <p className="muted" style={{ margin: 0 }}>
            Every change to people and roles, newest first.
          </p>
        </div>
      </div>
      <section className="panel">
        <table className="table">
          <thead>
            <tr>
              <th>When (UTC)</th>
              <th>Who</th>
              <th>What</th>
              <th>Subject</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <td>{row.at.toISOString().replace('T', ' ').slice(0, 19)}</td>
                <td>{names.get(row.actor) ?? row.actor}</td>
                <td>
                  <code>{row.action}</code>
                </td>
                <td>{row.subject ? (subjects.get(row.subject) ?? row.subject) : ''}</td>
                <td>{row.data ? JSON.stringify(row.data) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
