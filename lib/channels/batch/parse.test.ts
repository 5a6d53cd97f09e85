import { describe, expect, it } from 'vitest';
import { maxBatchItems, parseMentionBatch } from '@/lib/channels/batch/parse';
import { caught } from '@/lib/channels/testing';

const tweet = {
  channel: 'x',
  externalId: '1765432109876543210',
  text: '@AirStorm 8 hours and no answer about my lost bag. Promoting this until you reply. #LostBag',
  occurredAt: '2024-03-05T09:12:00Z',
  author: { handle: '@MartaRuiz_', followers: 18234 },
  promoted: true,
  metrics: { impressions: 1_250_000, reposts: 900 },
};
const email = {
  channel: 'email',
  externalId: '<CAKx8=9mZ0fQ@mail.gmail.example>',
  text: 'Maleta perdida. Necesito ayuda.',
  occurredAt: '2024-03-05T08:12:00+01:00',
  author: { email: 'Lucia.Fernandez@Gmail.example', name: 'Lucía Fernández' },
};
const call = {
  channel: 'phone',
  externalId: 'CA8f1c',
  text: 'Customer asks for a refund.',
  occurredAt: '2024-03-05T10:31:07Z',
  author: { phone: '+34 600 11 22 33' },
};

describe('parseMentionBatch', () => {
  it('normalizes mentions of several channels, with defaults from the channel', () => {
    const [x, mail, phone] = parseMentionBatch([tweet, email, call]);
    expect(x).toMatchObject({
      channel: 'x',
      kind: 'post',
      isPublic: true,
      promoted: true,
      metrics: { impressions: 1_250_000, reposts: 900 },
      hashtags: ['lostbag'],
      author: { externalId: 'MartaRuiz_', handle: 'MartaRuiz_', followers: 18234 },
    });
    expect(mail).toMatchObject({ kind: 'email', isPublic: false, author: { externalId: 'lucia.fernandez@gmail.example', email: 'lucia.fernandez@gmail.example' } });
    expect(mail?.occurredAt.toISOString()).toBe('2024-03-05T07:12:00.000Z');
    expect(phone).toMatchObject({ kind: 'call', author: { externalId: '+34600112233', phone: '+34600112233' } });
    expect(x?.raw).toEqual(tweet);
  });

  it('treats a direct message on a social channel as private', () => {
    const [dm] = parseMentionBatch([{ ...tweet, kind: 'direct_message' }]);
    expect(dm?.isPublic).toBe(false);
  });

  it('rejects the whole batch and reports the index and path of every bad item', () => {
    const items = [tweet, { ...email, author: { email: 'not-an-email' } }, call, { ...call, externalId: 'CA2', occurredAt: '2024-03-05 10:31' }, { ...tweet, externalId: 'T2', author: {} }, { ...call, externalId: 'CA3', author: { phone: '12' } }];
    const error = caught(() => parseMentionBatch(items));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('nothing was stored');
    expect(error.message).toContain('4 of 6 items are invalid');
    const problems = (error.details as { problems: { index: number; path: string }[] }).problems;
    expect(problems.map((p) => [p.index, p.path])).toEqual([
      [1, 'author.email'],
      [3, 'occurredAt'],
      [4, 'author'],
      [5, 'author.phone'],
    ]);
    expect(error.message).toContain('[1].author.email');
  });

  it('reports a repeated externalId inside one batch instead of storing either copy silently', () => {
    const error = caught(() => parseMentionBatch([tweet, email, { ...tweet, text: 'edited' }]));
    expect(error.message).toContain('[2].externalId: repeats x externalId "1765432109876543210" of item 0');
    // The same id on another channel is another message.
    expect(parseMentionBatch([tweet, { ...email, externalId: tweet.externalId }])).toHaveLength(2);
  });

  it('gives the same externalIds when a batch is resent', () => {
    const body = JSON.stringify([tweet, email, call]);
    expect(parseMentionBatch(body).map((m) => m.externalId)).toEqual(parseMentionBatch(Buffer.from(body)).map((m) => m.externalId));
  });

  it('keeps emoji, right-to-left text and markup verbatim', () => {
    const texts = ['طيران سيء جدا 😡 <script>alert(1)</script>', 'שירות גרוע ✈️💔', '<b>bold</b> &amp; "quoted"'];
    const mentions = parseMentionBatch(texts.map((text, i) => ({ ...tweet, externalId: String(i), text })));
    expect(mentions.map((m) => m.text)).toEqual(texts);
  });

  it('refuses something that is not an array, and more than the limit as TOO_LARGE', () => {
    expect(caught(() => parseMentionBatch({ mentions: [] })).message).toContain('JSON array');
    const big = Array.from({ length: maxBatchItems + 1 }, (_, i) => ({ ...call, externalId: String(i) }));
    expect(caught(() => parseMentionBatch(big)).code).toBe('TOO_LARGE');
    expect(parseMentionBatch(big.slice(0, maxBatchItems))).toHaveLength(maxBatchItems);
  });
});
