import { describe, expect, it } from 'vitest';
import { parseChatMessage } from '@/lib/channels/chat/parse';
import { caught } from '@/lib/channels/testing';
import { identityKeysOf } from '@/lib/signals/identity';

const message = {
  sessionId: 'sess_01HR7Q3K9Z8X',
  messageId: '7',
  visitor: { id: 'vis_5f2e9c', name: 'João Silva', email: '  Joao.Silva@Example.COM.BR ', emailVerified: true },
  text: 'Olá, meu voo foi cancelado e preciso de ajuda com o reembolso 😕',
  sentAt: '2024-03-05T10:45:00.000-03:00',
  page: 'https://airstorm.example/pt/reservas',
};

describe('parseChatMessage', () => {
  it('maps a widget message threaded by session, with the visitor’s email lowercased', () => {
    const mention = parseChatMessage(message);
    expect(mention).toMatchObject({
      channel: 'chat',
      kind: 'chat',
      externalId: 'sess_01HR7Q3K9Z8X/7',
      threadKey: 'sess_01HR7Q3K9Z8X',
      isPublic: false,
      text: message.text,
      author: { externalId: 'vis_5f2e9c', name: 'João Silva', email: 'joao.silva@example.com.br' },
    });
    expect(mention.occurredAt.toISOString()).toBe('2024-03-05T13:45:00.000Z');
  });

  it('keeps an address the site does not vouch for as a claim, apart from the customer who owns it', () => {
    const claimed = parseChatMessage({ ...message, visitor: { id: 'vis_x', email: 'Joao.Silva@Example.com.br' } });
    expect(claimed.author).toMatchObject({ externalId: 'unverified:joao.silva@example.com.br', email: 'joao.silva@example.com.br', verified: false });
    expect(identityKeysOf(claimed)).toEqual(['unverified:joao.silva@example.com.br']);
    expect(identityKeysOf(parseChatMessage(message))).toContain('email:joao.silva@example.com.br');
    expect(parseChatMessage({ ...message, visitor: { id: 'vis_y' } }).author.verified).toBeUndefined();
  });

  it('keeps the externalId across retries and apart across sessions that reuse message numbers', () => {
    const body = JSON.stringify(message);
    expect(parseChatMessage(body).externalId).toBe(parseChatMessage(Buffer.from(body)).externalId);
    expect(parseChatMessage({ ...message, sessionId: 'sess_other' }).externalId).not.toBe(parseChatMessage(message).externalId);
  });

  it('keeps markup and right-to-left text as typed', () => {
    const text = '<img src=x onerror="alert(document.cookie)"> أين استرداد أموالي؟';
    expect(parseChatMessage({ ...message, text }).text).toBe(text);
  });

  it('names the bad field', () => {
    expect(caught(() => parseChatMessage({ ...message, visitor: { name: 'x' } })).message).toContain('visitor.id');
    expect(caught(() => parseChatMessage({ ...message, sentAt: '2024-03-05 10:45' })).message).toContain('sentAt');
    expect(caught(() => parseChatMessage({ ...message, text: undefined })).message).toContain('text');
  });
});
