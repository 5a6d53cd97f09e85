import { verifyStormdeskSignature, type RawBody } from '@/lib/channels/signature';

/** Checks the `x-stormdesk-signature` our mail relay puts on each raw message it forwards; throws UNAUTHENTICATED on mismatch. */
export function verifyEmailRelaySignature(input: { rawBody: RawBody; signature: string | null | undefined; secret: string }): void {
  verifyStormdeskSignature(input);
}

export type AuthVerdict = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy' | 'unknown';

/** What our own receiving server concluded about the sender (RFC 8601), and whether the From address can be trusted for linking customers. */
export type SenderAuthentication = { spf: AuthVerdict; dkim: AuthVerdict; dmarc: AuthVerdict; authenticated: boolean };

const verdicts = new Set<AuthVerdict>(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy']);

/**
 * Reads the Authentication-Results header written by our own server (`authservId`, e.g. "mx.stormdesk.example").
 * Headers from any other server are ignored, because a sender can write whatever they like into their own.
 */
export function readSenderAuthentication(raw: RawBody, authservId: string): SenderAuthentication {
  const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('latin1');
  const headerEnd = text.search(/\r?\n\r?\n/);
  const unfolded = (headerEnd >= 0 ? text.slice(0, headerEnd) : text).replace(/\r?\n[ \t]+/g, ' ');
  const ours = unfolded
    .split(/\r?\n/)
    .filter((line) => /^authentication-results\s*:/i.test(line))
    .map((line) => line.slice(line.indexOf(':') + 1).trim())
    .find((value) => value.split(';')[0]?.trim().split(/\s+/)[0]?.toLowerCase() === authservId.toLowerCase());
  const verdictOf = (method: string): AuthVerdict => {
    if (!ours) return 'unknown';
    const match = new RegExp(`(?:^|[;\\s])${method}\\s*=\\s*([a-z]+)`, 'i').exec(ours);
    const value = match?.[1]?.toLowerCase() as AuthVerdict | undefined;
    return value && verdicts.has(value) ? value : 'unknown';
  };
  const spf = verdictOf('spf');
  const dkim = verdictOf('dkim');
  const dmarc = verdictOf('dmarc');
  // Only DMARC proves the signing or sending domain aligns with the visible From address.
  return { spf, dkim, dmarc, authenticated: dmarc === 'pass' };
}
