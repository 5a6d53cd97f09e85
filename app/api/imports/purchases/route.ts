import { currentMember, memberCtx } from '@/lib/auth/session';
import { importPurchasesUpload } from '@/lib/csv-upload';

export const dynamic = 'force-dynamic';

/** A CSV of purchases (customers.manage), sent as the body and read as it streams. */
export async function POST(request: Request): Promise<Response> {
  const member = await currentMember();
  return importPurchasesUpload(request, member && memberCtx(member));
}
