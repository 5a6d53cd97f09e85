import type { Metadata } from 'next';
import Link from 'next/link';
import { formatMoney, formatWhen } from '@/components/inbox/labels';
import { CsvImportForm } from '@/components/ui/CsvImportForm';
import { searchCustomers } from '@/db/queries/customers';
import { can } from '@/lib/auth/permissions';
import { memberCtx, requireMember } from '@/lib/auth/session';
import { purchaseColumns } from '@/lib/signals/purchases';
import { formatCount } from '@/lib/signals/format';
import '@/components/inbox/inbox.css';

export const metadata: Metadata = { title: 'Customers' };
export const dynamic = 'force-dynamic';

export default async function CustomersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const member = await requireMember('queue.read');
  const params = await searchParams;
  const q = typeof params.q === 'string' ? params.q : '';
  const rows = await searchCustomers(memberCtx(member).db, member.organizationId, q);
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Customers</h1>
          <p className="muted" style={{ margin: 0 }}>
            One person across channels: handles, emails and phone numbers, with purchases and every contact.
          </p>
        </div>
      </div>
      <form method="get" className="form-row filters" aria-label="Find customers">
        <label className="field">
          Name, handle, email or phone
          <input name="q" defaultValue={q} placeholder="maria, x:@handle, @example.com" />
        </label>
        <button className="button" type="submit">
          Find
        </button>
      </form>
      <section className="panel" style={{ padding: 0 }}>
        <table className="table" aria-label="Customers">
          <thead>
            <tr>
              <th>Customer</th>
              <th>Identities</th>
              <th>Lifetime value</th>
              <th>Reach</th>
              <th>Last contact</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} data-testid="customer-row">
                <td>
                  <Link href={`/customers/${c.id}`}>{c.displayName}</Link> {c.agitatorKind === 'possible_agitator' && <span className="agitator agitator-possible_agitator">possible agitator</span>}
                </td>
                <td className="small">{c.identities.slice(0, 4).join(', ')}</td>
                <td>{formatMoney(c.lifetimeValueCents, c.currency)}</td>
                <td>{formatCount(c.followers)}</td>
                <td className="small muted">{c.lastContactAt ? formatWhen(c.lastContactAt) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {can(member.role, 'customers.manage') && (
        <section className="panel">
          <h2>Purchases</h2>
          <p className="small muted">Purchase history gives lifetime value, which weighs in priority. Each purchase links to the customer its email, handle or phone identifies.</p>
          <CsvImportForm url="/api/imports/purchases" label="Import purchases" columns={purchaseColumns.join(', ')} />
        </section>
      )}
    </div>
  );
}
