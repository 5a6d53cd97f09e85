import { describe, expect, it } from 'vitest';
import { parseXDate, parseXWebhook } from '@/lib/channels/x/parse';
import { caught } from '@/lib/channels/testing';

const brandId = '2244994945';

const customer = {
  id: 1498374,
  id_str: '1498374',
  name: 'Marta Ruiz',
  screen_name: 'MartaRuiz_',
  location: 'Madrid',
  followers_count: 18234,
  friends_count: 410,
  created_at: 'Sat Mar 14 09:01:11 +0000 2009',
  verified: false,
};

function tweet(overrides: Record<string, unknown> = {}) {
  return {
    created_at: 'Wed Oct 10 20:19:24 +0000 2018',
    id_str: '1050118621198921728',
    text: '@AirStorm my bag never arrived, 3 days now. I want a refund #LostBag',
    source: '<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>',
    truncated: false,
    in_reply_to_status_id: null,
    in_reply_to_status_id_str: null,
    in_reply_to_user_id_str: brandId,
    in_reply_to_screen_name: 'AirStorm',
    user: customer,
    is_quote_status: false,
    quote_count: 0,
    reply_count: 0,
    retweet_count: 0,
    favorite_count: 0,
    entities: {
      hashtags: [{ indices: [61, 69], text: 'LostBag' }],
      urls: [],
      user_mentions: [{ screen_name: 'AirStorm', name: 'AirStorm', id_str: brandId, indices: [0, 9] }],
      symbols: [],
    },
    favorited: false,
    retweeted: false,
    filter_level: 'low',
    lang: 'en',
    timestamp_ms: '1539202764000',
    ...overrides,
  };
}

function delivery(events: unknown[]) {
  return { for_user_id: brandId, user_has_blocked: false, tweet_create_events: events };
}


describe('parseXDate', () => {
  it('reads the v1.1 format with its offset', () => {
    expect(parseXDate('Wed Oct 10 20:19:24 +0000 2018')?.toISOString()).toBe('2018-10-10T20:19:24.000Z');
    expect(parseXDate('Wed Oct 10 22:19:24 +0200 2018')?.toISOString()).toBe('2018-10-10T20:19:24.000Z');
  });
  it('refuses other formats', () => {
    expect(parseXDate('2018-10-10T20:19:24Z')).toBeUndefined();
    expect(parseXDate('Wed Foo 10 20:19:24 +0000 2018')).toBeUndefined();
  });
});

