import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/auth/SignOutButton';
import { NavLinks } from '@/components/ui/NavLinks';
import { RoleBadge } from '@/components/ui/RoleBadge';
import { navigationFor } from '@/lib/auth/permissions';
import { requireMember } from '@/lib/auth/session';

export default async function AppLayout({ children }: { children: ReactNode }) {
  const member = await requireMember();
  const items = navigationFor(member.role).map(({ href, label }) => ({ href, label }));
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            ⚡
          </span>
          Stormdesk
        </div>
        <div className="org" data-testid="organization">
          {member.organizationName}
        </div>
        <NavLinks items={items} />
        <div className="whoami">
          <strong data-testid="member-name">{member.name}</strong>
          <span>
            <RoleBadge role={member.role} />
          </span>
          <SignOutButton />
        </div>
      </aside>
      <main className="main">{children}</main>
    </div>
  );
}
