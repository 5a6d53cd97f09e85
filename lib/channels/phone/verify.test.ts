import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyPhoneSignature } from '@/lib/channels/phone/verify';
import { caught } from '@/lib/channels/testing';

describe('verifyPhoneSignature', () => {
  const body = '{"callId":"CA1","direction":"inbound","from":"+34600112233","to":"+34910000000","startedAt":"2024-03-05T10:31:07Z","durationSeconds":5,"agentSummary":"x"}';
  const secret = 'pbx-shared-secret';
  it('accepts a record signed with the connection secret and rejects a forgery', () => {
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    expect(() => verifyPhoneSignature({ rawBody: body, signature, secret })).not.toThrow();
    expect(caught(() => verifyPhoneSignature({ rawBody: body, signature: createHmac('sha256', 'guess').update(body).digest('hex'), secret })).code).toBe('UNAUTHENTICATED');
  });
});
