import type { Metadata } from 'next';
import { ProtocolEditor } from '@/components/admin/ProtocolEditor';
import { listProtocols } from '@/db/queries/protocols';
import { memberCtx, requireMember } from '@/lib/auth/session';
import { saveProtocolAction } from './actions';

export const metadata: Metadata = { title: 'Protocols' };
export const dynamic = 'force-dynamic';

const due = (minutes: number) => (minutes % 1440 === 0 && minutes > 0 ? `${minutes / 1440} d` : minutes % 60 === 0 && minutes > 0 ? `${minutes / 60} h` : `${minutes} min`);

export default async function ProtocolsPage() {
  const member = await requireMember('protocols.manage');
  const protocols = await listProtocols(memberCtx(member).db, member.organizationId);
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Protocols</h1>
          <p className="muted" style={{ margin: 0 }}>
            Each new crisis room starts with the checklist of the protocol that fits its topic (or the default one).
          </p>
        </div>
      </div>
      {protocols.map((p) => (
        <section key={p.id} className="panel" data-testid="protocol">
          <details>
            <summary style={{ cursor: 'pointer' }}>
              <strong>{p.name}</strong>{' '}
              <span className="muted">
                · {p.matchTopics.length > 0 ? `fits ${p.matchTopics.join(', ')}` : 'default protocol'} · {p.items.length} items:{' '}
                {p.items
                  .slice(0, 3)
                  .map((i) => `${i.text} (${i.ownerRole}, ${due(i.dueOffsetMinutes)})`)
                  .join('; ')}
                {p.items.length > 3 ? '; …' : ''}
              </span>
            </summary>
            <div style={{ marginTop: '1rem' }}>
              <ProtocolEditor protocol={{ id: p.id, name: p.name, description: p.description, matchTopics: p.matchTopics, items: p.items }} action={saveProtocolAction} submitLabel="Save protocol" />
            </div>
          </details>
        </section>
      ))}
      <section className="panel">
        <h2>New protocol</h2>
        <ProtocolEditor protocol={{ name: '', description: '', matchTopics: [], items: [{ text: '', ownerRole: 'lead', dueOffsetMinutes: 60 }] }} action={saveProtocolAction} submitLabel="Create protocol" />
      </section>
    </div>
  );
}
