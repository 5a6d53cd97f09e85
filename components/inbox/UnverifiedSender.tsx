/** Says that an email's From address was not authenticated: the message may not come from the customer who owns it. */
export function UnverifiedSender() {
  return (
    <span className="unverified-sender" data-testid="sender-not-verified" title="Our mail server could not confirm that this email really comes from the address it shows (SPF, DKIM, DMARC). It is kept apart from the customer with that address.">
      sender not verified
    </span>
  );
}
