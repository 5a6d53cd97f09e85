import type { RoomServer } from './room-server';

const KEY = Symbol.for('stormdesk.rooms');
type Holder = { [KEY]?: RoomServer };

/** Installs the process's room server so server actions (bundled apart by Next.js) change documents through it. */
export function setLiveRooms(rooms: RoomServer | null): void {
  const holder = globalThis as Holder;
  if (rooms) holder[KEY] = rooms;
  else delete holder[KEY];
}

/** The process's room server, or null where none runs (scripts, some tests). */
export function liveRooms(): RoomServer | null {
  return (globalThis as Holder)[KEY] ?? null;
}
