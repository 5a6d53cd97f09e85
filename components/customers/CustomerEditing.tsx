'use client';

import Link from 'next/link';
import { useActionState, useState, useTransition } from 'react';
import type { SplitState } from '@/app/(app)/customers/actions';
import type { ActionResult } from '@/lib/auth/session';
import { ActionResultMessage } from '@/components/ui/ActionResultMessage';

/** "Merge into this customer" for one search result. */
export function MergeButton({ survivorId, mergedId, name, action }: { survivorId: string; mergedId: string; name: string; action: (survivorId: string, mergedId: string) => Promise<ActionResult<{ moved: string }>> }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <span>
      <button
        className="button button-quiet"
        disabled={pending || message?.ok}
        onClick={() =>
          start(async () => {
            const result = await action(survivorId, mergedId);
            setMessage(result.ok ? { ok: true, text: `Merged. ${result.data.moved}` } : { ok: false, text: result.error });
          })
        }
      >
        Merge {name} into this customer
      </button>
      {message && (
        <span role={message.ok ? 'status' : 'alert'} className={`small ${message.ok ? '' : 'text-danger'}`}>
          {' '}
          {message.text}
        </span>
      )}
    </span>
  );
}

/** Split chosen identities out to a new customer. */
export function SplitForm({ customerId, identities, action }: { customerId: string; identities: { id: string; key: string }[]; action: (state: SplitState, form: FormData) => Promise<SplitState> }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="stack" aria-label="Split identities out">
      <ActionResultMessage
        state={state}
        success={(data) => (
          <>
            {data.summary} <Link href={`/customers/${data.newCustomerId}`}>Open the new customer</Link>
          </>
        )}
      />
      <input type="hidden" name="customerId" value={customerId} />
      <div className="form-row">
        {identities.map((i) => (
          <label key={i.id} className="small" style={{ display: 'inline-flex', gap: '0.3rem', alignItems: 'center' }}>
            <input type="checkbox" name="identityId" value={i.id} /> <code>{i.key}</code>
          </label>
        ))}
      </div>
      <div className="form-row">
        <label className="field">
          Name of the other person (optional)
          <input name="displayName" maxLength={300} />
        </label>
        <button className="button button-quiet" type="submit" disabled={pending}>
          Split out to a new customer
        </button>
      </div>
    </form>
  );
}
