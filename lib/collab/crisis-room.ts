import { and, eq, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Role } from '@/db/schema';
import { crises, crisisEvents, users } from '@/db/schema';
import { can } from '@/lib/auth/permissions';
import { projectCrisisDocument } from '@/lib/crises/projection';
import { publish } from '@/lib/events';
import { crisisParts, serverOnlyCompensationFields } from './crisis-doc';
import { registerDocumentKind } from './documents';
import type { Grant, UpdateGuard } from './room-server';
import { placesTouchedBy } from './update-guard';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const serverOnly = new Set<string>(serverOnlyCompensationFields);

/** Executives write the response plan and nothing else of the room (they approve through server actions). */
export const planOnlyGuard: UpdateGuard = (doc, update) => {
  const places = placesTouchedBy(doc, update);
  if (!places) return 'the edit depends on changes the server has not seen';
  const outside = places.find((place) => place.root !== 'plan');
  return outside ? `your role edits the response plan only (not ${outside.root})` : null;
};

/**
 * The rules of the room for members who edit it (leads, agents, admins): affected customers are added by the server
 * (which resolves identities to one key) and their key never changes; compensation status and approval are written
 * by the server only, and an approved or paid compensation is frozen; a checklist item is marked done in one's own name.
 */
export function roomEditorGuard(memberId: string): UpdateGuard {
  return (doc, update) => {
    const places = placesTouchedBy(doc, update);
    if (!places) return 'the edit depends on changes the server has not seen';
    const { compensation } = crisisParts(doc);
    for (const place of places) {
      const [first, field] = place.path;
      switch (place.root) {
        case 'compensation': {
          const current = typeof first === 'string' ? compensation.get(first) : undefined;
          const status = current instanceof Y.Map ? current.get('status') : undefined;
          if (status === 'approved' || status === 'paid') return `the compensation of ${first} is ${status} and can no longer change`;
          if (typeof field === 'string' && serverOnly.has(field)) {
            // A new proposal may carry status "proposed"; anything else about approval is the server's to write.
            const proposing = field === 'status' && place.kind === 'insert' && place.values.every((v) => v === 'proposed');
            if (!proposing) return 'only an approval by a lead or an executive changes a compensation’s status';
          }
          break;
        }
        case 'customers':
          if (place.path.length === 1 && place.kind === 'insert') return 'affected customers are added through the server, which resolves who they are';
          if (field === 'customerKey' || field === 'id' || field === 'identityKeys') return 'a customer’s identity is set by the server';
          break;
        case 'checklist':
          if (field === 'doneById' && place.kind === 'insert' && !place.values.every((v) => v === null || v === memberId)) {
            return 'a checklist item is marked done in your own name only';
          }
          break;
        case 'plan':
        case 'statements':
          break;
        default:
          return `the crisis room has no part named ${place.root}`;
      }
    }
    return null;
  };
}

/** The grant of one role in one crisis room; a resolved room is read-only for everyone. */
export function crisisGrant(role: Role, memberId: string, organizationId: string, status: string): Grant | null {
  if (!can(role, 'crisis.read')) return null;
  if (status === 'resolved') return { access: 'read', organizationId };
  if (can(role, 'crisis.edit')) return { access: 'write', organizationId, guard: roomEditorGuard(memberId) };
  if (can(role, 'crisis.plan.edit')) return { access: 'write', organizationId, guard: planOnlyGuard };
  return { access: 'read', organizationId };
}

// Crisis rooms: members of the crisis's organization only; the role and the crisis status decide the rights.
registerDocumentKind(
  'crisis',
  async ({ db, member, id }) => {
    if (!UUID.test(id)) return null;
    const [crisis] = await db
      .select({ status: crises.status })
      .from(crises)
      .where(and(eq(crises.id, id), eq(crises.organizationId, member.organizationId)));
    return crisis ? crisisGrant(member.role, member.memberId, member.organizationId, crisis.status) : null;
  },
  {
    project: (tx, docName, organizationId, doc) => projectCrisisDocument(tx, docName, organizationId, doc),
    // The timeline notes the first time each member enters the room.
    async onJoin({ db, id, organizationId, peer }) {
      const actor = `member:${peer.memberId}`;
      const [user] = await db.select({ name: users.name }).from(users).where(eq(users.id, peer.userId));
      const inserted = await db.execute(sql`
        insert into ${crisisEvents} (organization_id, crisis_id, actor, kind, summary, data)
        select ${organizationId}, ${id}, ${actor}, 'room.join', ${`${user?.name ?? 'A member'} joined the room`}, '{}'::jsonb
        where not exists (select 1 from ${crisisEvents} where crisis_id = ${id} and kind = 'room.join' and actor = ${actor})
        returning id`);
      const rows = Array.isArray(inserted) ? inserted : ((inserted as { rows?: unknown[] }).rows ?? []);
      if (rows.length > 0) publish('live.changed', { organizationId, topic: `crisis:${id}` });
    },
  },
);
