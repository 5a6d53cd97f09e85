import { describe, expect, it } from 'vitest';
import { parseChatMessage } from '@/lib/channels/chat/parse';
import { parseEmail } from '@/lib/channels/email/parse';
import { parseMentionBatch } from '@/lib/channels/batch/parse';
import { parsePhoneCall } from '@/lib/channels/phone/parse';
import { parseXWebhook } from '@/lib/channels/x/parse';
import { emailKey, handleKey, identityKeysOf, normalizeEmail, phoneKey } from '@/lib/signals/identity';

describe('identity keys', () => {
  it('normalizes handles, emails and phones', () => {
    expect(handleKey('x', '@MartaRuiz_')).toBe('x:@martaruiz_');
    expect(handleKey('instagram', 'Lucia.MX')).toBe('instagram:@lucia.mx');
    expect(handleKey('x', 'not a handle')).toBeUndefined();
    expect(emailKey('  Lucia.Fernandez@Gmail.example ')).toBe('email:lucia.fernandez@gmail.example');
    expect(emailKey('mailto:A@B.example')).toBe('email:a@b.example');
    expect(normalizeEmail('no-at-sign')).toBeUndefined();
    expect(phoneKey('+34 600 11 22 33')).toBe('phone:+34600112233');
    expect(phoneKey('600 11 22 33', '34')).toBe('phone:+34600112233');
    expect(phoneKey('600 11 22 33')).toBeUndefined();
  });

  it('keys an X author by stable id and by handle', () => {
    expect(identityKeysOf({ channel: 'x', author: { externalId: '1498374', handle: 'MartaRuiz_' } })).toEqual(['x:id:1498374', 'x:@martaruiz_']);
  });

  it('does not mistake an address used as id for a platform id', () => {
    expect(identityKeysOf({ channel: 'email', author: { externalId: 'lucia@gmail.example', email: 'lucia@gmail.example' } })).toEqual(['email:lucia@gmail.example']);
    expect(identityKeysOf({ channel: 'phone', author: { externalId: '+34600112233', phone: '+34600112233' } })).toEqual(['phone:+34600112233']);
    expect(identityKeysOf({ channel: 'x', author: { externalId: 'MartaRuiz_', handle: 'MartaRuiz_' } })).toEqual(['x:@martaruiz_']);
  });

  it('links one customer across email, phone, chat and X through shared keys', async () => {
    const [tweet] = parseXWebhook({
      for_user_id: '1',
      tweet_create_events: [{ id_str: '10', created_at: 'Tue Mar 05 12:00:00 +0000 2024', text: 'still no bag', user: { id_str: '1498374', screen_name: 'MartaRuiz_' } }],
    });
    const mail = await parseEmail('From: Marta Ruiz <Marta.Ruiz@Example.com>\r\nSubject: bag\r\nMessage-ID: <m1@example.com>\r\n\r\nHelp');
    const call = parsePhoneCall({ callId: 'C1', direction: 'inbound', from: '+34 600 11 22 33', to: '+34910000000', startedAt: '2024-03-05T10:00:00Z', durationSeconds: 60, agentSummary: 'bag' });
    const chat = parseChatMessage({ sessionId: 's', messageId: '1', visitor: { id: 'vis_1', email: 'MARTA.RUIZ@example.com', emailVerified: true }, text: 'hi', sentAt: '2024-03-05T11:00:00Z' });
    const [imported] = parseMentionBatch([{ channel: 'facebook', externalId: 'p1', text: 'x', occurredAt: '2024-03-05T09:00:00Z', author: { externalId: '555', phone: '600112233' } }], { defaultCallingCode: '34' });

    expect(tweet && identityKeysOf(tweet)).toEqual(['x:id:1498374', 'x:@martaruiz_']);
    const mailKeys = identityKeysOf(mail);
    const chatKeys = identityKeysOf(chat);
    expect(mailKeys).toEqual(['email:marta.ruiz@example.com']);
    expect(chatKeys).toEqual(['chat:id:vis_1', 'email:marta.ruiz@example.com']);
    expect(chatKeys.filter((k) => mailKeys.includes(k))).toHaveLength(1);
    expect(imported && identityKeysOf(imported).filter((k) => identityKeysOf(call).includes(k))).toEqual(['phone:+34600112233']);
  });
});
