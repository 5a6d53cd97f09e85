import { describe, expect, it } from 'vitest';
import { parsePhoneCall } from '@/lib/channels/phone/parse';
import { caught } from '@/lib/channels/testing';

const record = {
  callId: 'CA8f1c2b3a4d5e6f7a8b9c0d1e2f3a4b5c',
  direction: 'inbound',
  from: '+34 600 11 22 33',
  to: '+34 910 000 000',
  startedAt: '2024-03-05T10:31:07Z',
  durationSeconds: 412,
  callerName: 'Lucía Fernández',
  agentSummary: 'Customer lost her bag on IB3456, asks for a refund of expenses.',
  transcript: 'Agente: AirStorm, buenos días.\nCliente: Hola, perdieron mi maleta y nadie me ayuda. Quiero un reembolso.',
  recordingUrl: 'https://pbx.example/rec/CA8f1c.mp3',
};

describe('parsePhoneCall', () => {
  it('maps an inbound call to a private mention by the caller, phone in E.164', () => {
    const mention = parsePhoneCall(record);
    expect(mention).toMatchObject({
      channel: 'phone',
      kind: 'call',
      externalId: 'CA8f1c2b3a4d5e6f7a8b9c0d1e2f3a4b5c',
      isPublic: false,
      author: { externalId: '+34600112233', phone: '+34600112233', name: 'Lucía Fernández' },
    });
    expect(mention.text).toBe(`${record.agentSummary}\n\n${record.transcript}`);
    expect(mention.occurredAt.toISOString()).toBe('2024-03-05T10:31:07.000Z');
    expect(mention.raw).toEqual(record);
  });

  it('attributes an outbound call to the customer who was called', () => {
    const mention = parsePhoneCall({ ...record, direction: 'outbound', from: '+34 910 000 000', to: '0034 611 22 33 44' });
    expect(mention.author.phone).toBe('+34611223344');
  });

  it('accepts a national number when the connection sets a default country', () => {
    expect(parsePhoneCall({ ...record, from: '600 11 22 33' }, { defaultCallingCode: '34' }).author.phone).toBe('+34600112233');
    expect(caught(() => parsePhoneCall({ ...record, from: '600 11 22 33' })).message).toContain('from');
  });

  it('accepts a summary alone or a transcript alone, but not neither', () => {
    expect(parsePhoneCall({ ...record, transcript: undefined }).text).toBe(record.agentSummary);
    expect(parsePhoneCall({ ...record, agentSummary: undefined }).text).toBe(record.transcript);
    const error = caught(() => parsePhoneCall({ ...record, transcript: '  ', agentSummary: undefined }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('transcript or an agentSummary');
  });

  it('names the bad field of a malformed record', () => {
    expect(caught(() => parsePhoneCall({ ...record, startedAt: '05/03/2024 10:31' })).message).toContain('startedAt');
    expect(caught(() => parsePhoneCall({ ...record, durationSeconds: -1 })).message).toContain('durationSeconds');
    expect(caught(() => parsePhoneCall({ ...record, direction: 'sideways' })).message).toContain('direction');
    expect(caught(() => parsePhoneCall('{oops')).message).toContain('not valid JSON');
  });

  it('keeps the call id as externalId across retries, and right-to-left transcripts verbatim', () => {
    const body = JSON.stringify({ ...record, transcript: 'לקוח: המזוודה שלי אבדה 😢 <b>דחוף</b>' });
    const first = parsePhoneCall(body);
    const again = parsePhoneCall(Buffer.from(body));
    expect(again.externalId).toBe(first.externalId);
    expect(first.text.endsWith('לקוח: המזוודה שלי אבדה 😢 <b>דחוף</b>')).toBe(true);
  });
});
