import Link from 'next/link';
import { listMembers } from '@/db/queries/members';
import { RoleBadge } from '@/components/ui/RoleBadge';
import { can, navigationFor, roleDescriptions } from '@/lib/auth/permissions';
import { memberCtx, requireMember } from '@/lib/auth/session';

const roleHeadlines = {
  admin: 'Administration',
  executive: 'Executive overview',
  lead: 'Crisis lead',
  agent: 'Agent desk',
  observer: 'Observer',
} as const;

export default async function OverviewPage() {
  const member = await requireMember();
  const { db } = memberCtx(member);
  const team = await listMembers(db, member.organizationId);
  const places = navigationFor(member.role).filter((item) => item.href !== '/');
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{roleHeadlines[member.role]}</h1>
          <p className="muted" style={{ margin: 0 }}>
            {roleDescriptions[member.role]}
          </p>
        </div>
      </div>
      <div className="grid">
        <section className="panel">
          <h2>Go to</h2>
          <ul>
            {places.map((item) => (
              <li key={item.href}>
                <Link href={item.href}>{item.label}</Link>
              </li>
            ))}
          </ul>
          {!can(member.role, 'notes.edit') && <p className="muted">You follow the organization read-only.</p>}
        </section>
        <section className="panel">
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
