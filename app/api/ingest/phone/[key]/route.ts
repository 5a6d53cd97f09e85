import { handleWebhookPost } from '@/lib/channels/inbound';

export const dynamic = 'force-dynamic';

/** A signed delivery: verified on the raw body, parsed, ingested; answers {accepted, duplicates}. */
export async function POST(request: Request, { params }: { params: Promise<{ key: string }> }): Promise<Response> {
  return handleWebhookPost('phone', request, (await params).key);
}
