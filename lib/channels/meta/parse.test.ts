import { describe, expect, it } from 'vitest';
import { instagramMentionsToFetch, parseMetaWebhook } from '@/lib/channels/meta/parse';
import { caught } from '@/lib/channels/testing';

const pageId = '104653748905127';
const igAccountId = '17841400000000000';

function feedChange(value: Record<string, unknown>) {
  return { field: 'feed', value };
}

const customerComment = {
  from: { id: '6543210987654321', name: 'Ana Souza' },
  post: { status_type: 'added_photos', is_published: true, updated_time: '2023-11-14T22:13:20+0000', promotion_status: 'inactive', id: `${pageId}_122134` },
  message: 'Minha mala foi perdida no voo de ontem e ninguém responde. Quero reembolso! 😤',
  post_id: `${pageId}_122134`,
  comment_id: '122134_987654',
  parent_id: `${pageId}_122134`,
  created_time: 1700000000,
  item: 'comment',
  verb: 'add',
};

const pageDelivery = (...changes: unknown[]) => ({ object: 'page', entry: [{ id: pageId, time: 1700000005, changes }] });

describe('parseMetaWebhook: Facebook Page feed', () => {
  it('maps a customer comment on a Page post', () => {
    const [mention, ...rest] = parseMetaWebhook(pageDelivery(feedChange(customerComment)));
    expect(rest).toEqual([]);
    expect(mention).toMatchObject({
      channel: 'facebook',
      externalId: '122134_987654',
      kind: 'comment',
      text: customerComment.message,
      threadKey: `${pageId}_122134`,
      inReplyTo: `${pageId}_122134`,
      isPublic: true,
      author: { externalId: '6543210987654321', name: 'Ana Souza' },
    });
    expect(mention?.occurredAt.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(mention?.raw).toEqual(customerComment);
  });

  it('maps a visitor post on the Page with its hashtags', () => {
    const post = { from: { id: '6543210987654321', name: 'Ana Souza' }, post_id: `${pageId}_555`, message: 'Vuelo cancelado sin aviso #NuncaMás #AirStorm', created_time: '1700000100', item: 'status', verb: 'add', published: 1 };
    const [mention] = parseMetaWebhook(pageDelivery(feedChange(post)));
    expect(mention).toMatchObject({ kind: 'post', externalId: `${pageId}_555`, hashtags: ['nuncamás', 'airstorm'] });
    expect(mention?.inReplyTo).toBeUndefined();
  });

  it('produces nothing for edits, removals, reactions and the Page’s own comments', () => {
    const mentions = parseMetaWebhook(
      pageDelivery(
        feedChange({ ...customerComment, verb: 'edited' }),
        feedChange({ ...customerComment, verb: 'remove' }),
        feedChange({ from: { id: '1' }, item: 'reaction', verb: 'add', reaction_type: 'angry', post_id: `${pageId}_1`, created_time: 1700000000 }),
        feedChange({ ...customerComment, from: { id: pageId, name: 'AirStorm' }, comment_id: '122134_1' }),
      ),
    );
    expect(mentions).toEqual([]);
  });

  it('maps a Page mention in someone else’s post', () => {
    const value = { item: 'post', verb: 'add', post_id: '998877_112233', sender_id: '5550001', sender_name: 'Carlos Pérez', message: '@AirStorm perdieron mi maleta, necesito ayuda', created_time: 1700000200 };
    const [mention] = parseMetaWebhook(pageDelivery({ field: 'mention', value }));
    expect(mention).toMatchObject({ channel: 'facebook', kind: 'post', externalId: '998877_112233', author: { externalId: '5550001', name: 'Carlos Pérez' } });
  });

  it('says which change is malformed, with its path', () => {
    const broken = { ...customerComment, from: undefined };
    const error = caught(() => parseMetaWebhook(pageDelivery(feedChange(customerComment), feedChange(broken))));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('entry[0].changes[1].value.from');
    expect(caught(() => parseMetaWebhook(pageDelivery(feedChange({ ...customerComment, created_time: 'yesterday' })))).message).toContain('entry[0].changes[0].value.created_time');
    expect(caught(() => parseMetaWebhook({ object: 'whatsapp_business_account', entry: [] })).message).toContain('object');
  });
});

describe('parseMetaWebhook: Messenger and Instagram Direct', () => {
  const messaging = (events: unknown[], object: 'page' | 'instagram' = 'page', id = pageId) => ({ object, entry: [{ id, time: 1700000123456, messaging: events }] });
  const customerMessage = {
    sender: { id: '7023456789012345' },
    recipient: { id: pageId },
    timestamp: 1700000123000,
    message: { mid: 'm_Ab3xQ9wZ1y2TkL0pVnR8sU7t6', text: 'שלום, ההזמנה שלי בוטלה ואני רוצה החזר 🙏 <img src=x onerror=alert(1)>' },
  };

  it('maps a private message and keeps right-to-left text and markup verbatim', () => {
    const [mention] = parseMetaWebhook(messaging([customerMessage]));
    expect(mention).toMatchObject({
      channel: 'facebook',
      kind: 'direct_message',
      externalId: 'm_Ab3xQ9wZ1y2TkL0pVnR8sU7t6',
      text: customerMessage.message.text,
      isPublic: false,
      threadKey: 'dm:7023456789012345',
      author: { externalId: '7023456789012345' },
    });
    expect(mention?.occurredAt.getTime()).toBe(1700000123000);
  });

  it('skips echoes of our own replies, deletions, reads and deliveries', () => {
    const echo = { sender: { id: pageId }, recipient: { id: '7023456789012345' }, timestamp: 1700000124000, message: { mid: 'm_echo', text: 'We are on it', is_echo: true, app_id: 1517 } };
    const deleted = { ...customerMessage, message: { mid: 'm_del', is_deleted: true } };
    const read = { sender: { id: '7023456789012345' }, recipient: { id: pageId }, timestamp: 1700000125000, read: { watermark: 1700000124000 } };
    expect(parseMetaWebhook(messaging([echo, deleted, read]))).toEqual([]);
  });

  it('labels Instagram Direct messages as instagram', () => {
    const [mention] = parseMetaWebhook(messaging([{ ...customerMessage, recipient: { id: igAccountId } }], 'instagram', igAccountId));
    expect(mention?.channel).toBe('instagram');
  });

  it('gives the same externalIds when Meta redelivers the same body', () => {
    const body = JSON.stringify(messaging([customerMessage, { ...customerMessage, message: { mid: 'm_2', text: '¿hola?' } }]));
    expect(parseMetaWebhook(body).map((m) => m.externalId)).toEqual(parseMetaWebhook(Buffer.from(body)).map((m) => m.externalId));
  });

  it('says which messaging event is malformed', () => {
    expect(caught(() => parseMetaWebhook(messaging([{ ...customerMessage, sender: {} }]))).message).toContain('entry[0].messaging[0].sender.id');
  });
});

describe('parseMetaWebhook: Instagram comments and mentions', () => {
  const igDelivery = (...changes: unknown[]) => ({ object: 'instagram', entry: [{ id: igAccountId, time: 1700000300, changes }] });
  const comment = { from: { id: '17841455555555555', username: 'lucia.mx' }, media: { id: '18012345678901234', media_product_type: 'FEED' }, id: '17865432109876543', text: 'Peor servicio 💔 #nuncamas' };

  it('maps a comment on our media', () => {
    const [mention] = parseMetaWebhook(igDelivery({ field: 'comments', value: comment }));
    expect(mention).toMatchObject({
      channel: 'instagram',
      kind: 'comment',
      externalId: '17865432109876543',
      author: { externalId: '17841455555555555', handle: 'lucia.mx' },
      threadKey: '18012345678901234',
      hashtags: ['nuncamas'],
    });
    expect(mention?.occurredAt.toISOString()).toBe('2023-11-14T22:18:20.000Z');
  });

  it('skips our own replies under our media', () => {
    expect(parseMetaWebhook(igDelivery({ field: 'comments', value: { ...comment, from: { id: igAccountId, username: 'airstorm' } } }))).toEqual([]);
  });

  it('lists id-only mentions for fetching instead of inventing text or authors', () => {
    const body = igDelivery({ field: 'mentions', value: { media_id: '18099999999999999', comment_id: '17800000000000001' } });
    expect(parseMetaWebhook(body)).toEqual([]);
    expect(instagramMentionsToFetch(body)).toEqual([{ accountId: igAccountId, mediaId: '18099999999999999', commentId: '17800000000000001', notifiedAt: new Date(1700000300 * 1000) }]);
  });

  it('maps a mention whose text and author were merged in', () => {
    const body = igDelivery({ field: 'mentions', value: { media_id: '18099999999999999', text: '@airstorm still waiting', from: { id: '1784', username: 'joao' } } });
    expect(parseMetaWebhook(body)).toMatchObject([{ kind: 'post', externalId: '18099999999999999', text: '@airstorm still waiting' }]);
    expect(instagramMentionsToFetch(body)).toEqual([]);
  });
});
