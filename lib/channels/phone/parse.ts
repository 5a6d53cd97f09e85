import { z } from 'zod';
import { invalidInput } from '@/lib/errors';
import type { NormalizedMention } from '@/lib/channels/types';
import { toE164 } from '@/lib/channels/e164';
import { extractHashtags } from '@/lib/channels/text';
import { IsoTimestamp, parseOrThrow, readJsonBody } from '@/lib/channels/validate';

const nonBlank = (s: string | undefined) => s !== undefined && s.trim() !== '';

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
  })
  .refine((r) => nonBlank(r.transcript) || nonBlank(r.agentSummary), {
    message: 'a call record needs a transcript or an agentSummary',
    path: ['transcript'],
  });
export type PhoneCallRecord = z.infer<typeof PhoneCallRecord>;

/** Turns a call record (raw JSON or parsed) into a mention by the customer: the caller when inbound, the callee when outbound. */
export function parsePhoneCall(body: unknown, options: { defaultCallingCode?: string } = {}): NormalizedMention {
  const input = readJsonBody(body, 'Call record');
  const record = parseOrThrow(PhoneCallRecord, input, 'Call record');
  const customerField = record.direction === 'inbound' ? 'from' : 'to';
  const phone = toE164(record[customerField], options.defaultCallingCode);
  if (!phone) {
    throw invalidInput(`Call record is invalid: ${customerField}: "${record[customerField]}" is not a phone number in E.164 form (e.g. +34600111222)${options.defaultCallingCode ? '' : ' and no default country is configured'}`, {
      problems: [{ path: customerField, message: 'not an E.164 phone number' }],
    });
  }
  // The agent's summary leads: it is short and says what the call was about.
  const text = [record.agentSummary, record.transcript].filter(nonBlank).map((s) => s?.trim()).join('\n\n');
  return {
    channel: 'phone',
    externalId: record.callId,
    kind: 'call',
    text,
    occurredAt: record.startedAt,
    author: { externalId: phone, phone, ...(record.callerName !== undefined && { name: record.callerName }) },
    isPublic: false,
    hashtags: extractHashtags(text),
    raw: input,
  };
}
