import * as Y from 'yjs';

/**
 * Where one change of an update lands: the root type's name and the keys from the root down to the changed item
 * (a map key, or null for an array or text position). `values` are an insert's contents (empty for a delete).
 */
export interface TouchedPlace {
  root: string;
  path: (string | null)[];
  kind: 'insert' | 'delete';
  values: unknown[];
}

type Place = { root: string; path: (string | null)[] };

/**
 * Lists the places an update would change in `doc`, without applying it: inserts are located through their parent,
 * or through their left/right neighbour when the encoding left the parent out; deletions through the deleted items.
 * Returns null when a change cannot be located (it depends on something the document has not seen).
 */
export function placesTouchedBy(doc: Y.Doc, update: Uint8Array): TouchedPlace[] | null {
  const { structs, ds } = Y.decodeUpdate(update);
  const incoming = new Map<number, (Y.Item | Y.GC | Y.Skip)[]>();
  for (const struct of structs) {
    const list = incoming.get(struct.id.client) ?? [];
    list.push(struct as Y.Item | Y.GC | Y.Skip);
    incoming.set(struct.id.client, list);
  }
  const findIncoming = (id: Y.ID) => incoming.get(id.client)?.find((s) => s.id.clock <= id.clock && id.clock < s.id.clock + s.length);
  const findStored = (id: Y.ID): Y.Item | Y.GC | null => {
    const stored = doc.store.clients.get(id.client);
    const last = stored?.at(-1);
    if (!last || last.id.clock + last.length <= id.clock) return null;
    return Y.getItem(doc.store, id) as Y.Item | Y.GC;
  };

  const memo = new Map<unknown, Place | null>();
  const placeOfStored = (item: Y.Item): Place | null => {
    if (memo.has(item)) return memo.get(item)!;
    const parent = item.parent as Y.AbstractType<unknown> | null;
    let place: Place | null = null;
    if (parent) {
      const key = item.parentSub ?? null;
      if (parent._item) {
        const above = placeOfStored(parent._item);
        place = above && { root: above.root, path: [...above.path, key] };
      } else {
        place = { root: Y.findRootTypeKey(parent), path: [key] };
      }
    }
    memo.set(item, place);
    return place;
  };
  const placeOf = (id: Y.ID | null, depth: number): Place | null => {
    if (!id || depth > 10_000) return null;
    const fresh = findIncoming(id);
    if (fresh) return fresh instanceof Y.Item ? placeOfIncoming(fresh, depth + 1) : null;
    const stored = findStored(id);
    return stored instanceof Y.Item ? placeOfStored(stored) : null;
  };
  const placeOfIncoming = (item: Y.Item, depth: number): Place | null => {
    if (memo.has(item)) return memo.get(item)!;
    let place: Place | null = null;
    const parent = item.parent as unknown;
    if (typeof parent === 'string') {
      place = { root: parent, path: [item.parentSub ?? null] };
    } else if (parent instanceof Y.ID) {
      const container = placeOf(parent, depth);
      place = container && { root: container.root, path: [...container.path, item.parentSub ?? null] };
    } else {
      // The encoding omits the parent when a neighbour is known: the item shares that neighbour's parent and key.
      place = placeOf(item.origin, depth) ?? placeOf(item.rightOrigin, depth);
    }
    memo.set(item, place);
    return place;
  };

  const touched: TouchedPlace[] = [];
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const place = placeOfIncoming(struct, 0);
    if (!place) {
      // An item whose neighbour was garbage-collected is discarded by Yjs itself; anything else is unknown.
      const neighbour = struct.origin ?? struct.rightOrigin;
      const stored = neighbour && !findIncoming(neighbour) ? findStored(neighbour) : null;
      if (stored instanceof Y.GC) continue;
      return null;
    }
    touched.push({ ...place, kind: 'insert', values: struct.content.getContent() });
  }
  for (const [client, deletes] of ds.clients) {
    for (const { clock, len } of deletes) {
      let at = clock;
      while (at < clock + len) {
        const id = Y.createID(client, at);
        const struct = findIncoming(id) ?? findStored(id);
        if (!struct) break;
        if (struct instanceof Y.Item) {
          const place = struct.parent instanceof Y.AbstractType ? placeOfStored(struct) : placeOfIncoming(struct, 0);
          if (!place) return null;
          touched.push({ ...place, kind: 'delete', values: [] });
        }
        at = struct.id.clock + struct.length;
      }
    }
  }
  return touched;
}
