/**
 * Says that a message's address was not authenticated (an email's From, a chat visitor's email, a caller id): it may
 * not come from the customer who owns it.
 */
export function UnverifiedSender() {
  return (
    <span className="unverified-sender" data-testid="sender-not-verified" title="Nobody confirmed that this message comes from the address or number it shows: our mail server for an email (SPF, DKIM, DMARC), your website for a chat, the caller’s carrier for a call (STIR/SHAKEN full attestation). It is kept apart from the customer with that address or number.">
      sender not verified
    </span>
  );
}
