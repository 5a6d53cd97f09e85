import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, hmacSha256, signStormdeskBody, verifyStormdeskSignature } from '@/lib/channels/signature';
import { caught } from '@/lib/channels/testing';

describe('constantTimeEqual', () => {
  it('is true only for identical content, including different lengths and multibyte text', () => {
    expect(constantTimeEqual('sha256=abc', 'sha256=abc')).toBe(true);
    expect(constantTimeEqual('sha256=abc', 'sha256=abd')).toBe(false);
    expect(constantTimeEqual('sha256=abc', 'sha256=abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('é', 'e\u0301')).toBe(false);
    expect(constantTimeEqual(Buffer.from('k'), 'k')).toBe(true);
  });
});

describe('hmacSha256', () => {
  it('matches the RFC 4231 test case 2', () => {
    expect(hmacSha256('Jefe', 'what do ya want for nothing?').toString('hex')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
  it('refuses an empty secret rather than signing with it', () => {
    expect(caught(() => hmacSha256('', 'body')).code).toBe('UNAVAILABLE');
  });
});

describe('stormdesk-signed scheme', () => {
  const body = '{"callId":"CA1","text":"hola"}';
  const secret = 'whsec_3f9a2c';

  it('signs as lowercase hex HMAC-SHA256 of the raw body', () => {
    expect(signStormdeskBody(body, secret)).toBe(createHmac('sha256', secret).update(body).digest('hex'));
  });

  it('accepts the hex signature with or without a sha256= prefix, in any case', () => {
    const hex = signStormdeskBody(body, secret);
    for (const signature of [hex, `sha256=${hex}`, hex.toUpperCase(), ` ${hex} `]) {
      expect(() => verifyStormdeskSignature({ rawBody: body, signature, secret })).not.toThrow();
    }
  });

  it('rejects a missing, truncated or foreign signature and a changed body', () => {
    const hex = signStormdeskBody(body, secret);
    expect(caught(() => verifyStormdeskSignature({ rawBody: body, signature: undefined, secret })).message).toContain('x-stormdesk-signature');
    expect(caught(() => verifyStormdeskSignature({ rawBody: body, signature: hex.slice(0, 63), secret })).code).toBe('UNAUTHENTICATED');
    expect(caught(() => verifyStormdeskSignature({ rawBody: body, signature: signStormdeskBody(body, 'other'), secret })).code).toBe('UNAUTHENTICATED');
    expect(caught(() => verifyStormdeskSignature({ rawBody: body.replace('hola', 'adiós'), signature: hex, secret })).code).toBe('UNAUTHENTICATED');
  });
});
