import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@/lib/errors';

/** Raw request bytes exactly as received; signatures are computed over these, never over re-serialized JSON. */
export type RawBody = string | Uint8Array;

/** HMAC-SHA256 of `data` keyed with `secret`; refuses an empty secret, which anyone could sign with. */
export function hmacSha256(secret: string, data: RawBody): Buffer {
  if (secret.length === 0) throw new DomainError('UNAVAILABLE', 'The channel connection has no signing secret configured.');
  return createHmac('sha256', secret).update(data).digest();
}

/** Compares two secrets or signatures in constant time; different lengths are simply unequal. */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const left = typeof a === 'string' ? Buffer.from(a, 'utf8') : Buffer.from(a);
  const right = typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b);
  if (left.length !== right.length) {
    // Keep the work similar so the length check does not stand out in timing.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

/** The error every signature check throws; edges turn it into 401. */
export function signatureRejected(reason: string): DomainError {
  return new DomainError('UNAUTHENTICATED', `Webhook signature rejected: ${reason}`);
}

/** Name of the header carrying the "stormdesk-signed" scheme (phone, chat, email relay). */
export const stormdeskSignatureHeader = 'x-stormdesk-signature';

/** Signs a body with the "stormdesk-signed" scheme: lowercase hex HMAC-SHA256 of the raw body with the connection's shared secret. */
export function signStormdeskBody(rawBody: RawBody, secret: string): string {
  return hmacSha256(secret, rawBody).toString('hex');
}

/** Checks an `x-stormdesk-signature` header (hex, optionally prefixed `sha256=`) against the raw body; throws UNAUTHENTICATED when it does not match. */
export function verifyStormdeskSignature(input: { rawBody: RawBody; signature: string | null | undefined; secret: string }): void {
  const expected = signStormdeskBody(input.rawBody, input.secret);
  const provided = input.signature?.trim().replace(/^sha256=/i, '').toLowerCase();
  if (!provided) throw signatureRejected(`the ${stormdeskSignatureHeader} header is missing.`);
  if (!constantTimeEqual(provided, expected)) throw signatureRejected('it does not match the body and the shared secret.');
}
