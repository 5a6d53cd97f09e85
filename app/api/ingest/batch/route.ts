import { handleBatchPost } from '@/lib/channels/inbound';

export const dynamic = 'force-dynamic';

/** The batch API: `Authorization: Bearer <api key>`, a JSON array of mentions (≤ 5,000, ≤ 10 MB); all or nothing. */
export function POST(request: Request): Promise<Response> {
  return handleBatchPost(request);
}
