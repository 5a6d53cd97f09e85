'use client';

import { useActionState, useState, useTransition } from 'react';
import type { CreateApiKeyState, CreateConnectionState, DrillState, UpdateConnectionState } from '@/app/(app)/admin/channels/actions';
import type { ActionResult } from '@/lib/auth/session';

type Field = { name: string; label: string; generated: boolean };
type Action<S> = (state: S, form: FormData) => Promise<S>;

function Refusal({ state }: { state: { ok: boolean; error?: string } | null }) {
  if (!state || state.ok) return null;
  return (
    <div role="alert" className="alert alert-error">
      {state.error}
    </div>
  );
}

/** Secret inputs: write-only (never prefilled), with what is stored shown beside them. */
function SecretInputs({ fields, set }: { fields: Field[]; set?: Record<string, boolean> }) {
  return (
    <>
      {fields.map((f) => (
        <label key={f.name} className="field">
          {f.label}
          {set && <span className="small muted">{set[f.name] ? 'stored — type to replace' : 'not set'}</span>}
          <input name={`secret:${f.name}`} type="password" autoComplete="off" placeholder={!set && f.generated ? 'generated if empty' : ''} />
        </label>
      ))}
    </>
  );
}

/** The authserv-id of the mail server that receives the organization's email (RFC 8601); its verdict decides who is verified. */
function ReceivingMailServerInput({ value }: { value?: string | null }) {
  return (
    <label className="field">
      Receiving mail server
      <span className="small muted">the first word of the Authentication-Results header it writes</span>
      <input name="receivingMailServer" defaultValue={value ?? ''} maxLength={253} placeholder="mx.example.com" autoComplete="off" />
    </label>
  );
}

/**
 * Whether a phone connection takes a caller id that no STIR/SHAKEN attestation proves as the customer's. Always
 * submitted (a select), so saving the form never flips it by omission.
 */
function TrustCallerIdInput({ value = false }: { value?: boolean }) {
  return (
    <label className="field">
      Caller ids without attestation
      <span className="small muted">only STIR/SHAKEN full attestation (A) proves a caller; calls from outside North America never carry it</span>
      <select name="trustCallerId" defaultValue={value ? 'true' : 'false'}>
        <option value="false">keep apart, marked “sender not verified”</option>
        <option value="true">trust them as the customer’s number</option>
      </select>
    </label>
  );
}

