import type { Metadata } from 'next';
import { CollabEditor } from '@/components/collab/CollabEditor';
import { can } from '@/lib/auth/permissions';
import { requireMember } from '@/lib/auth/session';
import { notesDocumentName } from '@/lib/collab/documents';

export const metadata: Metadata = { title: 'Team notes' };

export default async function NotesPage() {
  const member = await requireMember('notes.read');
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Team notes</h1>
          <p className="muted" style={{ margin: 0 }}>
            One shared page for {member.organizationName}: shift hand-overs, contacts, standing instructions. Everyone sees edits live.
          </p>
        </div>
      </div>
      <CollabEditor
        docName={notesDocumentName(member.organizationId)}
        field="notes"
        label="Team notes"
        user={{ id: member.userId, name: member.name }}
        readOnly={!can(member.role, 'notes.edit')}
      />
    </div>
  );
}
