import { z } from 'zod';
import type { Channel, NormalizedMention } from '@/lib/channels/types';
import { extractHashtags } from '@/lib/channels/text';
import { parseOrThrow, readJsonBody, UnixMillis, UnixSeconds } from '@/lib/channels/validate';

// Meta sends entry.time in seconds for feed changes and in milliseconds for messaging.
const EntryTime = z.union([z.number(), z.string().regex(/^\d+$/)]).transform((v) => {
  const n = Number(v);
  return new Date(n > 1e12 ? n : n * 1000);
});

const MetaMessagingEvent = z.object({
  sender: z.object({ id: z.string().min(1) }),
  recipient: z.object({ id: z.string().min(1) }),
  timestamp: UnixMillis,
  // Reads, deliveries, postbacks, reactions and edits carry no `message` and produce no mention.
  message: z
    .object({
      mid: z.string().min(1),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      is_deleted: z.boolean().optional(),
      reply_to: z.object({ mid: z.string() }).optional(),
    })
    .optional(),
});

const MetaEntry = z.object({
  id: z.string().min(1),
  time: EntryTime,
  changes: z.array(z.object({ field: z.string(), value: z.unknown() })).optional(),
  messaging: z.array(MetaMessagingEvent).optional(),
});

/** One delivery to a Page or Instagram webhook; each change's value is checked by its own field schema. */
export const MetaWebhookPayload = z.object({
  object: z.enum(['page', 'instagram']),
  entry: z.array(MetaEntry),
});
export type MetaWebhookPayload = z.infer<typeof MetaWebhookPayload>;

/** A Page `feed` change that adds a post or a comment. */
export const FacebookFeedValue = z.object({
  item: z.string(),
  verb: z.string(),
  from: z.object({ id: z.string().min(1), name: z.string().optional() }),
  post_id: z.string().min(1),
  comment_id: z.string().min(1).optional(),
  parent_id: z.string().optional(),
  message: z.string().optional(),
  created_time: UnixSeconds,
});
export type FacebookFeedValue = z.infer<typeof FacebookFeedValue>;

/** A Page `mention` change: someone tagged the Page in a post or a comment. */
export const FacebookMentionValue = z.object({
  item: z.string(),
  verb: z.string(),
  post_id: z.string().min(1),
  comment_id: z.string().min(1).optional(),
  sender_id: z.string().min(1),
  sender_name: z.string().optional(),
  message: z.string().optional(),
  created_time: UnixSeconds.optional(),
});
export type FacebookMentionValue = z.infer<typeof FacebookMentionValue>;

/** An Instagram `comments` (or `live_comments`) change. */
export const InstagramCommentValue = z.object({
  id: z.string().min(1),
  text: z.string(),
  from: z.object({ id: z.string().min(1), username: z.string().optional() }),
  media: z.object({ id: z.string().min(1), media_product_type: z.string().optional() }),
  parent_id: z.string().optional(),
});
export type InstagramCommentValue = z.infer<typeof InstagramCommentValue>;

/** An Instagram `mentions` change; Meta sends only ids unless the text was fetched and merged in. */
export const InstagramMentionValue = z.object({
  media_id: z.string().min(1),
  comment_id: z.string().min(1).optional(),
  text: z.string().optional(),
  from: z.object({ id: z.string().min(1), username: z.string().optional() }).optional(),
});
export type InstagramMentionValue = z.infer<typeof InstagramMentionValue>;

const feedItemsWithText = new Set(['post', 'status', 'photo', 'video', 'share', 'comment']);
const ShallowFeed = z.object({ item: z.string().optional(), verb: z.string().optional() }).loose();

/** Turns a Page or Instagram webhook delivery into mentions; edits, removals, echoes and the account's own posts produce none. */
export function parseMetaWebhook(body: unknown): NormalizedMention[] {
  return parseMetaDelivery(body).mentions;
}

/** Instagram mentions that arrived as bare ids; the caller fetches their text and author from the Graph API. */
export function instagramMentionsToFetch(body: unknown): InstagramMentionToFetch[] {
  return parseMetaDelivery(body).toFetch;
}

/**
 * A Page or Instagram webhook delivery, read once: its mentions (see `parseMetaWebhook`) and the Instagram mentions it
 * announced by ids only, to fetch (see `instagramMentionsToFetch`).
 */
