import { handlePurchasesPost } from '@/lib/channels/inbound';

export const dynamic = 'force-dynamic';

/** Purchases for lifetime value: `Authorization: Bearer <api key>`, a JSON array; all or nothing. */
export function POST(request: Request): Promise<Response> {
  return handlePurchasesPost(request);
}
