import type { Metadata } from 'next';
import { AddMemberForm } from '@/components/admin/AddMemberForm';
import { RoleSelect } from '@/components/admin/RoleSelect';
import { listMembers } from '@/db/queries/members';
import { memberCtx, requireMember } from '@/lib/auth/session';
import { addMemberAction, changeRoleAction } from './actions';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage() {
  const member = await requireMember('members.manage');
  const team = await listMembers(memberCtx(member).db, member.organizationId);
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Members</h1>
          <p className="muted" style={{ margin: 0 }}>
            Who can sign in to {member.organizationName}, and what each may do.
          </p>
        </div>
      </div>
      <section className="panel">
        <h2>Add a member</h2>
        <AddMemberForm action={addMemberAction} />
      </section>
      <section className="panel">
        <h2>Team ({team.length})</h2>
        <table className="table" aria-label="Members">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
            </tr>
          </thead>
          <tbody>
            {team.map((person) => (
              <tr key={person.memberId} data-testid="member-row">
                <td>{person.name}</td>
                <td>{person.email}</td>
                <td>
                  <RoleSelect memberId={person.memberId} name={person.name} role={person.role} action={changeRoleAction} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