export function parseMetaDelivery(body: unknown): { mentions: NormalizedMention[]; toFetch: InstagramMentionToFetch[] } {
  const input = readJsonBody(body, 'Meta webhook payload');
  const payload = parseOrThrow(MetaWebhookPayload, input, 'Meta webhook payload');
  const channel: Channel = payload.object === 'page' ? 'facebook' : 'instagram';
  const mentions: NormalizedMention[] = [];
  const toFetch: InstagramMentionToFetch[] = [];

  payload.entry.forEach((entry, e) => {
    const accountId = entry.id;
    entry.changes?.forEach((change, c) => {
      const path = ['entry', e, 'changes', c, 'value'];
      const what = `Meta webhook payload (${change.field} change)`;
      if (channel === 'facebook' && (change.field === 'feed' || change.field === 'mention')) {
        const shallow = ShallowFeed.safeParse(change.value);
        if (!shallow.success || shallow.data.verb !== 'add' || !feedItemsWithText.has(shallow.data.item ?? '')) return;
        const mention =
          change.field === 'feed'
            ? mentionOfFeed(parseOrThrow(FacebookFeedValue, change.value, what, path), accountId)
            : mentionOfPageMention(parseOrThrow(FacebookMentionValue, change.value, what, path), entry.time, accountId);
        if (mention) mentions.push({ ...mention, raw: change.value });
      } else if (channel === 'instagram' && (change.field === 'comments' || change.field === 'live_comments')) {
        const value = parseOrThrow(InstagramCommentValue, change.value, what, path);
        if (value.from.id === accountId) return;
        mentions.push({
          channel,
          externalId: value.id,
          kind: 'comment',
          text: value.text,
          occurredAt: entry.time,
          author: { externalId: value.from.id, ...(value.from.username !== undefined && { handle: value.from.username }) },
          threadKey: value.media.id,
          inReplyTo: value.parent_id ?? value.media.id,
          isPublic: true,
          hashtags: extractHashtags(value.text),
          raw: change.value,
        });
      } else if (channel === 'instagram' && change.field === 'mentions') {
        const value = parseOrThrow(InstagramMentionValue, change.value, what, path);
        // Without text and author there is nothing to classify: fetched from the Graph API instead.
        if (value.text === undefined || !value.from) {
          toFetch.push({ accountId, mediaId: value.media_id, ...(value.comment_id !== undefined && { commentId: value.comment_id }), notifiedAt: entry.time });
          return;
        }
        if (value.from.id === accountId) return;
        mentions.push({
          channel,
          externalId: value.comment_id ?? value.media_id,
          kind: value.comment_id ? 'comment' : 'post',
          text: value.text,
          occurredAt: entry.time,
          author: { externalId: value.from.id, ...(value.from.username !== undefined && { handle: value.from.username }) },
          threadKey: value.media_id,
          ...(value.comment_id !== undefined && { inReplyTo: value.media_id }),
          isPublic: true,
          hashtags: extractHashtags(value.text),
          raw: change.value,
        });
      }
    });

    const originalMessaging = (input as { entry: { messaging?: unknown[] }[] }).entry[e]?.messaging;
    entry.messaging?.forEach((event, m) => {
      const message = event.message;
      if (!message || message.is_echo || message.is_deleted || event.sender.id === accountId) return;
      const text = message.text ?? '';
      mentions.push({
        channel,
        externalId: message.mid,
        kind: 'direct_message',
        text,
        occurredAt: event.timestamp,
        author: { externalId: event.sender.id },
        threadKey: `dm:${event.sender.id}`,
        ...(message.reply_to && { inReplyTo: message.reply_to.mid }),
        isPublic: false,
        hashtags: extractHashtags(text),
        raw: originalMessaging?.[m],
      });
    });
  });

  return { mentions, toFetch };
}

/** One Instagram mention Meta announced by ids only; its text and author are fetched from the Graph API. */
export interface InstagramMentionToFetch {
  /** The mentioned account (the entry's id): the `{ig-user-id}` to ask the Graph API through. */
  accountId: string;
  mediaId: string;
  /** Absent for a mention in a media caption. */
  commentId?: string;
  /** The entry's time: the mention's time when the Graph answer has none. */
  notifiedAt: Date;
}


type MentionWithoutRaw = Omit<NormalizedMention, 'raw'>;

function mentionOfFeed(value: FacebookFeedValue, pageId: string): MentionWithoutRaw | undefined {
  if (value.from.id === pageId) return undefined;
  const isComment = value.item === 'comment';
  if (isComment && !value.comment_id) return undefined;
  const text = value.message ?? '';
  return {
    channel: 'facebook',
    externalId: isComment && value.comment_id ? value.comment_id : value.post_id,
    kind: isComment ? 'comment' : 'post',
    text,
    occurredAt: value.created_time,
    author: { externalId: value.from.id, ...(value.from.name !== undefined && { name: value.from.name }) },
    threadKey: value.post_id,
    ...(isComment && { inReplyTo: value.parent_id ?? value.post_id }),
    isPublic: true,
    hashtags: extractHashtags(text),
  };
}

function mentionOfPageMention(value: FacebookMentionValue, entryTime: Date, pageId: string): MentionWithoutRaw | undefined {
  if (value.sender_id === pageId) return undefined;
  const isComment = value.item === 'comment' && value.comment_id !== undefined;
  const text = value.message ?? '';
  return {
    channel: 'facebook',
    externalId: isComment && value.comment_id ? value.comment_id : value.post_id,
    kind: isComment ? 'comment' : 'post',
    text,
    occurredAt: value.created_time ?? entryTime,
    author: { externalId: value.sender_id, ...(value.sender_name !== undefined && { name: value.sender_name }) },
    threadKey: value.post_id,
    ...(isComment && { inReplyTo: value.post_id }),
    isPublic: true,
    hashtags: extractHashtags(text),
  };
}
