import type { Db } from '@/db/client';
import type { MemberRow } from '@/db/queries/members';
import { can } from '@/lib/auth/permissions';
import type { DocumentProjector } from './persistence';
import type { Grant, RoomPeer } from './room-server';

export type DocumentGrant = Grant | null;

/** Decides a member's access to one document of a kind, given the id after the colon. */
export type DocumentAuthorizer = (input: { db: Db; member: MemberRow; id: string }) => Promise<DocumentGrant>;

/** What happens when a member joins a document of a kind (the crisis timeline notes who joined). */
export type DocumentJoinHook = (input: { db: Db; id: string; organizationId: string; peer: RoomPeer }) => Promise<void>;

const authorizers = new Map<string, DocumentAuthorizer>();
const projectors = new Map<string, DocumentProjector>();
const joinHooks = new Map<string, DocumentJoinHook>();

/** Registers the authorization hook of a document kind (`notes`, `crisis`...), and optionally its SQL projection and join hook. */
export function registerDocumentKind(kind: string, authorizer: DocumentAuthorizer, hooks: { project?: DocumentProjector; onJoin?: DocumentJoinHook } = {}): void {
  authorizers.set(kind, authorizer);
  if (hooks.project) projectors.set(kind, hooks.project);
  if (hooks.onJoin) joinHooks.set(kind, hooks.onJoin);
}

const kindOf = (docName: string) => {
  const colon = docName.indexOf(':');
  return colon < 0 ? null : { kind: docName.slice(0, colon), id: docName.slice(colon + 1) };
};

/** Mirrors a stored document into SQL through its kind's projector (kinds without one have nothing to mirror). */
export const projectDocument: DocumentProjector = async (tx, docName, organizationId, doc) => {
  const name = kindOf(docName);
  const projector = name && projectors.get(name.kind);
  return projector ? projector(tx, docName, organizationId, doc) : undefined;
};

/** Runs the join hook of a document's kind, if it has one. */
export async function documentJoined(db: Db, docName: string, organizationId: string, peer: RoomPeer): Promise<void> {
  const name = kindOf(docName);
  const hook = name && joinHooks.get(name.kind);
  if (hook) await hook({ db, id: name.id, organizationId, peer });
}

/** The per-document authorization hook: read-write, read-only or refused; unknown kinds are refused. */
export async function authorizeDocument(db: Db, member: MemberRow, docName: string): Promise<DocumentGrant> {
  const colon = docName.indexOf(':');
  const authorizer = authorizers.get(docName.slice(0, colon));
  if (colon < 0 || !authorizer) return null;
  return authorizer({ db, member, id: docName.slice(colon + 1) });
}

/** The document name of an organization's team notes. */
export const notesDocumentName = (organizationId: string) => `notes:${organizationId}`;

// Team notes: one shared document per organization; observers read, every other role writes.
registerDocumentKind('notes', async ({ member, id }) => {
  if (id !== member.organizationId) return null;
  if (can(member.role, 'notes.edit')) return { access: 'write', organizationId: id };
  if (can(member.role, 'notes.read')) return { access: 'read', organizationId: id };
  return null;
});
