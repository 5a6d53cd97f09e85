import { affectedCustomersForExport, findCrisis } from '@/db/queries/crises';
import { can } from '@/lib/auth/permissions';
import { currentMember, memberCtx } from '@/lib/auth/session';
import { toCsv } from '@/lib/crises/csv';

export const dynamic = 'force-dynamic';

/** The crisis's affected customers and their compensation as CSV, from the SQL projection. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const member = await currentMember();
  if (!member) return new Response('Sign in first.', { status: 401 });
  if (!can(member.role, 'crisis.read')) return new Response('Your role cannot read crises.', { status: 403 });
  const { id } = await params;
  const { db } = memberCtx(member);
  const crisis = /^[0-9a-f-]{36}$/i.test(id) ? await findCrisis(db, member.organizationId, id) : null;
  if (!crisis) return new Response('No such crisis.', { status: 404 });
  const rows = await affectedCustomersForExport(db, member.organizationId, id);
  const csv = toCsv([
    ['name', 'customer_key', 'contacts', 'what_happened', 'state', 'refund', 'compensation', 'compensation_type', 'currency', 'status', 'approved_by', 'approved_at'],
    ...rows.map((r) => [
      r.name,
      r.customerKey ?? '',
      r.contacts.map((c) => `${c.channel}: ${c.value}`).join('; '),
      r.whatHappened,
      r.state,
      r.refundCents === null ? '' : (r.refundCents / 100).toFixed(2),
      r.compensationCents === null ? '' : (r.compensationCents / 100).toFixed(2),
      r.compensationType ?? '',
      r.currency ?? '',
      r.status ?? '',
      r.approvedBy ?? '',
      r.approvedAt?.toISOString() ?? '',
    ]),
  ]);
  const filename = `affected-customers-${crisis.title.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60)}.csv`;
  return new Response(csv, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' } });
}