describe('parseXWebhook: tweets', () => {
  it('maps a customer tweet to a mention with author, reach and hashtags', () => {
    const [mention, ...rest] = parseXWebhook(delivery([tweet()]));
    expect(rest).toHaveLength(0);
    expect(mention).toMatchObject({
      channel: 'x',
      externalId: '1050118621198921728',
      kind: 'post',
      text: '@AirStorm my bag never arrived, 3 days now. I want a refund #LostBag',
      isPublic: true,
      hashtags: ['lostbag'],
      lang: 'en',
      threadKey: '1050118621198921728',
      author: { externalId: '1498374', handle: 'MartaRuiz_', name: 'Marta Ruiz', followers: 18234 },
    });
    expect(mention?.occurredAt.toISOString()).toBe('2018-10-10T20:19:24.000Z');
    expect(mention?.author.accountCreatedAt?.toISOString()).toBe('2009-03-14T09:01:11.000Z');
    expect(mention?.raw).toMatchObject({ source: expect.stringContaining('Twitter for iPhone') });
  });

  it('takes the full text of an extended tweet rather than the truncated one', () => {
    const long = 'Flight IB3456 cancelled with no notice, no hotel, no food, 200 people sleeping on the floor at T4. ' + 'This is the worst airline. #NeverAgain #IB3456';
    const [mention] = parseXWebhook(
      delivery([tweet({ text: long.slice(0, 137) + '…', truncated: true, extended_tweet: { full_text: long, entities: { hashtags: [{ text: 'NeverAgain' }, { text: 'IB3456' }] } } })]),
    );
    expect(mention?.text).toBe(long);
    expect(mention?.hashtags).toEqual(['neveragain', 'ib3456']);
  });

  it('marks a reply as a comment threaded on the tweet it answers', () => {
    const [mention] = parseXWebhook(delivery([tweet({ in_reply_to_status_id_str: '1050000000000000001'})]));
    expect(mention).toMatchObject({ kind: 'comment', inReplyTo: '1050000000000000001', threadKey: '1050000000000000001' });
  });

  it('leaves out the brand’s own tweets and retweets of them', () => {
    const own = tweet({ id_str: '1', user: { ...customer, id_str: brandId, screen_name: 'AirStorm' } });
    const retweetOfBrand = tweet({ id_str: '2', retweeted_status: { id_str: '9', user: { id_str: brandId } } });
    const mentions = parseXWebhook(delivery([own, retweetOfBrand, tweet()]));
    expect(mentions.map((m) => m.externalId)).toEqual(['1050118621198921728']);
  });

  it('maps promotion and impressions when X provides them', () => {
    const [mention] = parseXWebhook(
      delivery([tweet({ promoted_metadata: { advertiser_id: '1498374' }, public_metrics: { impression_count: 1_250_000, like_count: 4100, retweet_count: 900, reply_count: 300 } })]),
    );
    expect(mention?.promoted).toBe(true);
    expect(mention?.metrics).toEqual({ impressions: 1_250_000, likes: 4100, reposts: 900, replies: 300 });
    const [plain] = parseXWebhook(delivery([tweet()]));
    expect(plain?.promoted).toBeUndefined();
  });

  it('takes ids from id_str, since the numeric ids lose precision in JavaScript', () => {
    const body = '{"for_user_id":"2244994945","tweet_create_events":[{"created_at":"Wed Oct 10 20:19:24 +0000 2018","id":1050118621198921728,"id_str":"1050118621198921728","text":"hi","in_reply_to_status_id":1050118621198921699,"in_reply_to_status_id_str":"1050118621198921699","user":{"id":1498374,"id_str":"1498374","screen_name":"MartaRuiz_"}}]}';
    expect(parseXWebhook(body)[0]).toMatchObject({ externalId: '1050118621198921728', inReplyTo: '1050118621198921699' });
  });

  it('keeps the same externalId when X retries the same delivery', () => {
    const body = JSON.stringify(delivery([tweet(), tweet({ id_str: '1050118621198921729' })]));
    const first = parseXWebhook(body).map((m) => m.externalId);
    const retry = parseXWebhook(Buffer.from(body)).map((m) => m.externalId);
    expect(retry).toEqual(first);
    expect(first).toEqual(['1050118621198921728', '1050118621198921729']);
  });

  it('keeps emoji and right-to-left text exactly as written', () => {
    const arabic = 'حقيبتي ضاعت منذ ثلاثة أيام 😡😡 #حقيبة_مفقودة';
    const hebrew = 'המזוודה שלי אבדה, אני רוצה החזר כספי 🧳';
    const mentions = parseXWebhook(delivery([tweet({ id_str: '11', text: arabic, entities: { hashtags: [{ text: 'حقيبة_مفقودة' }] } }), tweet({ id_str: '12', text: hebrew, entities: {} })]));
    expect(mentions.map((m) => m.text)).toEqual([arabic, hebrew]);
    expect(mentions[0]?.hashtags).toEqual(['حقيبة_مفقودة']);
  });

  it('keeps HTML and script in the text as plain text', () => {
    const text = '<script>alert("xss")</script> <b>fix</b> my booking &amp; refund';
    const [mention] = parseXWebhook(delivery([tweet({ text })]));
    expect(mention?.text).toBe(text);
  });

  it('says which field is wrong in a malformed delivery', () => {
    const bad = delivery([tweet(), tweet({ user: { screen_name: 'nobody' } })]);
    const error = caught(() => parseXWebhook(bad));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('tweet_create_events[1].user.id_str');

    expect(caught(() => parseXWebhook(delivery([tweet({ created_at: '2018-10-10' })]))).message).toContain('tweet_create_events[0].created_at');
    expect(caught(() => parseXWebhook({ tweet_create_events: [] })).message).toContain('for_user_id');
    expect(caught(() => parseXWebhook('{"for_user_id": ')).message).toContain('not valid JSON');
  });

  it('ignores event kinds that are not messages', () => {
    const likes = { for_user_id: brandId, favorite_events: [{ id: 'a', favorited_status: {}, user: customer }] };
    expect(parseXWebhook(likes)).toEqual([]);
  });
});

describe('parseXWebhook: direct messages', () => {
  const dmDelivery = {
    for_user_id: brandId,
    direct_message_events: [
      {
        type: 'message_create',
        id: '1050137834427588613',
        created_timestamp: '1539207347045',
        message_create: {
          target: { recipient_id: brandId },
          sender_id: '1498374',
          source_app_id: '268278',
          message_data: { text: 'Booking ref QX7PLM, still no refund. Ayuda por favor 🙏', entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } },
        },
      },
      {
        type: 'message_create',
        id: '1050137834427588699',
        created_timestamp: '1539207400000',
        message_create: { target: { recipient_id: '1498374' }, sender_id: brandId, message_data: { text: 'Hi Marta, we are on it.', entities: { hashtags: [] } } },
      },
    ],
    apps: { '268278': { id: '268278', name: 'Twitter Web Client', url: 'http://twitter.com' } },
    users: {
      '1498374': { id: '1498374', created_timestamp: '1237021271000', name: 'Marta Ruiz', screen_name: 'MartaRuiz_', followers_count: 18234, protected: false, verified: false },
      [brandId]: { id: brandId, created_timestamp: '1380000000000', name: 'AirStorm', screen_name: 'AirStorm', followers_count: 2_100_000 },
    },
  };

  it('maps a customer DM with its sender from the users map, and skips the brand’s own reply', () => {
    const mentions = parseXWebhook(dmDelivery);
    expect(mentions).toHaveLength(1);
    expect(mentions[0]).toMatchObject({
      channel: 'x',
      kind: 'direct_message',
      externalId: '1050137834427588613',
      isPublic: false,
      text: 'Booking ref QX7PLM, still no refund. Ayuda por favor 🙏',
      threadKey: 'dm:1498374',
      author: { externalId: '1498374', handle: 'MartaRuiz_', followers: 18234 },
    });
    expect(mentions[0]?.occurredAt.getTime()).toBe(1539207347045);
  });

  it('says which DM field is wrong', () => {
    const broken = structuredClone(dmDelivery);
    (broken.direct_message_events[0] as { message_create: { message_data: unknown } }).message_create.message_data = {};
    expect(caught(() => parseXWebhook(broken)).message).toContain('direct_message_events[0].message_create.message_data.text');
  });
});
