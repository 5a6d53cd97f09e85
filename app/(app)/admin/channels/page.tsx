import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { ChannelBadge } from '@/components/inbox/ChannelBadge';
import { CreateApiKeyForm, CreateConnectionForm, DrillForm, RetryMentionFetchesButton, RevokeKeyButton, UpdateConnectionForm } from '@/components/inbox/ChannelAdminForms';
import { CsvImportForm } from '@/components/ui/CsvImportForm';
import { channelName, formatWhen } from '@/components/inbox/labels';
import { channels } from '@/db/schema';
import { memberCtx, requireMember } from '@/lib/auth/session';
import { csvColumns, maxCsvMentions } from '@/lib/channels/batch/csv';
import { listApiKeys, listConnections, secretFieldsOf } from '@/lib/channels/connections';
import { listMentionFetchBacklog, type MentionFetchBacklog } from '@/lib/channels/meta/mention-fetch';
import { purchaseColumns } from '@/lib/signals/purchases';
import { scenarios } from '@/scripts/scenarios';
import { createApiKeyAction, createConnectionAction, retryMentionFetchesAction, revokeApiKeyAction, runDrillAction, updateConnectionAction } from './actions';
import '@/components/inbox/inbox.css';

export const metadata: Metadata = { title: 'Channels' };

export const dynamic = 'force-dynamic';

export default async function ChannelsPage() {
  const member = await requireMember('channels.manage');
  const { db } = memberCtx(member);
  const [connections, keys, backlog] = await Promise.all([listConnections(db, member.organizationId), listApiKeys(db, member.organizationId), listMentionFetchBacklog(db, member.organizationId)]);
  const backlogOf = new Map(backlog.map((b) => [b.connectionId, b]));
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
                  {c.channel === 'phone' && c.trustCallerId && (
                    <p className="alert alert-warn small" data-testid="caller-id-warning">
                      Caller ids without STIR/SHAKEN attestation are trusted: anyone who shows a customer’s number (easy to spoof) is filed under that customer, with their history and value. Keep them apart unless your telephony system passes on only numbers it has checked.
                    </p>
                  )}
                  <MentionFetchStatus backlog={backlogOf.get(c.id)} connectionId={c.id} />
                </td>
                <td>
                  <UpdateConnectionForm
                    action={updateConnectionAction}
                    connectionId={c.id}
                    fields={secretFieldsOf(c.channel)}
                    secretsSet={c.secretsSet}
                    enabled={c.enabled}
                    {...(c.channel === 'email' && { receivingMailServer: c.receivingMailServer })}
                    {...(c.channel === 'phone' && { trustCallerId: c.trustCallerId })}
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

const mentionsCount = (n: number) => `${n} Instagram mention${n === 1 ? '' : 's'}`;

/** Id-only Instagram mentions of a connection still waiting for the Graph API, or given up on, with the last error. */
function MentionFetchStatus({ backlog, connectionId }: { backlog: MentionFetchBacklog | undefined; connectionId: string }) {
  if (!backlog) return null;
  return (
    <>
      {backlog.waiting > 0 && (
        <p className="alert alert-warn small" data-testid="mention-fetch-waiting">
          {mentionsCount(backlog.waiting)} waiting to be fetched from the Graph API
          {backlog.waitingError && (
            <>
              {' '}
              (attempt {backlog.waitingAttempts}; next try {backlog.nextAttemptAt ? formatWhen(backlog.nextAttemptAt) : 'soon'}). Last error: {backlog.waitingError}
            </>
          )}
        </p>
      )}
      {backlog.failed > 0 && (
        <p className="alert alert-error small" data-testid="mention-fetch-failed">
          {mentionsCount(backlog.failed)} could not be fetched. Last error: {backlog.failedError ?? 'unknown'}. Pasting a new access token fetches them again; if something else was wrong, fix it, then{' '}
          <RetryMentionFetchesButton connectionId={connectionId} action={retryMentionFetchesAction} />
        </p>
      )}
    </>
  );
}
