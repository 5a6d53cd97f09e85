import { z } from 'zod';
import { exhaustiveSwitchError, invalidInput } from '@/lib/errors';
import { type MentionAuthor, type NormalizedMention, unverifiedAuthor } from '@/lib/channels/types';
import { toE164 } from '@/lib/channels/e164';
import { extractHashtags } from '@/lib/channels/text';
import { IsoTimestamp, parseOrThrow, readJsonBody } from '@/lib/channels/validate';

const nonBlank = (s: string | undefined) => s !== undefined && s.trim() !== '';

/**
 * STIR/SHAKEN results for a caller id, as carriers hand them on: the SIP `verstat` values (TN-Validation-Passed,
 * TN-Validation-Failed, No-TN-Validation) and Twilio's `StirVerstat` webhook parameter, which appends the attestation
 * level of the PASSporT's `attest` claim (RFC 8588: A full, B partial, C gateway).
 */
export const callerVerifications = [
  'TN-Validation-Passed-A',
  'TN-Validation-Passed-B',
  'TN-Validation-Passed-C',
  'TN-Validation-Passed',
  'TN-Validation-Failed-A',
  'TN-Validation-Failed-B',
  'TN-Validation-Failed-C',
  'TN-Validation-Failed',
  'No-TN-Validation',
] as const;
export type CallerVerification = (typeof callerVerifications)[number];

const canonicalVerification = new Map<string, CallerVerification>(callerVerifications.map((v) => [v.toLowerCase(), v]));

/** A verstat in any letter case (carriers differ: "Tn-Validation-Passed"), as its canonical spelling. */
const CallerVerificationValue = z
  .string()
  .trim()
  .transform((v) => canonicalVerification.get(v.toLowerCase()) ?? v)
  .pipe(z.enum(callerVerifications, { error: `expected the caller id's STIR/SHAKEN result as the carrier reports it (${callerVerifications.join(', ')})` }));

/** A finished call as the telephony system posts it; `from`/`to` may be national numbers when the connection sets a default country. */
export const PhoneCallRecord = z
  .object({
    callId: z.string().trim().min(1).max(200),
    direction: z.enum(['inbound', 'outbound']),
    from: z.string().trim().min(1),
    to: z.string().trim().min(1),
    startedAt: IsoTimestamp,
    durationSeconds: z.number().int().nonnegative().max(86_400),
    transcript: z.string().max(1_000_000).optional(),
    agentSummary: z.string().max(20_000).optional(),
    callerName: z.string().trim().min(1).optional(),
    /** Inbound only: the carrier's STIR/SHAKEN verification of the caller id (Twilio's `StirVerstat`, copied as is). */
    callerVerification: CallerVerificationValue.optional(),
  })
  .refine((r) => nonBlank(r.transcript) || nonBlank(r.agentSummary), {
    message: 'a call record needs a transcript or an agentSummary',
    path: ['transcript'],
  });
export type PhoneCallRecord = z.infer<typeof PhoneCallRecord>;

/**
 * How far a call record proves the customer's number. `verified`: we dialled it (outbound), or the caller's carrier
 * signed the caller id with full attestation (A: it knows the caller and their right to the number) and the signature
 * verified. `not_verified`: a partial or gateway attestation (B, C) or a failed verification. `unattested`: nothing to go
 * by (no result, No-TN-Validation — every call from outside North America —, or a pass without its level), so the
 * connection's setting decides.
 */
export type CallerIdProof = 'verified' | 'not_verified' | 'unattested';

/** The proof a call record gives of the customer's number; see `CallerIdProof`. */
export function callerIdProof(record: Pick<PhoneCallRecord, 'direction' | 'callerVerification'>): CallerIdProof {
  if (record.direction === 'outbound') return 'verified';
  const verification = record.callerVerification;
  switch (verification) {
    case 'TN-Validation-Passed-A':
      return 'verified';
    case 'TN-Validation-Passed-B':
    case 'TN-Validation-Passed-C':
    case 'TN-Validation-Failed-A':
    case 'TN-Validation-Failed-B':
    case 'TN-Validation-Failed-C':
    case 'TN-Validation-Failed':
      return 'not_verified';
    // A pass without its level: Telnyx means A by it, Bandwidth sends the level apart. Not proof on its own.
    case 'TN-Validation-Passed':
    case 'No-TN-Validation':
    case undefined:
      return 'unattested';
    default:
      return exhaustiveSwitchError(verification);
  }
}

export type PhoneCallOptions = {
  defaultCallingCode?: string;
  /**
   * The connection's setting: whether an inbound caller id with nothing to attest it (see `CallerIdProof`) is taken as
   * the customer's. Default false: it is kept apart as `unverified:phone:<E.164>`.
   */
  trustUnattestedCallerId?: boolean;
};

/**
 * Turns a call record (raw JSON or parsed) into a mention by the customer: the caller when inbound, the callee when
 * outbound. A caller id can be spoofed: unless the record proves it (or the connection trusts unattested ones), the
 * author is `unverified:phone:<E.164>`: the call arrives, but never links to the customer who owns the number.
 */
export function parsePhoneCall(body: unknown, options: PhoneCallOptions = {}): NormalizedMention {
  const input = readJsonBody(body, 'Call record');
  const record = parseOrThrow(PhoneCallRecord, input, 'Call record');
  const customerField = record.direction === 'inbound' ? 'from' : 'to';
  const phone = toE164(record[customerField], options.defaultCallingCode);
  if (!phone) {
    throw invalidInput(`Call record is invalid: ${customerField}: "${record[customerField]}" is not a phone number in E.164 form (e.g. +34600111222)${options.defaultCallingCode ? '' : '; a number without its country needs the home country calling code under Settings'}`, {
      problems: [{ path: customerField, message: 'not an E.164 phone number' }],
    });
  }
  // The agent's summary leads: it is short and says what the call was about.
  const text = [record.agentSummary, record.transcript].filter(nonBlank).map((s) => s?.trim()).join('\n\n');
  const author: MentionAuthor = { externalId: phone, phone, ...(record.callerName !== undefined && { name: record.callerName }) };
  return {
    channel: 'phone',
    externalId: record.callId,
    kind: 'call',
    text,
    occurredAt: record.startedAt,
    author: authorByProof(author, phone, callerIdProof(record), options.trustUnattestedCallerId ?? false),
    isPublic: false,
    hashtags: extractHashtags(text),
    raw: input,
  };
}

function authorByProof(author: MentionAuthor, phone: string, proof: CallerIdProof, trustUnattested: boolean): MentionAuthor {
  switch (proof) {
    case 'verified':
      return { ...author, verified: true };
    case 'unattested':
      // The admin vouched for this telephony system's caller ids: taken as given, not as proven.
      return trustUnattested ? author : unverifiedAuthor(author, { phone });
    case 'not_verified':
      return unverifiedAuthor(author, { phone });
    default:
      return exhaustiveSwitchError(proof);
  }
}
