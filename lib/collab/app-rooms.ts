import type { Db } from '@/db/client';
import { findMemberByUserId } from '@/db/queries/members';
import { userIdFromRequest } from '@/lib/auth/upgrade';
import { isAllowedOrigin } from '@/lib/config';
import { subscribe } from '@/lib/events';
import './crisis-room';
import { authorizeDocument, documentJoined, projectDocument } from './documents';
import { liveRooms, setLiveRooms } from './live-rooms';
import { createDbPersistence } from './persistence';
import { RoomServer } from './room-server';

/**
 * Stormdesk's room server: session-cookie authentication, per-document authorization, persistence in the database with
 * each kind's SQL projection in the same transaction. It becomes the process's live room server (`liveRooms()`).
 */
export function createAppRoomServer({
  db,
  authSecret,
  allowedOrigins,
  flushIntervalMs = 100,
  log,
}: {
  db: Db;
  authSecret: string;
  allowedOrigins: readonly string[];
  flushIntervalMs?: number;
  log?: (message: string) => void;
}): RoomServer {
  const rooms = new RoomServer({
    pathPrefix: '/yjs/',
    persistence: createDbPersistence(db, { project: projectDocument, log }),
    flushIntervalMs,
    isAllowedOrigin: (origin, req) => isAllowedOrigin(origin, req.headers.host, allowedOrigins),
    async authenticate(req) {
      const userId = await userIdFromRequest(req, authSecret);
      const member = userId ? await findMemberByUserId(db, userId) : null;
      return member && { userId: member.userId, memberId: member.memberId, organizationId: member.organizationId };
    },
    async authorize(docName, peer) {
      // Read the member again: the role decides the access, and it may have changed since the session began.
      const member = await findMemberByUserId(db, peer.userId);
      return member ? authorizeDocument(db, member, docName) : null;
    },
    onJoin: (docName, organizationId, peer) => documentJoined(db, docName, organizationId, peer),
    log,
  });
  const unsubscribe = subscribe('member.changed', ({ userId }) => rooms.disconnectUser(userId));
  setLiveRooms(rooms);
  const close = rooms.close.bind(rooms);
  rooms.close = async () => {
    unsubscribe();
    await close();
    if (liveRooms() === rooms) setLiveRooms(null);
  };
  return rooms;
}
