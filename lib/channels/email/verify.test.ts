import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEmail } from '@/lib/channels/email/parse';
import { readSenderAuthentication, verifyEmailRelaySignature, withSenderVerdict } from '@/lib/channels/email/verify';
import { caught } from '@/lib/channels/testing';
import { identityKeysOf } from '@/lib/signals/identity';

const ours = 'mx.stormdesk.example';
const from = 'lucia@gmail.example';
const message = (authResults: string[]) =>
  [...authResults, 'Received: from mail-sor-f41.google.example by mx.stormdesk.example', `From: ${from}`, 'Subject: hi', 'Message-ID: <m1@gmail.example>', '', 'body with Authentication-Results: mx.stormdesk.example; dmarc=pass', ''].join('\r\n');
const read = (headers: string[], authservId = ours) => readSenderAuthentication(message(headers), authservId, from);

describe('readSenderAuthentication', () => {
  it('trusts the verdict our own server wrote on top, including a folded header with comments', () => {
    const result = read([
      'Authentication-Results: mx.stormdesk.example;',
      '       dkim=pass header.i=@gmail.example header.s=20230601;',
      '       spf=pass (domain of lucia@gmail.example designates 209.85.220.41 as permitted sender; dmarc=fail) smtp.mailfrom=lucia@gmail.example;',
      '       dmarc=pass (p=NONE sp=QUARANTINE dis=NONE) header.from=gmail.example',
    ]);
    expect(result).toEqual({ spf: 'pass', dkim: 'pass', dmarc: 'pass', authenticated: true });
  });

  it('ignores a forged header below ours that claims our server’s verdict', () => {
    const result = read(['Authentication-Results: mx.stormdesk.example; spf=fail smtp.mailfrom=lucia@gmail.example; dkim=none; dmarc=fail header.from=gmail.example', 'Authentication-Results: mx.stormdesk.example; dkim=pass header.d=gmail.example; spf=pass smtp.mailfrom=lucia@gmail.example; dmarc=pass']);
    expect(result).toEqual({ spf: 'fail', dkim: 'none', dmarc: 'fail', authenticated: false });
  });

  it('ignores a header above ours written by another server, however good it looks', () => {
    const result = read(['Authentication-Results: mx.attacker.example; dkim=pass header.d=gmail.example; spf=pass smtp.mailfrom=lucia@gmail.example; dmarc=pass', 'Authentication-Results: mx.stormdesk.example; spf=softfail smtp.mailfrom=lucia@gmail.example; dmarc=none']);
    expect(result).toEqual({ spf: 'softfail', dkim: 'unknown', dmarc: 'none', authenticated: false });
  });

  it('ignores a verdict only another server wrote', () => {
    expect(read(['Authentication-Results: mx.attacker.example; dkim=pass; spf=pass; dmarc=pass'])).toEqual({ spf: 'unknown', dkim: 'unknown', dmarc: 'unknown', authenticated: false });
  });

  it('does not count a DKIM pass for another domain than From', () => {
    expect(read(['Authentication-Results: mx.stormdesk.example; dkim=pass header.d=mailer.example; spf=softfail smtp.mailfrom=bounce@mailer.example']).authenticated).toBe(false);
    expect(read(['Authentication-Results: mx.stormdesk.example; dkim=pass header.d=gmail.example.attacker.example']).authenticated).toBe(false);
  });

  it('without DMARC, accepts an aligned DKIM or SPF pass; a DMARC fail outweighs both', () => {
    expect(read(['Authentication-Results: mx.stormdesk.example; dkim=pass header.d=GMAIL.example']).authenticated).toBe(true);
    expect(read(['Authentication-Results: mx.stormdesk.example; dkim=pass header.d=mailer.example; dkim=pass header.d=gmail.example']).authenticated).toBe(true);
    expect(read(['Authentication-Results: mx.stormdesk.example; spf=pass smtp.mailfrom=lucia@gmail.example']).authenticated).toBe(true);
    expect(read(['Authentication-Results: mx.stormdesk.example; spf=pass smtp.mailfrom=bounce@other.example']).authenticated).toBe(false);
    expect(read(['Authentication-Results: mx.stormdesk.example; dkim=pass header.d=gmail.example; dmarc=fail header.from=gmail.example']).authenticated).toBe(false);
  });

  it('leaves a message without any Authentication-Results unverified', () => {
    expect(read([])).toEqual({ spf: 'unknown', dkim: 'unknown', dmarc: 'unknown', authenticated: false });
  });

  it('reads the authserv-id with a version number and in any case', () => {
    expect(read(['Authentication-Results: MX.Stormdesk.Example 1; dmarc=pass header.from=gmail.example']).authenticated).toBe(true);
  });
});

describe('withSenderVerdict', () => {
  it('keys an unverified sender apart from the customer who owns the address', async () => {
    const mention = await parseEmail(message([]));
    const unverified = withSenderVerdict(mention, null);
    expect(unverified.author).toMatchObject({ externalId: 'unverified:lucia@gmail.example', email: from, verified: false });
    expect(identityKeysOf(unverified)).toEqual(['unverified:lucia@gmail.example']);
    const verified = withSenderVerdict(mention, { spf: 'pass', dkim: 'pass', dmarc: 'pass', authenticated: true });
    expect(verified.author).toMatchObject({ externalId: from, verified: true });
    expect(identityKeysOf(verified)).toEqual(['email:lucia@gmail.example']);
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
