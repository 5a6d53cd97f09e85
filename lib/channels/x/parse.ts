import { z } from 'zod';
import type { MentionMetrics, NormalizedMention } from '@/lib/channels/types';
import { normalizeHashtags, extractHashtags } from '@/lib/channels/text';
import { parseOrThrow, readJsonBody, UnixMillis } from '@/lib/channels/validate';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Parses X v1.1 dates ("Wed Oct 10 20:19:24 +0000 2018") strictly, without relying on Date's lenient parser. */
export function parseXDate(value: string): Date | undefined {
  const m = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/.exec(value);
  if (!m) return undefined;
  const [, mon, day, hh, mm, ss, sign, oh, om, year] = m;
  const month = months.indexOf(mon ?? '');
  if (month < 0) return undefined;
  const offsetMinutes = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const utc = Date.UTC(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss)) - offsetMinutes * 60_000;
  const date = new Date(utc);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const XDate = z.string().transform((value, ctx) => {
  const date = parseXDate(value);
  if (!date) {
    ctx.addIssue({ code: 'custom', message: `expected a date like "Wed Oct 10 20:19:24 +0000 2018", got "${value}"` });
    return z.NEVER;
  }
  return date;
});

const Count = z.number().int().nonnegative();

export const XUser = z.object({
  id_str: z.string().min(1),
  screen_name: z.string().min(1),
  name: z.string().optional(),
  followers_count: Count.optional(),
  created_at: XDate.optional(),
});
export type XUser = z.infer<typeof XUser>;

const XHashtagEntities = z.object({ hashtags: z.array(z.object({ text: z.string() })).optional() });

const XPublicMetrics = z.object({
  impression_count: Count.optional(),
  like_count: Count.optional(),
  retweet_count: Count.optional(),
  reply_count: Count.optional(),
});

/** A v1.1 tweet as X delivers it in `tweet_create_events`. */
export const XTweet = z
  .object({
    id_str: z.string().regex(/^\d+$/, 'expected a numeric id string'),
    created_at: XDate,
    text: z.string().optional(),
    full_text: z.string().optional(),
    extended_tweet: z.object({ full_text: z.string(), entities: XHashtagEntities.optional() }).optional(),
    user: XUser,
    entities: XHashtagEntities.optional(),
    in_reply_to_status_id_str: z.string().nullish(),
    lang: z.string().nullish(),
    retweeted_status: z.object({ id_str: z.string(), user: z.object({ id_str: z.string() }) }).nullish(),
    favorite_count: Count.nullish(),
    retweet_count: Count.nullish(),
    reply_count: Count.nullish(),
    public_metrics: XPublicMetrics.optional(),
    promoted: z.boolean().optional(),
    promoted_metadata: z.unknown().optional(),
    promoted_content: z.unknown().optional(),
  })
  .refine((t) => t.text !== undefined || t.full_text !== undefined || t.extended_tweet !== undefined, {
    message: 'a tweet needs text, full_text or extended_tweet.full_text',
    path: ['text'],
  });
export type XTweet = z.infer<typeof XTweet>;

/** A direct message event of the Account Activity API. */
export const XDirectMessageEvent = z.object({
  type: z.string(),
  id: z.string().min(1),
  created_timestamp: UnixMillis,
  message_create: z
    .object({
      sender_id: z.string().min(1),
      target: z.object({ recipient_id: z.string() }).optional(),
      message_data: z.object({ text: z.string(), entities: XHashtagEntities.optional() }),
    })
    .optional(),
});
export type XDirectMessageEvent = z.infer<typeof XDirectMessageEvent>;

const XDmUser = z.object({
  id: z.string(),
  screen_name: z.string().optional(),
  name: z.string().optional(),
  followers_count: Count.optional(),
  created_timestamp: UnixMillis.optional(),
});

/** One Account Activity delivery; event arrays we do not turn into mentions (likes, follows, deletes) pass unvalidated. */
export const XWebhookPayload = z.object({
  for_user_id: z.string().min(1),
  tweet_create_events: z.array(XTweet).optional(),
  direct_message_events: z.array(XDirectMessageEvent).optional(),
  users: z.record(z.string(), XDmUser).optional(),
});
export type XWebhookPayload = z.infer<typeof XWebhookPayload>;

