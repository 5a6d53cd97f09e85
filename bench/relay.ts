// A bare y-protocols relay (no authentication, no persistence, no guard): the yardstick bench/collab.ts compares
// Stormdesk's room server with. Prints "relay on <port>" once listening.
import { createServer } from 'node:http';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { type WebSocket, WebSocketServer } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

const rooms = new Map<string, { doc: Y.Doc; awareness: awarenessProtocol.Awareness; sockets: Set<WebSocket> }>();

function room(name: string) {
  let found = rooms.get(name);
  if (!found) {
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState(null);
    const sockets = new Set<WebSocket>();
    doc.on('update', (update: Uint8Array) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeUpdate(encoder, update);
      const message = encoding.toUint8Array(encoder);
      for (const socket of sockets) socket.send(message);
    });
    awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, [...added, ...updated, ...removed]));
      const message = encoding.toUint8Array(encoder);
      for (const socket of sockets) socket.send(message);
    });
    found = { doc, awareness, sockets };
    rooms.set(name, found);
  }
  return found;
}

const wss = new WebSocketServer({ noServer: true });
const server = createServer((_req, res) => res.writeHead(404).end());
server.on('upgrade', (req, socket, head) => {
  const name = (req.url ?? '/').split('/').pop() ?? 'room';
  wss.handleUpgrade(req, socket, head, (ws) => {
    const r = room(name);
    r.sockets.add(ws);
    ws.binaryType = 'arraybuffer';
    ws.on('message', (data: ArrayBuffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      const type = decoding.readVarUint(decoder);
      if (type === 0) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, 0);
        syncProtocol.readSyncMessage(decoder, encoder, r.doc, ws);
        if (encoding.length(encoder) > 1) ws.send(encoding.toUint8Array(encoder));
      } else if (type === 1) {
        awarenessProtocol.applyAwarenessUpdate(r.awareness, decoding.readVarUint8Array(decoder), ws);
      }
    });
    ws.on('close', () => r.sockets.delete(ws));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, r.doc);
    ws.send(encoding.toUint8Array(encoder));
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`relay on ${typeof address === 'object' && address ? address.port : 0}`);
});
