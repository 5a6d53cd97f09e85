import { describe, expect, it } from 'vitest';
import { callerVerifications, parsePhoneCall } from '@/lib/channels/phone/parse';
import { caught } from '@/lib/channels/testing';
import { identityKeysOf } from '@/lib/signals/identity';

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

/** A call to the US line from a caller whose carrier signed the caller id: Twilio's StirVerstat copied into the record. */
const attested = {
  ...record,
  callId: 'CA2b7e0d41f9c35a86e4d1b0c7f2a9e318',
  from: '+1 (415) 555-0142',
  to: '+1 646 555 0100',
  callerName: 'Hasan Yilmaz',
  callerVerification: 'TN-Validation-Passed-A',
};

describe('parsePhoneCall', () => {
  it('maps an inbound call to a private mention by the caller, phone in E.164', () => {
    const mention = parsePhoneCall(record, { trustUnattestedCallerId: true });
    expect(mention).toMatchObject({
      channel: 'phone',
      kind: 'call',
      externalId: 'CA8f1c2b3a4d5e6f7a8b9c0d1e2f3a4b5c',
      isPublic: false,
      author: { externalId: '+34600112233', phone: '+34600112233', name: 'Lucía Fernández' },
    });
    expect(mention.author.verified).toBeUndefined();
    expect(mention.text).toBe(`${record.agentSummary}\n\n${record.transcript}`);
    expect(mention.occurredAt.toISOString()).toBe('2024-03-05T10:31:07.000Z');
    expect(mention.raw).toEqual(record);
  });

  it('attributes an outbound call to the customer who was called, whose number is proven: we dialled it', () => {
    const mention = parsePhoneCall({ ...record, direction: 'outbound', from: '+34 910 000 000', to: '0034 611 22 33 44' });
    expect(mention.author).toMatchObject({ externalId: '+34611223344', phone: '+34611223344', verified: true });
    // The verstat of an outbound leg describes our own number, not the customer's.
    expect(parsePhoneCall({ ...record, direction: 'outbound', to: '+34611223344', callerVerification: 'TN-Validation-Failed' }).author.verified).toBe(true);
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

  describe('caller id attestation (STIR/SHAKEN)', () => {
    it('verifies an inbound caller only with full attestation that verified (A)', () => {
      const mention = parsePhoneCall(attested);
      expect(mention.author).toEqual({ externalId: '+14155550142', phone: '+14155550142', name: 'Hasan Yilmaz', verified: true });
      expect(identityKeysOf(mention)).toEqual(['phone:+14155550142']);
      // Carriers differ in letter case; the value is kept canonical.
      expect(parsePhoneCall({ ...attested, callerVerification: ' tn-validation-passed-a ' }).author.verified).toBe(true);
    });

    it('keeps a partial, gateway or failed attestation apart as unverified:phone:, whatever the connection trusts', () => {
      for (const verstat of ['TN-Validation-Passed-B', 'TN-Validation-Passed-C', 'TN-Validation-Failed-A', 'TN-Validation-Failed-B', 'TN-Validation-Failed-C', 'TN-Validation-Failed']) {
        const mention = parsePhoneCall({ ...attested, callerVerification: verstat }, { trustUnattestedCallerId: true });
        expect(mention.author, verstat).toEqual({ externalId: 'unverified:phone:+14155550142', phone: '+14155550142', name: 'Hasan Yilmaz', verified: false });
        expect(identityKeysOf(mention)).toEqual(['unverified:phone:+14155550142']);
      }
    });

    it('leaves a caller id with no attestation level to go by to the connection’s setting', () => {
      const unattested = [{ ...record }, { ...record, callerVerification: 'No-TN-Validation' }, { ...record, callerVerification: 'TN-Validation-Passed' }];
      for (const call of unattested) {
        expect(parsePhoneCall(call).author).toMatchObject({ externalId: 'unverified:phone:+34600112233', phone: '+34600112233', verified: false });
        const trusted = parsePhoneCall(call, { trustUnattestedCallerId: true });
        expect(trusted.author.externalId).toBe('+34600112233');
        expect(identityKeysOf(trusted)).toEqual(['phone:+34600112233']);
      }
      // The national form of an unverified caller still comes out in E.164.
      expect(parsePhoneCall({ ...record, from: '600 11 22 33' }, { defaultCallingCode: '34' }).author.externalId).toBe('unverified:phone:+34600112233');
    });

    it('refuses a malformed verification result, listing the accepted values', () => {
      for (const bad of ['passed', 'A', 'TN-Validation-Passed-D', 'TN-Verification-Passed']) {
        const error = caught(() => parsePhoneCall({ ...attested, callerVerification: bad }));
        expect(error.code).toBe('INVALID_INPUT');
        expect(error.message).toContain('callerVerification');
        expect(error.message).toContain('TN-Validation-Passed-A');
        expect(error.details).toEqual({ problems: [{ path: 'callerVerification', message: expect.stringContaining('No-TN-Validation') }] });
      }
      expect(caught(() => parsePhoneCall({ ...attested, callerVerification: true })).message).toContain('callerVerification');
      expect(callerVerifications).toContain('No-TN-Validation');
    });
  });
});
