import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readSenderAuthentication, verifyEmailRelaySignature } from '@/lib/channels/email/verify';
import { caught } from '@/lib/channels/testing';

const message = (authResults: string[]) =>
  [...authResults, 'From: lucia@gmail.example', 'Subject: hi', '', 'body with Authentication-Results: mx.stormdesk.example; dmarc=pass', ''].join('\r\n');

describe('readSenderAuthentication', () => {
  it('trusts the verdict our own server wrote, including a folded header', () => {
    const raw = message([
      'Authentication-Results: mx.stormdesk.example;',
      '       dkim=pass header.i=@gmail.example header.s=20230601;',
      '       spf=pass (domain of lucia@gmail.example designates 209.85.220.41 as permitted sender) smtp.mailfrom=lucia@gmail.example;',
      '       dmarc=pass (p=NONE sp=QUARANTINE dis=NONE) header.from=gmail.example',
    ]);
    expect(readSenderAuthentication(raw, 'mx.stormdesk.example')).toEqual({ spf: 'pass', dkim: 'pass', dmarc: 'pass', authenticated: true });
  });

  it('ignores a verdict written by anyone else, so a forged header cannot claim a customer’s address', () => {
    const raw = message(['Authentication-Results: mx.attacker.example; dkim=pass; spf=pass; dmarc=pass']);
    expect(readSenderAuthentication(raw, 'mx.stormdesk.example')).toEqual({ spf: 'unknown', dkim: 'unknown', dmarc: 'unknown', authenticated: false });
  });

  it('does not count DKIM alone, which may sign for another domain than From', () => {
    const raw = message(['Authentication-Results: mx.stormdesk.example; dkim=pass header.d=mailer.example; spf=softfail; dmarc=fail']);
    expect(readSenderAuthentication(raw, 'mx.stormdesk.example')).toMatchObject({ dkim: 'pass', spf: 'softfail', dmarc: 'fail', authenticated: false });
  });
});

describe('verifyEmailRelaySignature', () => {
  const raw = message([]);
  it('accepts the relay’s signature and rejects a forged one', () => {
    const signature = createHmac('sha256', 'relay-secret').update(raw).digest('hex');
    expect(() => verifyEmailRelaySignature({ rawBody: raw, signature, secret: 'relay-secret' })).not.toThrow();
    expect(caught(() => verifyEmailRelaySignature({ rawBody: raw, signature, secret: 'other' })).code).toBe('UNAUTHENTICATED');
  });
});
