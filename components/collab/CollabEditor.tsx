'use client';

import { Node, mergeAttributes } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { type Room, type RoomPeer, type RoomStatus, colorFor, useRoom } from './useRoom';

const statusLabels: Record<RoomStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  disconnected: 'Offline: edits are kept on this device and sent when the connection returns',
  refused: 'Not connected',
};

/** The room's connection state, in words a person under pressure reads at a glance. */
export function ConnectionStatus({ status }: { status: RoomStatus }) {
  return (
    <span className={`status status-${status}`} data-testid="connection-status" data-status={status} role="status">
      {statusLabels[status]}
    </span>
  );
}

/** Who is here, each in their caret colour, with what they are looking at when the page says. */
export function Presence({ peers, labels }: { peers: RoomPeer[]; labels?: Record<string, string> }) {
  return (
    <div className="presence" aria-label="Who is here" data-testid="presence">
      {peers.map((peer) => (
        <span key={peer.id} style={{ background: peer.color }} title={peer.focus && labels ? `${peer.name} is looking at ${labels[peer.focus] ?? peer.focus}` : peer.name}>
          {peer.name}
          {peer.self ? ' (you)' : ''}
          {peer.focus && labels?.[peer.focus] ? ` · ${labels[peer.focus]}` : ''}
        </span>
      ))}
    </div>
  );
}

interface Props {
  docName: string;
  field: string;
  user: { id: string; name: string };
  readOnly: boolean;
  label: string;
}

/** A rich-text editor bound to one field of a shared Yjs document of its own, with the others' named carets. */
export function CollabEditor({ docName, field, user, readOnly, label }: Props) {
  const me = { ...user, color: colorFor(user.id) };
  const { room, status, refusal, peers } = useRoom(docName, me);
  return (
    <div className="stack" style={{ gap: '0.6rem' }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: '1rem', flexWrap: 'wrap' }}>
        <ConnectionStatus status={status} />
        <Presence peers={peers} />
      </div>
      {refusal && (
        <div role="alert" className="alert alert-error">
          {refusal}
        </div>
      )}
      {readOnly && <div className="alert alert-warn">Read-only: your role can follow this document but not change it.</div>}
      {room ? <RoomEditor key={room.doc.guid} room={room} field={field} user={me} readOnly={readOnly} label={label} /> : <div className="editor" />}
    </div>
  );
}

/** An inline mention of a member in rich text (`@Name`), kept as an atom so it never splits. */
const MemberMention = Node.create({
  name: 'mention',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: false,
  addAttributes() {
    return { id: { default: null }, label: { default: null } };
  },
  parseHTML() {
    return [{ tag: 'span[data-mention]' }];
  },
  renderHTML({ node, HTMLAttributes }) {
    return ['span', mergeAttributes(HTMLAttributes, { 'data-mention': node.attrs.id, class: 'mention' }), `@${node.attrs.label ?? ''}`];
  },
  renderText({ node }) {
    return `@${node.attrs.label ?? ''}`;
  },
});

interface RoomEditorProps {
  room: Room;
  field: string;
  user: { name: string; color: string };
  readOnly: boolean;
  label: string;
  /** Members that can be mentioned from the toolbar; without them the editor has no toolbar. */
  members?: { id: string; name: string }[];
}

/** A rich-text editor bound to one field of an existing room's document (one websocket serves the whole page). */
export function RoomEditor({ room, field, user, readOnly, label, members }: RoomEditorProps) {
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: !readOnly,
      extensions: [
        StarterKit.configure({ undoRedo: false, link: { openOnClick: readOnly, autolink: true, protocols: ['https', 'mailto'] } }),
        MemberMention,
        Collaboration.configure({ document: room.doc, field }),
        CollaborationCaret.configure({ provider: room.provider, user }),
      ],
      editorProps: { attributes: { 'aria-label': label, role: 'textbox', 'aria-multiline': 'true', 'aria-readonly': String(readOnly) } },
    },
    [room, field, readOnly],
  );
  const toolbar = members && !readOnly && editor;
  return (
    <div className={`editor${readOnly ? ' editor-readonly' : ''}`}>
      {toolbar && (
        <div className="editor-toolbar" role="toolbar" aria-label={`${label} formatting`}>
          <button type="button" onClick={() => editor.chain().focus().toggleHeading({ level: 2 }).run()} aria-pressed={editor.isActive('heading')}>
            Heading
          </button>
          <button type="button" onClick={() => editor.chain().focus().toggleBulletList().run()} aria-pressed={editor.isActive('bulletList')}>
            • List
          </button>
          <button type="button" onClick={() => editor.chain().focus().toggleOrderedList().run()} aria-pressed={editor.isActive('orderedList')}>
            1. List
          </button>
          <button type="button" onClick={() => editor.chain().focus().toggleBold().run()} aria-pressed={editor.isActive('bold')}>
            <strong>B</strong>
          </button>
          <button
            type="button"
            onClick={() => {
              const href = window.prompt('Link to (https://…)', 'https://');
              if (href && /^(https:|mailto:)/.test(href)) editor.chain().focus().extendMarkRange('link').setLink({ href }).run();
              else if (href === '') editor.chain().focus().unsetLink().run();
            }}
          >
            Link
          </button>
          <select
            aria-label="Mention a member"
            value=""
            onChange={(event) => {
              const member = members.find((m) => m.id === event.target.value);
              if (member) editor.chain().focus().insertContent([{ type: 'mention', attrs: { id: member.id, label: member.name } }, { type: 'text', text: ' ' }]).run();
            }}
          >
            <option value="">@ Mention…</option>
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <EditorContent editor={editor} />
    </div>
  );
}
