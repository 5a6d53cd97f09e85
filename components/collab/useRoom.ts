'use client';

import { useEffect, useState } from 'react';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export type RoomStatus = 'connecting' | 'connected' | 'disconnected' | 'refused';

export interface RoomUser {
  id: string;
  name: string;
  color: string;
}

export interface Room {
  doc: Y.Doc;
  provider: WebsocketProvider;
}

const palette = ['#d92d20', '#1f4fd8', '#067647', '#9a5b00', '#7a2bd4', '#c11574', '#0e7090', '#4e5ba6'];

/** A stable colour per person, so everyone sees the same caret colour for them. */
export function colorFor(id: string): string {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length]!;
}

/**
 * Joins a Yjs room: the websocket provider (sync + awareness) and a local IndexedDB copy so that nothing typed during
 * a network cut is lost. The effect's cleanup destroys both (StrictMode mounts effects twice).
 */
export function useRoom(docName: string, user: RoomUser) {
  const [room, setRoom] = useState<Room | null>(null);
  const [status, setStatus] = useState<RoomStatus>('connecting');
  const [refusal, setRefusal] = useState<string | null>(null);
  const [peers, setPeers] = useState<RoomUser[]>([]);
  const { id, name, color } = user;

  useEffect(() => {
    const doc = new Y.Doc();
    const local = new IndexeddbPersistence(`stormdesk:${id}:${docName}`, doc);
    const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/yjs`;
    const provider = new WebsocketProvider(url, docName, doc, { disableBc: true });
    provider.awareness.setLocalStateField('user', { id, name, color });
    provider.on('status', ({ status: next }) => setStatus(next));
    provider.on('connection-close', (event) => {
      if (event && event.code >= 4400 && event.code < 4500) {
        setStatus('refused');
        setRefusal(event.code === 4401 ? 'Your session has ended: sign in again.' : 'You no longer have access to this document.');
      }
    });
    const updatePeers = () => {
      const seen = new Map<string, RoomUser>();
      for (const state of provider.awareness.getStates().values()) {
        const peer = (state as { user?: RoomUser }).user;
        if (peer?.id) seen.set(peer.id, peer);
      }
      setPeers([...seen.values()]);
    };
    provider.awareness.on('change', updatePeers);
    updatePeers();
    // The provider is an outside system created by this effect; publishing it to render is the point of the effect.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setRoom({ doc, provider });
    return () => {
      provider.awareness.off('change', updatePeers);
      provider.destroy();
      void local.destroy();
      doc.destroy();
      setRoom(null);
    };
  }, [docName, id, name, color]);

  return { room, status, refusal, peers };
}
