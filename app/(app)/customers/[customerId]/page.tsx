import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CustomerEditingPanels } from '@/components/customers/CustomerEditingPanels';
import { CustomerPanel } from '@/components/customers/CustomerPanel';
import { customerPanel, searchCustomers } from '@/db/queries/customers';
import { can } from '@/lib/auth/permissions';
import { memberCtx, requireMember } from '@/lib/auth/session';
import '@/components/inbox/inbox.css';

export const metadata: Metadata = { title: 'Customer' };
export const dynamic = 'force-dynamic';

export default async function CustomerPage({ params, searchParams }: { params: Promise<{ customerId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const member = await requireMember('queue.read');
  const { db } = memberCtx(member);
  const { customerId } = await params;
  const data = await customerPanel(db, member.organizationId, customerId, 500);
  if (!data) notFound();
  const find = (await searchParams).find;
  const candidates = typeof find === 'string' && find.trim() ? (await searchCustomers(db, member.organizationId, find, 20)).filter((c) => c.id !== customerId) : [];
  return (
    <div className="stack">
      <p className="small" style={{ margin: 0 }}>
        <Link href="/customers">← Customers</Link>
      </p>
      <div className="ticket-layout">
        <CustomerPanel data={data} />
        <div className="stack">
          <section className="panel">
            <h2>Tickets ({data.tickets.length})</h2>
            <ul>
              {data.tickets.map((t) => (
                <li key={t.id}>
                  <Link href={`/queue/${t.id}`}>{t.subject}</Link> <span className="small muted">{t.status} · priority {t.priority}</span>
                </li>
              ))}
            </ul>
          </section>
          {can(member.role, 'customers.manage') && !data.customer.mergedIntoId && (
            <CustomerEditingPanels customerId={customerId} identities={data.identities.map((i) => ({ id: i.id, key: i.key }))} find={typeof find === 'string' ? find : ''} candidates={candidates.map((c) => ({ id: c.id, name: c.displayName, identities: c.identities }))} />
          )}
        </div>
      </div>
    </div>
  );
}