/** Turns an Account Activity delivery (raw JSON or parsed) into mentions, leaving out the brand's own tweets and DMs. */
export function parseXWebhook(body: unknown): NormalizedMention[] {
  const input = readJsonBody(body, 'X webhook payload');
  const payload = parseOrThrow(XWebhookPayload, input, 'X webhook payload');
  const original = input as { tweet_create_events?: unknown[]; direct_message_events?: unknown[] };
  const brandId = payload.for_user_id;
  const mentions: NormalizedMention[] = [];

  payload.tweet_create_events?.forEach((tweet, i) => {
    if (tweet.user.id_str === brandId) return;
    // Someone sharing the brand's own announcement is not a customer writing to us.
    if (tweet.retweeted_status?.user.id_str === brandId) return;
    mentions.push(mentionOfTweet(tweet, original.tweet_create_events?.[i]));
  });

  payload.direct_message_events?.forEach((event, i) => {
    if (event.type !== 'message_create' || !event.message_create) return;
    const senderId = event.message_create.sender_id;
    if (senderId === brandId) return;
    const user = payload.users?.[senderId];
    const text = event.message_create.message_data.text;
    mentions.push({
      channel: 'x',
      externalId: event.id,
      kind: 'direct_message',
      text,
      occurredAt: event.created_timestamp,
      author: {
        externalId: senderId,
        ...(user?.screen_name !== undefined && { handle: user.screen_name }),
        ...(user?.name !== undefined && { name: user.name }),
        ...(user?.followers_count !== undefined && { followers: user.followers_count }),
        ...(user?.created_timestamp !== undefined && { accountCreatedAt: user.created_timestamp }),
      },
      threadKey: `dm:${senderId}`,
      isPublic: false,
      hashtags: hashtagsOf(event.message_create.message_data.entities, text),
      raw: original.direct_message_events?.[i],
    });
  });

  return mentions;
}

function mentionOfTweet(tweet: XTweet, raw: unknown): NormalizedMention {
  const text = tweet.extended_tweet?.full_text ?? tweet.full_text ?? tweet.text ?? '';
  const replyTo = tweet.in_reply_to_status_id_str ?? undefined;
  const metrics = metricsOf(tweet);
  const promoted = tweet.promoted ?? (tweet.promoted_metadata != null || tweet.promoted_content != null ? true : undefined);
  return {
    channel: 'x',
    externalId: tweet.id_str,
    kind: replyTo ? 'comment' : 'post',
    text,
    occurredAt: tweet.created_at,
    author: {
      externalId: tweet.user.id_str,
      handle: tweet.user.screen_name,
      ...(tweet.user.name !== undefined && { name: tweet.user.name }),
      ...(tweet.user.followers_count !== undefined && { followers: tweet.user.followers_count }),
      ...(tweet.user.created_at !== undefined && { accountCreatedAt: tweet.user.created_at }),
    },
    // v1.1 carries no conversation id; the replied-to tweet is the nearest stable key.
    threadKey: replyTo ?? tweet.id_str,
    ...(replyTo !== undefined && { inReplyTo: replyTo }),
    isPublic: true,
    ...(promoted !== undefined && { promoted }),
    ...(metrics && { metrics }),
    hashtags: hashtagsOf(tweet.extended_tweet?.entities ?? tweet.entities, text),
    ...(tweet.lang && tweet.lang !== 'und' && { lang: tweet.lang }),
    raw,
  };
}

function hashtagsOf(entities: { hashtags?: { text: string }[] | undefined } | undefined, text: string): string[] {
  return entities?.hashtags ? normalizeHashtags(entities.hashtags.map((h) => h.text)) : extractHashtags(text);
}

function metricsOf(tweet: XTweet): MentionMetrics | undefined {
  const pm = tweet.public_metrics;
  const metrics: MentionMetrics = {};
  const impressions = pm?.impression_count;
  const likes = pm?.like_count ?? tweet.favorite_count ?? undefined;
  const reposts = pm?.retweet_count ?? tweet.retweet_count ?? undefined;
  const replies = pm?.reply_count ?? tweet.reply_count ?? undefined;
  if (impressions !== undefined) metrics.impressions = impressions;
  if (likes !== undefined) metrics.likes = likes;
  if (reposts !== undefined) metrics.reposts = reposts;
  if (replies !== undefined) metrics.replies = replies;
  return Object.keys(metrics).length > 0 ? metrics : undefined;
}
