import { handleSimulatorConnections } from '@/lib/channels/inbound';

export const dynamic = 'force-dynamic';

/** For `npm run simulate`: ensures the organization's simulator connections (API key) and returns their keys and secrets. */
export function POST(request: Request): Promise<Response> {
  return handleSimulatorConnections(request);
}
