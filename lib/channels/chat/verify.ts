import { verifyStormdeskSignature, type RawBody } from '@/lib/channels/signature';

/** Checks the `x-stormdesk-signature` of a message relayed by the chat widget's backend; throws UNAUTHENTICATED on mismatch. */
export function verifyChatSignature(input: { rawBody: RawBody; signature: string | null | undefined; secret: string }): void {
  verifyStormdeskSignature(input);
}
