import Link from 'next/link';
import { ChannelBadge } from '@/components/inbox/ChannelBadge';
import { formatMoney, formatWhen } from '@/components/inbox/labels';
import type { CustomerPanelData } from '@/db/queries/customers';
import { UnverifiedSender } from '@/components/inbox/UnverifiedSender';
import { formatCount } from '@/lib/signals/format';
import { isUnverifiedKey } from '@/lib/signals/identity';

const agitatorLabels: Record<string, string> = { customer: 'Likely a customer', possible_agitator: 'Possibly an agitator', unknown: 'Not enough known' };

/** Who the customer is across channels: identities, value, reach, agitator assessment with reasons, purchases and every earlier contact. */
export function CustomerPanel({ data, currentTicketId }: { data: CustomerPanelData; currentTicketId?: string }) {
  const { customer, identities, purchases, history, mentionCount } = data;
  const agitator = customer.agitator;
  return (
    <section className="panel customer-panel" aria-label="Customer" data-testid="customer-panel">
      <div className="customer-head">
        <h2 style={{ margin: 0 }}>
          <Link href={`/customers/${customer.id}`}>{customer.displayName}</Link>
        </h2>
        {identities.some((i) => isUnverifiedKey(i.key)) && (
          <p className="alert alert-warn small" data-testid="unverified-customer">
            <UnverifiedSender /> Nobody confirmed that this sender owns the address or number (our mail server for an email, your website for a chat, the caller’s carrier for a call), so these messages are kept apart from the customer who does. Check who this is before sharing anything private or changing a booking, refund or payment on their word.
          </p>
        )}
        {customer.mergedIntoId && (
          <p className="alert alert-warn">
            Merged into <Link href={`/customers/${customer.mergedIntoId}`}>another customer</Link>.
          </p>
        )}
      </div>
      <dl className="facts">
        <div>
          <dt>Lifetime value</dt>
          <dd data-testid="lifetime-value">{formatMoney(customer.lifetimeValueCents, customer.currency)}</dd>
        </div>
        <div>
          <dt>Purchases</dt>
          <dd>{purchases.length}</dd>
        </div>
        <div>
          <dt>Reach</dt>
          <dd>{formatCount(customer.followers)} followers</dd>
        </div>
        <div>
          <dt>Contacts</dt>
          <dd>{mentionCount}</dd>
        </div>
      </dl>
      <div>
        <h3>Identities</h3>
        <ul className="identities">
          {identities.map((identity) => (
            <li key={identity.id}>
              <code>{identity.key}</code> {isUnverifiedKey(identity.key) && <UnverifiedSender />}
            </li>
          ))}
        </ul>
      </div>
      <div data-testid="agitator">
        <h3>
          Customer or agitator: <span className={`agitator agitator-${agitator?.kind ?? 'unknown'}`}>{agitatorLabels[agitator?.kind ?? 'unknown']}</span>
          {agitator && agitator.kind !== 'unknown' && <span className="muted"> (confidence {agitator.confidence.toFixed(2)})</span>}
        </h3>
        <ul className="small">{(agitator?.reasons ?? ['Not assessed yet.']).map((reason) => <li key={reason}>{reason}</li>)}</ul>
        <p className="muted small">This informs priority and routing; it never hides a message.</p>
      </div>
      {purchases.length > 0 && (
        <div>
          <h3>Purchase history</h3>
          <table className="table compact" aria-label="Purchases">
            <tbody>
              {purchases.slice(0, 10).map((p) => (
                <tr key={p.id}>
                  <td>{p.purchasedAt.toISOString().slice(0, 10)}</td>
                  <td>{p.description || p.externalId}</td>
                  <td style={{ textAlign: 'right' }}>{formatMoney(p.amountCents, p.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div>
        <h3>Every contact, all channels ({mentionCount})</h3>
        <ol className="history" data-testid="customer-history">
          {history.map((m) => (
            <li key={m.id} className={m.ticketId === currentTicketId ? 'history-current' : undefined}>
              <div className="history-meta">
                <ChannelBadge channel={m.channel} /> <span className="muted">{formatWhen(m.occurredAt)}</span> <span className={`category category-${m.category}`}>{m.category}</span>
                {m.promoted && <span className="category category-complaint">promoted</span>}
                {isUnverifiedKey(m.authorExternalId ?? '') && <UnverifiedSender />}
                {m.ticketId && m.ticketId !== currentTicketId && (
                  <Link className="small" href={`/queue/${m.ticketId}`}>
                    ticket
                  </Link>
                )}
              </div>
              <p className="message-text">{m.text}</p>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
