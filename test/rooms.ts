import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encode } from 'next-auth/jwt';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Db } from '@/db/client';
import type { MemberRow } from '@/db/queries/members';
import { createAppRoomServer } from '@/lib/collab/app-rooms';
import type { RoomServer } from '@/lib/collab/room-server';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-42';

/** The real room server on a real port (0), as server.ts wires it. */
export async function startRoomServer(db: Db): Promise<{ url: string; origin: string; rooms: RoomServer; server: Server; stop: () => Promise<void> }> {
  const rooms = createAppRoomServer({ db, authSecret: TEST_SECRET, allowedOrigins: [], flushIntervalMs: 50, log: () => undefined });
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    if (rooms.handles(req.url)) void rooms.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/yjs`,
    origin: `http://127.0.0.1:${port}`,
    rooms,
    server,
    stop: async () => {
      await rooms.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A session cookie exactly as next-auth would set it for this member. */
export async function sessionCookie(member: Pick<MemberRow, 'userId' | 'email' | 'name'>, secret = TEST_SECRET): Promise<string> {
  const token = await encode({ token: { uid: member.userId, email: member.email, name: member.name }, secret, maxAge: 3600 });
  return `next-auth.session-token=${token}`;
}

/** A Node y-websocket client with the given cookie and origin headers (Node 20 has no global WebSocket). */
export function connectClient(url: string, docName: string, { cookie, origin }: { cookie?: string; origin: string }) {
  const doc = new Y.Doc();
  class HeaderWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { origin, ...(cookie ? { cookie } : {}) } });
    }
  }
  const closes: number[] = [];
  const provider = new WebsocketProvider(url, docName, doc, { WebSocketPolyfill: HeaderWebSocket as unknown as typeof globalThis.WebSocket, disableBc: true });
  provider.on('connection-close', (event) => {
    if (event) closes.push(event.code);
  });
  return { doc, provider, closes, destroy: () => (provider.destroy(), doc.destroy()) };
}
