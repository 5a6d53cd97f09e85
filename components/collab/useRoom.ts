'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export type RoomStatus = 'connecting' | 'connected' | 'disconnected' | 'refused';

export interface RoomUser {
  id: string;
  name: string;
  color: string;
}

/** Someone in the room, and the part of the page they are looking at (when the page says). */
export interface RoomPeer extends RoomUser {
  focus: string | null;
  self: boolean;
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

const CLOSE_EDIT_REFUSED = 4409;

/**
 * Joins a Yjs room: the websocket provider (sync + awareness) and a local IndexedDB copy so that nothing typed during
 * a network cut is lost. The effect's cleanup destroys both (StrictMode mounts effects twice). When the server refuses
 * an edit (close 4409), the local copy is discarded and the room joined afresh from the server's copy.
 */
export function useRoom(docName: string, user: RoomUser) {
  const [room, setRoom] = useState<Room | null>(null);
  const [status, setStatus] = useState<RoomStatus>('connecting');
  const [refusal, setRefusal] = useState<string | null>(null);
  const [peers, setPeers] = useState<RoomPeer[]>([]);
  const [generation, setGeneration] = useState(0);
  const focusRef = useRef<string | null>(null);
  const { id, name, color } = user;

  useEffect(() => {
    const doc = new Y.Doc();
    const local = new IndexeddbPersistence(`stormdesk:${id}:${docName}`, doc);
    const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/yjs`;
    const provider = new WebsocketProvider(url, docName, doc, { disableBc: true });
    provider.awareness.setLocalState({ user: { id, name, color }, focus: focusRef.current });
    provider.on('status', ({ status: next }) => setStatus(next));
    provider.on('connection-close', (event) => {
      if (!event || event.code < 4400 || event.code >= 4500) return;
      if (event.code === CLOSE_EDIT_REFUSED) {
        setRefusal(`The server refused one of your edits (${event.reason || 'not allowed'}); the room was reloaded from the server.`);
        void local.clearData().then(() => setGeneration((g) => g + 1));
        return;
      }
      setStatus('refused');
      setRefusal(event.code === 4401 ? 'Your session has ended: sign in again.' : 'You no longer have access to this document.');
    });
    const updatePeers = () => {
      const seen = new Map<string, RoomPeer>();
      for (const [clientId, state] of provider.awareness.getStates()) {
        const peer = (state as { user?: RoomUser }).user;
        if (!peer?.id) continue;
        const self = clientId === doc.clientID;
        const focus = (state as { focus?: string | null }).focus ?? null;
        // The same person in two tabs is one presence; their own tab wins.
        if (!seen.has(peer.id) || self) seen.set(peer.id, { ...peer, focus, self: peer.id === id });
      }
      setPeers([...seen.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name)));
    };
    provider.awareness.on('change', updatePeers);
    updatePeers();
    // A socket can outlive the network silently for up to 30 s: follow the browser's own online/offline signal.
    const goOffline = () => provider.disconnect();
    const goOnline = () => provider.connect();
    window.addEventListener('offline', goOffline);
    window.addEventListener('online', goOnline);
    // The provider is an outside system created by this effect; publishing it to render is the point of the effect.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setRoom({ doc, provider });
    return () => {
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', goOnline);
      provider.awareness.off('change', updatePeers);
      provider.destroy();
      void local.destroy();
      doc.destroy();
      setRoom(null);
    };
  }, [docName, id, name, color, generation]);

  /** Tells the others which part of the page this member is looking at. */
  const setFocus = useCallback(
    (focus: string | null) => {
      if (focusRef.current === focus) return;
      focusRef.current = focus;
      room?.provider.awareness.setLocalStateField('focus', focus);
    },
    [room],
  );

  return { room, status, refusal, peers, setFocus };
}
