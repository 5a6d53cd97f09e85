import { describe, expect, it } from 'vitest';
import { parseChatMessage } from '@/lib/channels/chat/parse';
import { parseEmail } from '@/lib/channels/email/parse';
import { parseMentionBatch } from '@/lib/channels/batch/parse';
import { parsePhoneCall } from '@/lib/channels/phone/parse';
import { parseXWebhook } from '@/lib/channels/x/parse';
import { emailKey, handleKey, identityKeysOf, isUnverifiedKey, normalizeEmail, phoneKey, unverifiedKey } from '@/lib/signals/identity';

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
    // A Spanish caller id carries no STIR/SHAKEN attestation; this connection trusts its telephony system's caller ids.
    const call = parsePhoneCall({ callId: 'C1', direction: 'inbound', from: '+34 600 11 22 33', to: '+34910000000', startedAt: '2024-03-05T10:00:00Z', durationSeconds: 60, agentSummary: 'bag' }, { trustUnattestedCallerId: true });
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

  describe('unverified callers', () => {
    const customerOnFile = parseMentionBatch([{ channel: 'email', externalId: 'e1', text: 'refund?', occurredAt: '2024-03-05T09:00:00Z', author: { email: 'hasan.yilmaz@example.com', phone: '+1 415 555 0142' } }]);
    const call = (callerVerification?: string) =>
      parsePhoneCall({ callId: `CA-${callerVerification ?? 'none'}`, direction: 'inbound', from: '+14155550142', to: '+16465550100', startedAt: '2024-03-05T10:00:00Z', durationSeconds: 240, agentSummary: 'Wants the refund sent to a new card.', ...(callerVerification && { callerVerification }) });
    const shared = (keys: string[]) => keys.filter((k) => identityKeysOf(customerOnFile[0]!).includes(k));

    it('a spoofed caller id never shares a key with the customer who owns the number; an attested one does', () => {
      expect(identityKeysOf(customerOnFile[0]!)).toContain('phone:+14155550142');
      for (const spoofed of [call(), call('No-TN-Validation'), call('TN-Validation-Passed-C'), call('TN-Validation-Failed')]) {
        expect(identityKeysOf(spoofed)).toEqual(['unverified:phone:+14155550142']);
        expect(shared(identityKeysOf(spoofed))).toEqual([]);
      }
      expect(shared(identityKeysOf(call('TN-Validation-Passed-A')))).toEqual(['phone:+14155550142']);
    });

    it('keys an unverified number by E.164, and never as an email', () => {
      expect(unverifiedKey({ phone: '+1 (415) 555-0142' })).toBe('unverified:phone:+14155550142');
      expect(unverifiedKey({ phone: '415 555 0142' }, '1')).toBe('unverified:phone:+14155550142');
      expect(unverifiedKey({ phone: 'anonymous' })).toBeUndefined();
      expect(unverifiedKey({ email: 'Owner@Example.com' })).toBe('unverified:owner@example.com');
      // A stored author id is keyed as it was written; a national number takes the connection's country.
      expect(identityKeysOf({ channel: 'phone', author: { externalId: 'unverified:phone:+14155550142', phone: '+14155550142' } })).toEqual(['unverified:phone:+14155550142']);
      expect(identityKeysOf({ channel: 'phone', author: { externalId: '4155550142', phone: '4155550142', verified: false } }, { defaultCallingCode: '1' })).toEqual(['unverified:phone:+14155550142']);
      expect(identityKeysOf({ channel: 'phone', author: { externalId: 'unverified:phone:withheld', verified: false } })).toEqual(['unverified:phone:withheld']);
      expect(isUnverifiedKey('unverified:phone:+14155550142')).toBe(true);
      expect(isUnverifiedKey('phone:+14155550142')).toBe(false);
    });
  });
});
