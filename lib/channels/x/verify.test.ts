import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crcResponse, verifyXSignature } from '@/lib/channels/x/verify';
import { caught } from '@/lib/channels/testing';

const consumerSecret = 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw';
const body = JSON.stringify({ for_user_id: '2244994945', tweet_create_events: [{ id_str: '1050118621198921728', created_at: 'Wed Oct 10 20:19:24 +0000 2018', text: '@AirStorm I want a refund', user: { id_str: '1498374', screen_name: 'MartaRuiz_' } }] });
const sign = (body: string, secret = consumerSecret) => `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;

describe('X CRC challenge', () => {
  it('answers with sha256= and the base64 HMAC of the token under the consumer secret', () => {
    const expected = createHmac('sha256', consumerSecret).update('ABC123crc').digest('base64');
    expect(crcResponse('ABC123crc', consumerSecret)).toEqual({ response_token: `sha256=${expected}` });
  });

  it('gives a different answer under another secret, so only the secret holder can pass', () => {
    expect(crcResponse('ABC123crc', consumerSecret)).not.toEqual(crcResponse('ABC123crc', 'other-secret'));
  });

  it('refuses a missing token and an unconfigured secret', () => {
    expect(caught(() => crcResponse('', consumerSecret)).code).toBe('INVALID_INPUT');
    expect(caught(() => crcResponse('abc', '')).code).toBe('UNAVAILABLE');
  });
});

describe('X webhook signature', () => {
  it('accepts a delivery signed with the consumer secret, as string or bytes', () => {
    expect(() => verifyXSignature({ rawBody: body, signature: sign(body), consumerSecret })).not.toThrow();
    expect(() => verifyXSignature({ rawBody: Buffer.from(body), signature: sign(body), consumerSecret })).not.toThrow();
  });

  it('rejects a forged signature, a tampered body and a missing header as UNAUTHENTICATED', () => {
    const forged = caught(() => verifyXSignature({ rawBody: body, signature: sign(body, 'attacker-secret'), consumerSecret }));
    expect(forged.code).toBe('UNAUTHENTICATED');
    const tampered = body.replace('refund', 'voucher');
    expect(caught(() => verifyXSignature({ rawBody: tampered, signature: sign(body), consumerSecret })).code).toBe('UNAUTHENTICATED');
    expect(caught(() => verifyXSignature({ rawBody: body, signature: undefined, consumerSecret })).message).toContain('missing');
  });

  it('checks the raw bytes: the same JSON re-serialized with other spacing does not verify', () => {
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    expect(caught(() => verifyXSignature({ rawBody: pretty, signature: sign(body), consumerSecret })).code).toBe('UNAUTHENTICATED');
  });
});