/** Creates a connection for a channel; the webhook URL and generated secrets are shown once. */
export function CreateConnectionForm({ action, fieldsByChannel, channelNames, origin }: { action: Action<CreateConnectionState>; fieldsByChannel: Record<string, Field[]>; channelNames: Record<string, string>; origin: string }) {
  const [channel, setChannel] = useState('x');
  // The form resets after a successful action; the channel (which decides the secret fields) resets with it.
  const [state, formAction, pending] = useActionState(async (previous: CreateConnectionState, form: FormData) => {
    const result = await action(previous, form);
    if (result?.ok) setChannel('x');
    return result;
  }, null);
  return (
    <form action={formAction} className="stack" aria-label="Connect a channel">
      <Refusal state={state} />
      {state?.ok && (
        <div role="status" className="alert alert-ok stack" style={{ gap: '0.4rem' }}>
          <span>
            {state.data.connection.name} is connected. Give the platform this webhook URL: <code data-testid="new-webhook-url">{origin + state.data.connection.webhookPath}</code>
          </span>
          {Object.entries(state.data.generatedSecrets).map(([name, value]) => (
            <span key={name}>
              Generated {name}, shown only now: <span className="secret-once">{value}</span>
            </span>
          ))}
        </div>
      )}
      <div className="form-row">
        <label className="field">
          Channel
          <select name="channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
            {Object.entries(channelNames).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Name
          <input name="name" required maxLength={120} placeholder="@DemoAir on X" />
        </label>
        <label className="field">
          Account id on the platform (optional)
          <input name="externalAccountId" maxLength={200} />
        </label>
      </div>
      <div className="form-row">
        <SecretInputs fields={fieldsByChannel[channel] ?? []} />
        {channel === 'email' && <ReceivingMailServerInput />}
        {channel === 'phone' && <TrustCallerIdInput />}
        <button className="button" type="submit" disabled={pending}>
          {pending ? 'Connecting…' : 'Connect'}
        </button>
      </div>
    </form>
  );
}

/** Replaces a connection's secrets (write-only), its email or phone sender setting, and switches it on or off. */
export function UpdateConnectionForm({
  action,
  connectionId,
  fields,
  secretsSet,
  enabled,
  receivingMailServer,
  trustCallerId,
}: {
  action: Action<UpdateConnectionState>;
  connectionId: string;
  fields: Field[];
  secretsSet: Record<string, boolean>;
  enabled: boolean;
  /** Given (null when unset) for email connections only. */
  receivingMailServer?: string | null;
  /** Given for phone connections only. */
  trustCallerId?: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="form-row" aria-label="Update secrets">
      <input type="hidden" name="connectionId" value={connectionId} />
      <SecretInputs fields={fields} set={secretsSet} />
      {receivingMailServer !== undefined && <ReceivingMailServerInput value={receivingMailServer} />}
      {trustCallerId !== undefined && <TrustCallerIdInput value={trustCallerId} />}
      <label className="field" style={{ flexDirection: 'row', alignItems: 'center' }}>
        <input type="checkbox" name="enabled" defaultChecked={enabled} /> receiving
      </label>
      <button className="button button-quiet" type="submit" disabled={pending}>
        Save
      </button>
      <Refusal state={state} />
      {state?.ok && <span className="small">Saved.</span>}
    </form>
  );
}

/** Creates a batch API key and shows it once. */
export function CreateApiKeyForm({ action }: { action: Action<CreateApiKeyState> }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="stack" aria-label="Create an API key">
      <Refusal state={state} />
      {state?.ok && (
        <div role="status" className="alert alert-ok">
          Key “{state.data.name}”, shown only now (we keep only its hash): <span className="secret-once" data-testid="new-api-key">{state.data.key}</span>
        </div>
      )}
      <div className="form-row">
        <label className="field">
          What uses it
          <input name="name" required maxLength={120} placeholder="Social listening tool" />
        </label>
        <button className="button" type="submit" disabled={pending}>
          Create key
        </button>
      </div>
    </form>
  );
}

/** A button that runs one server action and shows, next to itself, its refusal or what it did. */
function ActionButton<T>({ label, run, done }: { label: string; run: () => Promise<ActionResult<T>>; done?: (data: T) => string }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <>
      <button
        className="button button-quiet"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const result = await run();
            setMessage(result.ok ? (done ? { ok: true, text: done(result.data) } : null) : { ok: false, text: result.error });
          })
        }
      >
        {label}
      </button>
      {message && <span className={message.ok ? 'small' : 'small text-danger'}>{message.text}</span>}
    </>
  );
}

/** Revokes one API key. */
export function RevokeKeyButton({ keyId, action }: { keyId: string; action: (keyId: string) => Promise<ActionResult<null>> }) {
  return <ActionButton label="Revoke" run={() => action(keyId)} />;
}

/** Asks for a connection's failed Instagram mentions to be fetched again (after fixing what failed them). */
export function RetryMentionFetchesButton({ connectionId, action }: { connectionId: string; action: (connectionId: string) => Promise<ActionResult<{ requeued: number }>> }) {
  return <ActionButton label="Fetch again" run={() => action(connectionId)} done={(data) => `${data.requeued} queued again.`} />;
}

/** Runs a drill scenario through the real webhook endpoints. */
export function DrillForm({ action, scenarios }: { action: Action<DrillState>; scenarios: { name: string; title: string; description: string }[] }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="stack" aria-label="Run a drill">
      <Refusal state={state} />
      {state?.ok && (
        <div role="status" className={`alert ${state.data.failed.length ? 'alert-warn' : 'alert-ok'}`} data-testid="drill-report">
          {state.data.title}: sent {state.data.sent} signed messages, {state.data.accepted} accepted, {state.data.duplicates} duplicates, {state.data.failed.length} failed; {state.data.purchases} purchases recorded.
          {state.data.failed[0] && ` First failure: ${state.data.failed[0].status} ${state.data.failed[0].error}`}
        </div>
      )}
      <div className="form-row">
        <label className="field">
          Scenario
          <select name="scenario" defaultValue={scenarios[0]?.name}>
            {scenarios.map((s) => (
              <option key={s.name} value={s.name} title={s.description}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <button className="button" type="submit" disabled={pending}>
          {pending ? 'Running…' : 'Run drill'}
        </button>
      </div>
    </form>
  );
}
