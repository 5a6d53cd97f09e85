import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyMetaSignature, verifySubscription } from '@/lib/channels/meta/verify';
import { caught } from '@/lib/channels/testing';

const appSecret = '9f3c1d2e7a6b5c4d3e2f1a0b9c8d7e6f';

describe('Meta subscription handshake', () => {
  it('echoes the challenge when the verify token is ours', () => {
    expect(verifySubscription({ mode: 'subscribe', verifyToken: 'stormdesk-7f2a', challenge: '1158201444' }, 'stormdesk-7f2a')).toBe('1158201444');
  });

  it('refuses a wrong token as FORBIDDEN and a malformed handshake as INVALID_INPUT', () => {
    expect(caught(() => verifySubscription({ mode: 'subscribe', verifyToken: 'guess', challenge: '1' }, 'stormdesk-7f2a')).code).toBe('FORBIDDEN');
    expect(caught(() => verifySubscription({ mode: 'subscribe', verifyToken: null, challenge: '1' }, 'stormdesk-7f2a')).code).toBe('FORBIDDEN');
    expect(caught(() => verifySubscription({ mode: 'unsubscribe', verifyToken: 'stormdesk-7f2a', challenge: '1' }, 'stormdesk-7f2a')).message).toContain('hub.mode');
    expect(caught(() => verifySubscription({ mode: 'subscribe', verifyToken: 'stormdesk-7f2a', challenge: '' }, 'stormdesk-7f2a')).message).toContain('hub.challenge');
  });

  it('never accepts anything when the connection has no token configured', () => {
    expect(caught(() => verifySubscription({ mode: 'subscribe', verifyToken: '', challenge: '1' }, '')).code).toBe('UNAVAILABLE');
  });
});

describe('X-Hub-Signature-256', () => {
  const body = '{"object":"page","entry":[{"id":"104653748905127","time":1700000000,"changes":[]}]}';
  const sign = (raw: string, secret = appSecret) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

  it('accepts a delivery signed with the app secret, whatever the hex case', () => {
    expect(() => verifyMetaSignature({ rawBody: body, signature: sign(body), appSecret })).not.toThrow();
    expect(() => verifyMetaSignature({ rawBody: Buffer.from(body), signature: sign(body).toUpperCase().replace('SHA256=', 'sha256='), appSecret })).not.toThrow();
  });

  it('rejects a forged or missing signature and a tampered body', () => {
    expect(caught(() => verifyMetaSignature({ rawBody: body, signature: sign(body, 'wrong'), appSecret })).code).toBe('UNAUTHENTICATED');
    expect(caught(() => verifyMetaSignature({ rawBody: body + ' ', signature: sign(body), appSecret })).code).toBe('UNAUTHENTICATED');
    expect(caught(() => verifyMetaSignature({ rawBody: body, signature: null, appSecret })).message).toContain('missing');
    // The legacy SHA-1 header value must not pass for the SHA-256 one.
    const sha1 = `sha1=${createHmac('sha1', appSecret).update(body).digest('hex')}`;
    expect(caught(() => verifyMetaSignature({ rawBody: body, signature: sha1, appSecret })).code).toBe('UNAUTHENTICATED');
  });
});
