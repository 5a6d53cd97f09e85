import { currentMember } from '@/lib/auth/session';
import { subscribe } from '@/lib/events';

export const dynamic = 'force-dynamic';

/**
 * Server-sent events telling a member's open pages that something they show changed (`live.changed`), scoped to
 * the member's organization. Pages refetch what they show; no data travels on this stream.
 */
export async function GET(request: Request): Promise<Response> {
  const member = await currentMember();
  if (!member) return new Response('Sign in first.', { status: 401 });
  const encoder = new TextEncoder();
  let cleanup = () => undefined as void;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      send('retry: 3000\n\n');
      const unsubscribe = subscribe('live.changed', (event) => {
        if (event.organizationId !== member.organizationId) return;
        if (event.memberIds && !event.memberIds.includes(member.memberId)) return;
        send(`event: changed\ndata: ${JSON.stringify({ topic: event.topic })}\n\n`);
      });
      // Proxies close quiet connections; a comment every 25 s keeps this one open.
      const keepAlive = setInterval(() => send(': keep-alive\n\n'), 25_000);
      cleanup = () => {
        clearInterval(keepAlive);
        unsubscribe();
      };
      request.signal.addEventListener('abort', () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' } });
}
