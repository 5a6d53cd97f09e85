import { currentMember, memberCtx } from '@/lib/auth/session';
import { importAffectedCustomersUpload } from '@/lib/csv-upload';

export const dynamic = 'force-dynamic';

/** A CSV of a crisis's affected customers (crisis.edit), sent as the body and read as it streams. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const member = await currentMember();
  return importAffectedCustomersUpload(request, member && memberCtx(member), (await params).id);
}
