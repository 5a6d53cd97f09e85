import type { Db } from '@/db/client';
import type { MemberRow } from '@/db/queries/members';
import { can } from '@/lib/auth/permissions';
import type { Access } from './room-server';

export type DocumentGrant = { access: Access; organizationId: string } | null;

/** Decides a member's access to one document of a kind, given the id after the colon. */
export type DocumentAuthorizer = (input: { db: Db; member: MemberRow; id: string }) => Promise<DocumentGrant>;

const authorizers = new Map<string, DocumentAuthorizer>();

/** Registers the authorization hook of a document kind (`notes`, `crisis`...). */
export function registerDocumentKind(kind: string, authorizer: DocumentAuthorizer): void {
  authorizers.set(kind, authorizer);
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
