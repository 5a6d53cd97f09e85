'use client';

import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { type Room, type RoomStatus, colorFor, useRoom } from './useRoom';

const statusLabels: Record<RoomStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  disconnected: 'Offline: edits are kept on this device and sent when the connection returns',
  refused: 'Not connected',
};

interface Props {
  docName: string;
  field: string;
  user: { id: string; name: string };
  readOnly: boolean;
  label: string;
}

/** A rich-text editor bound to one field of a shared Yjs document, with the others' named carets. */
export function CollabEditor({ docName, field, user, readOnly, label }: Props) {
  const me = { ...user, color: colorFor(user.id) };
  const { room, status, refusal, peers } = useRoom(docName, me);
  return (
    <div className="stack" style={{ gap: '0.6rem' }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: '1rem', flexWrap: 'wrap' }}>
        <span className={`status status-${status}`} data-testid="connection-status" data-status={status}>
          {statusLabels[status]}
        </span>
        <div className="presence" aria-label="Who is here" data-testid="presence">
          {peers.map((peer) => (
            <span key={peer.id} style={{ background: peer.color }}>
              {peer.name}
              {peer.id === user.id ? ' (you)' : ''}
            </span>
          ))}
        </div>
      </div>
      {refusal && (
        <div role="alert" className="alert alert-error">
          {refusal}
        </div>
      )}
      {readOnly && <div className="alert alert-warn">Read-only: your role can follow this document but not change it.</div>}
      {room ? <BoundEditor key={room.doc.guid} room={room} field={field} user={me} readOnly={readOnly} label={label} /> : <div className="editor" />}
    </div>
  );
}

function BoundEditor({ room, field, user, readOnly, label }: { room: Room; field: string; user: { name: string; color: string }; readOnly: boolean; label: string }) {
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: !readOnly,
      extensions: [
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ document: room.doc, field }),
        CollaborationCaret.configure({ provider: room.provider, user }),
      ],
      editorProps: { attributes: { 'aria-label': label, role: 'textbox', 'aria-multiline': 'true', 'aria-readonly': String(readOnly) } },
    },
    [room, field, readOnly],
  );
  return (
    <div className={`editor${readOnly ? ' editor-readonly' : ''}`}>
      <EditorContent editor={editor} />
    </div>
  );
}
