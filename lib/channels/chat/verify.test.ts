import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyChatSignature } from '@/lib/channels/chat/verify';
import { caught } from '@/lib/channels/testing';

describe('verifyChatSignature', () => {
  const body = '{"sessionId":"s","messageId":"1","visitor":{"id":"v"},"text":"hi","sentAt":"2024-03-05T10:45:00Z"}';
  it('accepts the widget backend’s signature and rejects a missing or forged one', () => {
    const signature = createHmac('sha256', 'chat-secret').update(body).digest('hex');
    expect(() => verifyChatSignature({ rawBody: body, signature, secret: 'chat-secret' })).not.toThrow();
    expect(caught(() => verifyChatSignature({ rawBody: body, signature: '', secret: 'chat-secret' })).code).toBe('UNAUTHENTICATED');
    expect(caught(() => verifyChatSignature({ rawBody: body, signature, secret: 'rotated-secret' })).code).toBe('UNAUTHENTICATED');
  });
});
