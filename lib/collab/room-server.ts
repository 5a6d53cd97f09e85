import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { type WebSocket, WebSocketServer } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

/** Close code telling the client its rights changed: it reconnects and is authorized afresh. */
export const CLOSE_RIGHTS_CHANGED = 4000;
/** Close codes of a refused peer. y-websocket treats 4400–4499 as final and stops reconnecting; browsers cannot see an HTTP refusal's status. */
export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_FORBIDDEN = 4403;
/** Close code of a peer whose edit broke a rule of its document: final; the client discards its copy and rejoins fresh. */
export const CLOSE_EDIT_REFUSED = 4409;

export type Access = 'write' | 'read';

/**
 * Checks one incoming update against the document as it stands (before applying it): null to accept, else the reason
 * it is refused. Used where write rights are finer than the document (an executive writes only the plan).
 */
export type UpdateGuard = (doc: Y.Doc, update: Uint8Array) => string | null;

/** What the authorization hook grants one peer on one document. */
export interface Grant {
  access: Access;
  organizationId: string;
  guard?: UpdateGuard;
}

/** The transaction origin of edits the server makes itself (`RoomServer.change`). */
export const SERVER_ORIGIN = 'server';

/** Who is connecting, as proven by their session. */
export interface RoomPeer {
  userId: string;
  memberId: string;
  organizationId: string;
}

/** How documents are stored; injected so the server runs the same on Postgres, PGlite or in a test. */
export interface RoomPersistence {
  /** Every stored update of a document, oldest first (may be one compacted update). */
  load(docName: string): Promise<Uint8Array[]>;
  /** Stores one (merged) update; `doc` is the room's document after it, for projections written in the same transaction. */
  store(docName: string, organizationId: string, update: Uint8Array, doc: Y.Doc): Promise<void>;
}

export interface RoomServerOptions {
  /** URL path prefix of the endpoint, e.g. `/yjs/`; the rest of the path is the document name. */
  pathPrefix: string;
  authenticate(req: IncomingMessage): Promise<RoomPeer | null>;
  /** The per-document authorization hook: read-write, read-only, or refused (null). */
  authorize(docName: string, peer: RoomPeer): Promise<Grant | null>;
  /** Called once a peer has joined a room (e.g. to note it on a timeline); failures are logged. */
  onJoin?(docName: string, organizationId: string, peer: RoomPeer): Promise<void>;
  isAllowedOrigin(origin: string | undefined, req: IncomingMessage): boolean;
  persistence: RoomPersistence;
  /** How long updates are buffered before one merged write; what a crash can lose. */
  flushIntervalMs?: number;
  /** Interval of websocket pings; a peer that misses one is dropped. */
  pingIntervalMs?: number;
  log?: (message: string) => void;
}

interface Connection {
  peer: RoomPeer;
  access: Access;
  guard: UpdateGuard | undefined;
  awarenessIds: Set<number>;
  alive: boolean;
}

class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Map<WebSocket, Connection>();
  readonly ready: Promise<void>;
  /** Server-side changes in progress; the room is not unloaded while any runs. */
  holds = 0;
  private pending: Uint8Array[] = [];
  private storing = false;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly organizationId: string,
    private readonly options: Required<Pick<RoomServerOptions, 'flushIntervalMs' | 'log'>> & { persistence: RoomPersistence },
  ) {
    this.awareness.setLocalState(null);
    this.ready = this.load();
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'load') return;
      this.broadcast(encodeUpdate(update));
      this.pending.push(update);
      this.flushTimer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs);
    });
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      const connection = origin ? this.connections.get(origin as WebSocket) : undefined;
      if (connection) {
        for (const id of added) connection.awarenessIds.add(id);
        for (const id of removed) connection.awarenessIds.delete(id);
      }
      // Echo to everyone, sender included: y-websocket drops a connection that hears nothing for 30 s.
      this.broadcast(encodeAwareness(this.awareness, changed));
    });
  }

  private async load(): Promise<void> {
    const updates = await this.options.persistence.load(this.name);
    if (updates.length > 0) Y.applyUpdate(this.doc, Y.mergeUpdates(updates), 'load');
  }

  /** Writes buffered updates as one merged update; on failure they stay buffered and the next flush retries. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.flushTimer = null;
      if (this.pending.length === 0) return;
      const batch = this.pending;
      this.pending = [];
      this.storing = true;
      try {
        await this.options.persistence.store(this.name, this.organizationId, Y.mergeUpdates(batch), this.doc);
      } catch (error) {
        this.pending = batch.concat(this.pending);
        this.options.log(`room ${this.name}: storing updates failed (${(error as Error).message}); retrying`);
        this.flushTimer ??= setTimeout(() => void this.flush(), Math.max(this.options.flushIntervalMs, 1000));
      } finally {
        this.storing = false;
      }
    });
    return this.flushing;
  }

  /** Whether some update is not yet stored (buffered, or being written). */
  get hasPending(): boolean {
    return this.pending.length > 0 || this.storing;
  }

  broadcast(message: Uint8Array): void {
    for (const socket of this.connections.keys()) send(socket, message);
  }

  destroy(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.awareness.destroy();
    this.doc.destroy();
  }
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

function encodeUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}

function send(socket: WebSocket, message: Uint8Array): void {
  if (socket.readyState !== socket.OPEN) return;
  socket.send(message, (error) => {
    if (error) socket.terminate();
  });
}

function refuse(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
  socket.destroy();
}

const DOC_NAME = /^[a-z][a-z-]{0,31}:[A-Za-z0-9_-]{1,100}$/;

/**
 * The Yjs websocket room server (y-websocket protocol: sync and awareness). Every upgrade is authenticated and
 * authorized per document; read-only peers get the document but their edits are dropped here.
 */
export class RoomServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  private readonly rooms = new Map<string, Room>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly flushIntervalMs: number;
  private readonly log: (message: string) => void;
  private closed = false;

  constructor(private readonly options: RoomServerOptions) {
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.log = options.log ?? ((message) => console.warn(message));
    this.heartbeat = setInterval(() => this.ping(), options.pingIntervalMs ?? 30_000);
    this.heartbeat.unref();
  }

  /** Whether this server answers upgrades for `url`. */
  handles(url: string | undefined): boolean {
    return !!url && url.startsWith(this.options.pathPrefix);
  }

  /** Handles an HTTP upgrade on the endpoint: checks origin, session and document rights, then joins the room. */
  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    if (this.closed) return refuse(socket, 403, 'Server is shutting down');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const docName = decodeURIComponent(url.pathname.slice(this.options.pathPrefix.length));
    if (!DOC_NAME.test(docName)) return refuse(socket, 404, 'Unknown document');
    if (!this.options.isAllowedOrigin(req.headers.origin, req)) return refuse(socket, 403, 'Origin not allowed');
    let peer: RoomPeer | null;
    let grant: Awaited<ReturnType<RoomServerOptions['authorize']>>;
    try {
      peer = await this.options.authenticate(req);
      grant = peer && (await this.options.authorize(docName, peer));
    } catch (error) {
      this.log(`room ${docName}: authorization failed (${(error as Error).message})`);
      return refuse(socket, 403, 'Authorization failed');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      // A refused peer gets a close code it can read and that stops its reconnect loop; it never joins the room.
      if (!peer) return ws.close(CLOSE_UNAUTHENTICATED, 'Sign in first');
      if (!grant) return ws.close(CLOSE_FORBIDDEN, 'No access to this document');
      this.join(ws, docName, grant, peer);
    });
  }

  private room(name: string, organizationId: string): Room {
    let room = this.rooms.get(name);
    if (!room) {
      room = new Room(name, organizationId, { flushIntervalMs: this.flushIntervalMs, log: this.log, persistence: this.options.persistence });
      this.rooms.set(name, room);
    }
    return room;
  }

  private join(ws: WebSocket, docName: string, grant: Grant, peer: RoomPeer): void {
    const room = this.room(docName, grant.organizationId);
    const connection: Connection = { peer, access: grant.access, guard: grant.guard, awarenessIds: new Set(), alive: true };
    room.connections.set(ws, connection);
    ws.binaryType = 'arraybuffer';
    ws.on('pong', () => {
      connection.alive = true;
    });
    ws.on('message', (data: ArrayBuffer) => {
      // Messages wait for the stored state; promise callbacks keep their order.
      void room.ready.then(() => this.receive(room, ws, connection, new Uint8Array(data)));
    });
    ws.on('close', () => void this.leave(room, ws));
    ws.on('error', () => ws.terminate());
    room.ready.then(
      () => {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        syncProtocol.writeSyncStep1(encoder, room.doc);
        send(ws, encoding.toUint8Array(encoder));
        const states = [...room.awareness.getStates().keys()];
        if (states.length > 0) send(ws, encodeAwareness(room.awareness, states));
        this.options.onJoin?.(docName, grant.organizationId, peer).catch((error: Error) => this.log(`room ${docName}: join hook failed (${error.message})`));
      },
      (error: Error) => {
        this.log(`room ${docName}: loading failed (${error.message})`);
        ws.close(1011, 'Document could not be loaded');
      },
    );
  }

  private receive(room: Room, ws: WebSocket, connection: Connection, message: Uint8Array): void {
    try {
      const decoder = decoding.createDecoder(message);
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case MESSAGE_SYNC: {
          const syncType = decoding.readVarUint(decoder);
          if (syncType === syncProtocol.messageYjsSyncStep1) {
            const encoder = encoding.createEncoder();
            encoding.writeVarUint(encoder, MESSAGE_SYNC);
            syncProtocol.writeSyncStep2(encoder, room.doc, decoding.readVarUint8Array(decoder));
            send(ws, encoding.toUint8Array(encoder));
          } else if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
            // Read-only peers' edits never reach the shared document.
            if (connection.access !== 'write') break;
            const update = decoding.readVarUint8Array(decoder);
            const refusal = connection.guard?.(room.doc, update);
            if (refusal) {
              // The peer's copy now holds an edit nobody else will see; it must start again from the server's copy.
              this.log(`room ${room.name}: edit by member ${connection.peer.memberId} refused (${refusal})`);
              ws.close(CLOSE_EDIT_REFUSED, refusal.slice(0, 120));
              break;
            }
            Y.applyUpdate(room.doc, update, ws);
          }
          break;
        }
        case MESSAGE_AWARENESS:
          awarenessProtocol.applyAwarenessUpdate(room.awareness, decoding.readVarUint8Array(decoder), ws);
          break;
        case MESSAGE_QUERY_AWARENESS:
          send(ws, encodeAwareness(room.awareness, [...room.awareness.getStates().keys()]));
          break;
        default:
          break;
      }
    } catch (error) {
      this.log(`room ${room.name}: malformed message dropped (${(error as Error).message})`);
      ws.close(1003, 'Malformed message');
    }
  }

  private async leave(room: Room, ws: WebSocket): Promise<void> {
    const connection = room.connections.get(ws);
    if (!connection) return;
    room.connections.delete(ws);
    if (connection.awarenessIds.size > 0) awarenessProtocol.removeAwarenessStates(room.awareness, [...connection.awarenessIds], null);
    await this.release(room);
  }

  private ping(): void {
    for (const room of this.rooms.values()) {
      for (const [ws, connection] of room.connections) {
        if (!connection.alive) {
          ws.terminate();
          continue;
        }
        connection.alive = false;
        ws.ping();
      }
    }
  }

  /** Closes the connections of one user (their rights changed); their clients reconnect and are authorized again. */
  disconnectUser(userId: string): number {
    let closed = 0;
    for (const room of this.rooms.values()) {
      for (const [ws, connection] of room.connections) {
        if (connection.peer.userId === userId) {
          ws.close(CLOSE_RIGHTS_CHANGED, 'Rights changed');
          closed += 1;
        }
      }
    }
    return closed;
  }

  /** Closes every connection to one document (its rights changed, e.g. a crisis was resolved); clients reconnect. */
  disconnectDocument(docName: string): number {
    const room = this.rooms.get(docName);
    if (!room) return 0;
    for (const ws of room.connections.keys()) ws.close(CLOSE_RIGHTS_CHANGED, 'Rights changed');
    return room.connections.size;
  }

  /**
   * Changes a document on the server (an action adding customers, an approval): the room is loaded if nobody is in
   * it, connected peers see the change at once, and it is stored before this resolves.
   */
  async change<T>(docName: string, organizationId: string, edit: (doc: Y.Doc) => T): Promise<T> {
    if (this.closed) throw new Error('The room server is shutting down.');
    const room = this.room(docName, organizationId);
    room.holds += 1;
    try {
      await room.ready;
      const result = room.doc.transact(() => edit(room.doc), SERVER_ORIGIN);
      // A failed write stays buffered and is retried by the room; the change is already live for its peers.
      await room.flush();
      return result;
    } finally {
      room.holds -= 1;
      void this.release(room);
    }
  }

  private async release(room: Room): Promise<void> {
    if (room.connections.size > 0 || room.holds > 0) return;
    await room.flush();
    // Someone may have joined while we flushed; the room stays for them.
    if (room.connections.size === 0 && room.holds === 0 && !room.hasPending && this.rooms.get(room.name) === room) {
      this.rooms.delete(room.name);
      room.destroy();
    }
  }

  /** Open connections and rooms, and rooms with updates not yet stored, for health and benchmarks. */
  stats(): { rooms: number; connections: number; unflushedRooms: number } {
    let connections = 0;
    let unflushedRooms = 0;
    for (const room of this.rooms.values()) {
      connections += room.connections.size;
      if (room.hasPending) unflushedRooms += 1;
    }
    return { rooms: this.rooms.size, connections, unflushedRooms };
  }

  /** Writes every buffered update now. */
  async flushAll(): Promise<void> {
    await Promise.all([...this.rooms.values()].map((room) => room.flush()));
  }

  /** Stops accepting peers, flushes every room and closes every connection (SIGTERM). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    await this.flushAll();
    for (const room of this.rooms.values()) {
      for (const ws of room.connections.keys()) ws.close(1001, 'Server shutting down');
      room.destroy();
    }
    this.rooms.clear();
    this.wss.close();
  }
}
