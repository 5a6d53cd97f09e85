import { handleWebhookGet, handleWebhookPost } from '@/lib/channels/inbound';

export const dynamic = 'force-dynamic';

/** Meta's subscription handshake (GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…). */
export async function GET(request: Request, { params }: { params: Promise<{ key: string }> }): Promise<Response> {
  return handleWebhookGet('meta', request, (await params).key);
}

/** A signed delivery: verified on the raw body, parsed, ingested; answers {accepted, duplicates}. */
export async function POST(request: Request, { params }: { params: Promise<{ key: string }> }): Promise<Response> {
  return handleWebhookPost('meta', request, (await params).key);
}
