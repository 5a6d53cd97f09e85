import { handleWebhookGet, handleWebhookPost } from '@/lib/channels/inbound';

export const dynamic = 'force-dynamic';

/** X's CRC challenge (GET ?crc_token=…). */
export async function GET(request: Request, { params }: { params: Promise<{ key: string }> }): Promise<Response> {
  return handleWebhookGet('x', request, (await params).key);
}

/** A signed delivery: verified on the raw body, parsed, ingested; answers {accepted, duplicates}. */
export async function POST(request: Request, { params }: { params: Promise<{ key: string }> }): Promise<Response> {
  return handleWebhookPost('x', request, (await params).key);
}
