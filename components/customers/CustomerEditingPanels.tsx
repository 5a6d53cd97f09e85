import { mergeCustomersAction, splitCustomerAction } from '@/app/(app)/customers/actions';
import { MergeButton, SplitForm } from './CustomerEditing';

/** Merge (find the other record, merge it into this one) and split (move identities out), for members who may. */
export function CustomerEditingPanels({ customerId, identities, find, candidates }: { customerId: string; identities: { id: string; key: string }[]; find: string; candidates: { id: string; name: string; identities: string[] }[] }) {
  return (
    <>
      <section className="panel stack">
        <h2>Same person? Merge</h2>
        <form method="get" className="form-row" aria-label="Find a customer to merge">
          <label className="field">
            Find the other record
            <input name="find" defaultValue={find} placeholder="name, handle, email" />
          </label>
          <button className="button button-quiet" type="submit">
            Find
          </button>
        </form>
        {find && candidates.length === 0 && <p className="small muted">No other customer matches “{find}”.</p>}
        <ul className="stack" style={{ listStyle: 'none', padding: 0, gap: '0.5rem' }}>
          {candidates.map((c) => (
            <li key={c.id}>
              <strong>{c.name}</strong> <span className="small muted">{c.identities.join(', ')}</span>
              <div>
                <MergeButton survivorId={customerId} mergedId={c.id} name={c.name} action={mergeCustomersAction} />
              </div>
            </li>
          ))}
        </ul>
      </section>
      {identities.length > 1 && (
        <section className="panel">
          <h2>Linked wrongly? Split</h2>
          <SplitForm customerId={customerId} identities={identities} action={splitCustomerAction} />
        </section>
      )}
    </>
  );
}
