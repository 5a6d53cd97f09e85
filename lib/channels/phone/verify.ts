import { verifyStormdeskSignature, type RawBody } from '@/lib/channels/signature';

/** Checks the `x-stormdesk-signature` of a call record posted by the telephony system; throws UNAUTHENTICATED on mismatch. */
export function verifyPhoneSignature(input: { rawBody: RawBody; signature: string | null | undefined; secret: string }): void {
  verifyStormdeskSignature(input);
}
