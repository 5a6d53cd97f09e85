import { DomainError, forbidden, invalidInput } from '@/lib/errors';
import { constantTimeEqual, hmacSha256, signatureRejected, type RawBody } from '@/lib/channels/signature';

/** Header in which Meta signs every delivery to a Facebook or Instagram webhook. */
export const metaSignatureHeader = 'x-hub-signature-256';

/** The query of Meta's subscription handshake: hub.mode, hub.verify_token, hub.challenge. */
export type MetaSubscriptionQuery = { mode: string | null | undefined; verifyToken: string | null | undefined; challenge: string | null | undefined };

/** Answers Meta's GET handshake: returns the challenge to echo when the verify token is ours, throws otherwise. */
export function verifySubscription(query: MetaSubscriptionQuery, expectedToken: string): string {
  if (!expectedToken) throw new DomainError('UNAVAILABLE', 'The channel connection has no verify token configured.');
  if (query.mode !== 'subscribe') throw invalidInput(`hub.mode must be "subscribe", got ${JSON.stringify(query.mode ?? null)}.`);
  if (!query.challenge) throw invalidInput('hub.challenge is missing.');
  if (!query.verifyToken || !constantTimeEqual(query.verifyToken, expectedToken)) throw forbidden('hub.verify_token does not match this connection.');
  return query.challenge;
}

/** Checks `X-Hub-Signature-256` ("sha256=" + hex HMAC of the raw body with the app secret); throws UNAUTHENTICATED on mismatch. */
export function verifyMetaSignature(input: { rawBody: RawBody; signature: string | null | undefined; appSecret: string }): void {
  const expected = `sha256=${hmacSha256(input.appSecret, input.rawBody).toString('hex')}`;
  const provided = input.signature?.trim().toLowerCase();
  if (!provided) throw signatureRejected(`the ${metaSignatureHeader} header is missing.`);
  if (!constantTimeEqual(provided, expected)) throw signatureRejected('it does not match the body and the app secret.');
}
