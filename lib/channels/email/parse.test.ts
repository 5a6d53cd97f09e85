import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEmail, stripQuotedReply } from '@/lib/channels/email/parse';
import { caughtAsync } from '@/lib/channels/testing';

const crlf = (lines: string[]) => lines.join('\r\n');

// As Gmail sends it: multipart/alternative, UTF-8 quoted-printable, an encoded-word subject with an emoji.
const firstMessage = crlf([
  'Return-Path: <lucia.fernandez@gmail.example>',
  'Received: from mail-sor-f41.google.example (mail-sor-f41.google.example [209.85.220.41]) by mx.stormdesk.example with ESMTPS id a1b2c3 for <care@airstorm.example>; Tue, 05 Mar 2024 08:12:03 +0000',
  'MIME-Version: 1.0',
  'From: =?UTF-8?Q?Luc=C3=ADa_Fern=C3=A1ndez?= <Lucia.Fernandez@Gmail.example>',
  'Date: Tue, 5 Mar 2024 09:12:00 +0100',
  'Message-ID: <CAKx8=9mZ0fQ@mail.gmail.example>',
  'Subject: =?UTF-8?Q?Maleta_perdida_en_el_vuelo_IB3456_=F0=9F=98=A1?=',
  'To: AirStorm Care <care@airstorm.example>',
  'Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f6"',
  '',
  '--000000000000a1b2c3d4e5f6',
  'Content-Type: text/plain; charset="UTF-8"',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Hola, mi maleta no lleg=C3=B3 a Madrid. Necesito ayuda y un reembolso de los g=',
  'astos. =C2=A1Nunca m=C3=A1s! <script>alert(1)</script>',
  '',
  '--000000000000a1b2c3d4e5f6',
  'Content-Type: text/html; charset="UTF-8"',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  '<div dir=3D"ltr">Hola, mi maleta no lleg=C3=B3 a Madrid.</div>',
  '',
  '--000000000000a1b2c3d4e5f6--',
  '',
]);

const reply = crlf([
  'From: Lucia Fernandez <lucia.fernandez@gmail.example>',
  'To: care@airstorm.example',
  'Subject: Re: [#4821] Maleta perdida',
  'Date: Wed, 06 Mar 2024 10:00:00 +0000',
  'Message-ID: <CAKx8=reply2@mail.gmail.example>',
  'In-Reply-To: <case-4821.1@airstorm.example>',
  'References: <CAKx8=9mZ0fQ@mail.gmail.example> <case-4821.1@airstorm.example>',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  'Siguen sin aparecer. ¿Qué hago?',
  '',
  'On Tue, Mar 5, 2024 at 11:40 AM AirStorm Care <care@airstorm.example> wrote:',
  '> Hola Lucía, lamentamos lo ocurrido.',
  '> Estamos buscando su maleta.',
  '',
]);

describe('parseEmail', () => {
  it('reads a multipart/alternative UTF-8 message: sender, subject and plain-text body', async () => {
    const mention = await parseEmail(firstMessage);
    expect(mention).toMatchObject({
      channel: 'email',
      kind: 'email',
      externalId: '<CAKx8=9mZ0fQ@mail.gmail.example>',
      threadKey: '<CAKx8=9mZ0fQ@mail.gmail.example>',
      isPublic: false,
      author: { externalId: 'lucia.fernandez@gmail.example', email: 'lucia.fernandez@gmail.example', name: 'Lucía Fernández' },
    });
    expect(mention.text).toBe('Maleta perdida en el vuelo IB3456 😡\n\nHola, mi maleta no llegó a Madrid. Necesito ayuda y un reembolso de los gastos. ¡Nunca más! <script>alert(1)</script>');
    expect(mention.occurredAt.toISOString()).toBe('2024-03-05T08:12:00.000Z');
    expect(mention.raw).toBe(firstMessage);
  });

  it('threads a reply under the first message of its References and drops the quoted history', async () => {
    const mention = await parseEmail(Buffer.from(reply, 'utf8'));
    expect(mention.threadKey).toBe('<CAKx8=9mZ0fQ@mail.gmail.example>');
    expect(mention.inReplyTo).toBe('<case-4821.1@airstorm.example>');
    expect(mention.text).toBe('Re: [#4821] Maleta perdida\n\nSiguen sin aparecer. ¿Qué hago?');
  });

  it('falls back to In-Reply-To for the thread when References is absent', async () => {
    const mention = await parseEmail(reply.replace(/References: .*\r\n/, ''));
    expect(mention.threadKey).toBe('<case-4821.1@airstorm.example>');
  });

  it('turns an HTML-only body into plain text, keeping escaped markup as literal text', async () => {
    const html = crlf([
      'From: ahmad@example.org',
      `Subject: =?UTF-8?B?${Buffer.from('حقيبتي ضاعت').toString('base64')}?=`,
      'Message-ID: <html-only-1@example.org>',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p dir="rtl">لم تصل حقيبتي &lt;b&gt;حتى الآن&lt;/b&gt;</p><script>steal()</script><p>شكرا</p>',
    ]);
    const mention = await parseEmail(html);
    expect(mention.text).toBe('حقيبتي ضاعت\n\nلم تصل حقيبتي <b>حتى الآن</b>\n\nشكرا');
  });

  it('derives a stable externalId from the bytes when Message-ID is missing, so a redelivery deduplicates', async () => {
    const noId = reply.replace(/Message-ID: .*\r\n/, '');
    const first = await parseEmail(noId);
    const again = await parseEmail(Buffer.from(noId));
    expect(first.externalId).toBe(`sha256:${createHash('sha256').update(noId).digest('hex')}`);
    expect(again.externalId).toBe(first.externalId);
    expect((await parseEmail(noId.replace('Siguen', 'Todavía'))).externalId).not.toBe(first.externalId);
  });

  it('uses the receive time when the Date header is missing', async () => {
    const receivedAt = new Date('2024-03-06T10:05:00Z');
    const mention = await parseEmail(reply.replace(/Date: .*\r\n/, ''), { receivedAt });
    expect(mention.occurredAt).toEqual(receivedAt);
  });

  it('refuses a message without a sender or without headers, saying why', async () => {
    expect((await caughtAsync(parseEmail(reply.replace(/From: .*\r\n/, '')))).message).toContain('no From address');
    expect((await caughtAsync(parseEmail('just some text'))).message).toContain('no header section');
    expect((await caughtAsync(parseEmail(''))).code).toBe('INVALID_INPUT');
  });
});

describe('stripQuotedReply', () => {
  it('keeps a message that quotes nothing', () => {
    expect(stripQuotedReply('Line one\n\nLine two\n')).toBe('Line one\n\nLine two\n');
  });
  it('removes a wrapped attribution line with the quote', () => {
    const text = 'Still waiting.\n\nOn Tue, Mar 5, 2024 at 11:40 AM AirStorm Care <\ncare@airstorm.example> wrote:\n> old text';
    expect(stripQuotedReply(text)).toBe('Still waiting.');
  });
  it('removes an Outlook original-message block and Portuguese attributions', () => {
    expect(stripQuotedReply('Obrigado.\n\n-----Original Message-----\nFrom: care@airstorm.example\nold')).toBe('Obrigado.');
    expect(stripQuotedReply('Ainda nada.\nEm ter., 5 de mar. de 2024 às 11:40, AirStorm escreveu:\n> velho')).toBe('Ainda nada.');
  });
  it('keeps a message that is only a quote rather than returning nothing', () => {
    expect(stripQuotedReply('> forwarded complaint')).toBe('> forwarded complaint');
  });
});
