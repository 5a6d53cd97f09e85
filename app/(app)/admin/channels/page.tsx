import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { ChannelBadge } from '@/components/inbox/ChannelBadge';
import { CreateApiKeyForm, CreateConnectionForm, DrillForm, RevokeKeyButton, UpdateConnectionForm } from '@/components/inbox/ChannelAdminForms';
import { CsvImportForm } from '@/components/ui/CsvImportForm';
import { channelName, formatWhen } from '@/components/inbox/labels';
import { channels } from '@/db/schema';
import { memberCtx, requireMember } from '@/lib/auth/session';
import { csvColumns, maxCsvMentions } from '@/lib/channels/batch/csv';
import { listApiKeys, listConnections, secretFieldsOf } from '@/lib/channels/connections';
import { purchaseColumns } from '@/lib/signals/purchases';
import { scenarios } from '@/scripts/scenarios';
import { createApiKeyAction, createConnectionAction, revokeApiKeyAction, runDrillAction, updateConnectionAction } from './actions';
import '@/components/inbox/inbox.css';

export const metadata: Metadata = { title: 'Channels' };
export const dynamic = 'force-dynamic';

export default async function ChannelsPage() {
  const member = await requireMember('channels.manage');
  const { db } = memberCtx(member);
  const [connections, keys] = await Promise.all([listConnections(db, member.organizationId), listApiKeys(db, member.organizationId)]);
  const h = await headers();
  const origin = `${h.get('x-forwarded-proto') ?? 'http'}://${h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost'}`;
  const fieldsByChannel = Object.fromEntries(channels.map((c) => [c, secretFieldsOf(c)]));
  const channelNames = Object.fromEntries(channels.map((c) => [c, channelName(c)]));
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Channels</h1>
          <p className="muted" style={{ margin: 0 }}>
            Where complaints reach us. Each connection has its own webhook URL; its secrets are stored on the server and never shown again.
          </p>
        </div>
      </div>
      <section className="panel">
        <h2>Connect a channel</h2>
        <CreateConnectionForm action={createConnectionAction} fieldsByChannel={fieldsByChannel} channelNames={channelNames} origin={origin} />
      </section>
      <section className="panel">
        <h2>Connections ({connections.length})</h2>
        <table className="table" aria-label="Connections">
          <thead>
            <tr>
              <th>Channel</th>
              <th>Name and webhook URL</th>
              <th>Secrets (write-only)</th>
            </tr>
          </thead>
          <tbody>
            {connections.map((c) => (
              <tr key={c.id} data-testid="connection-row">
                <td>
                  <ChannelBadge channel={c.channel} />
                </td>
                <td>
                  <strong>{c.name}</strong> {!c.enabled && <span className="status-pill">off</span>}
                  <div className="small">
                    <code>{origin + c.webhookPath}</code>
                  </div>
                  <div className="small muted">since {formatWhen(c.createdAt)}</div>
                  {c.channel === 'email' && !c.receivingMailServer && (
                    <p className="alert alert-warn small" data-testid="mail-server-warning">
                      No receiving mail server set: no sender of this connection is verified. Every email arrives marked “sender not verified” and is kept apart from the customer whose address it shows. Set the server that writes your Authentication-Results header.
                    </p>
                  )}
                </td>
                <td>
                  <UpdateConnectionForm
                    action={updateConnectionAction}
                    connectionId={c.id}
                    fields={secretFieldsOf(c.channel)}
                    secretsSet={c.secretsSet}
                    enabled={c.enabled}
                    {...(c.channel === 'email' && { receivingMailServer: c.receivingMailServer })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h2>Batch API keys</h2>
        <p className="small muted">
          <code>POST {origin}/api/ingest/batch</code> with <code>Authorization: Bearer &lt;key&gt;</code> and a JSON array of mentions (≤ 5,000, ≤ 10 MB); <code>POST {origin}/api/ingest/purchases</code> for purchases.
        </p>
        <CreateApiKeyForm action={createApiKeyAction} />
        {keys.length > 0 && (
          <table className="table compact" aria-label="API keys">
            <tbody>
              {keys.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td className="small muted">{k.lastUsedAt ? `last used ${formatWhen(k.lastUsedAt)}` : 'never used'}</td>
                  <td>{k.revokedAt ? <span className="small muted">revoked</span> : <RevokeKeyButton keyId={k.id} action={revokeApiKeyAction} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel">
        <h2>Run a drill</h2>
        <p className="small muted">Sends a scenario’s signed traffic through the same webhook endpoints as the platforms, using “Simulator (drills)” connections. The tickets land in the real queue.</p>
        <DrillForm action={runDrillAction} scenarios={Object.values(scenarios).map((s) => ({ name: s.name, title: s.title, description: s.description }))} />
      </section>
      <section className="panel stack">
        <h2>Imports</h2>
        <CsvImportForm url="/api/imports/mentions" label="Import mentions" columns={`${csvColumns.join(', ')} (up to ${maxCsvMentions.toLocaleString('en-US')} rows)`} />
        <CsvImportForm url="/api/imports/purchases" label="Import purchases" columns={purchaseColumns.join(', ')} />
      </section>
    </div>
  );
}
