import { invalidInput } from '@/lib/errors';
import { constantTimeEqual, hmacSha256, signatureRejected, type RawBody } from '@/lib/channels/signature';

/** Header in which X signs every Account Activity delivery. */
export const xSignatureHeader = 'x-twitter-webhooks-signature';

/** Answers X's CRC challenge (GET ?crc_token=…), which X repeats to prove we still hold the consumer secret. */
export function crcResponse(crcToken: string, consumerSecret: string): { response_token: string } {
  if (!crcToken) throw invalidInput('The crc_token query parameter is missing.');
  return { response_token: `sha256=${hmacSha256(consumerSecret, crcToken).toString('base64')}` };
}

/** Checks `x-twitter-webhooks-signature` ("sha256=" + base64 HMAC of the raw body with the consumer secret); throws UNAUTHENTICATED on mismatch. */
export function verifyXSignature(input: { rawBody: RawBody; signature: string | null | undefined; consumerSecret: string }): void {
  const expected = `sha256=${hmacSha256(input.consumerSecret, input.rawBody).toString('base64')}`;
  const provided = input.signature?.trim();
  if (!provided) throw signatureRejected(`the ${xSignatureHeader} header is missing.`);
  if (!constantTimeEqual(provided, expected)) throw signatureRejected('it does not match the body and the consumer secret.');
}
