import { z } from 'zod';
import { DomainError, exhaustiveSwitchError, invalidInput } from '@/lib/errors';
import { Channel, MentionKind, type NormalizedMention } from '@/lib/channels/types';
import { toE164 } from '@/lib/channels/e164';
import { extractHashtags, normalizeHashtags } from '@/lib/channels/text';
import { formatPath, IsoTimestamp, readJsonBody } from '@/lib/channels/validate';

/** Most items one batch (JSON or CSV) may carry; larger imports are split by the caller. */
export const maxBatchItems = 5_000;

const Count = z.number().int().nonnegative();
const Id = z.string().trim().min(1).max(512);

/**
 * One mention in the generic batch API, any channel. Documented shape:
 * `{ channel, externalId, text, occurredAt (ISO 8601 with zone), author: { externalId?, handle?, name?, email?, phone?, followers?, accountCreatedAt? },
 *    kind?, threadKey?, inReplyTo?, isPublic?, promoted?, metrics?: { impressions?, likes?, reposts?, replies? }, hashtags?, lang? }`.
 * The author needs at least one of externalId, handle, email or phone; kind and isPublic default from the channel.
 */
export const BatchMention = z.object({
  channel: Channel,
  externalId: Id,
  kind: MentionKind.optional(),
  text: z.string().max(100_000),
  occurredAt: IsoTimestamp,
  author: z
    .object({
      externalId: Id.optional(),
      handle: z.string().trim().min(1).max(100).optional(),
      name: z.string().trim().min(1).max(300).optional(),
      email: z.email().optional(),
      phone: z.string().trim().min(1).max(40).optional(),
      followers: Count.optional(),
      accountCreatedAt: IsoTimestamp.optional(),
    })
    .refine((a) => a.externalId || a.handle || a.email || a.phone, 'the author needs at least one of externalId, handle, email or phone'),
  threadKey: Id.optional(),
  inReplyTo: Id.optional(),
  isPublic: z.boolean().optional(),
  promoted: z.boolean().optional(),
  metrics: z.object({ impressions: Count.optional(), likes: Count.optional(), reposts: Count.optional(), replies: Count.optional() }).optional(),
  hashtags: z.array(z.string().max(200)).max(100).optional(),
  lang: z.string().trim().min(2).max(35).optional(),
});
export type BatchMention = z.infer<typeof BatchMention>;

/** One bad item of a batch: its position and what is wrong where. */
export type BatchProblem = { index: number; path: string; message: string };

export type BatchOptions = { defaultCallingCode?: string };

/** The kind a channel's messages have when the batch does not say. */
export function defaultKindOf(channel: Channel): MentionKind {
  switch (channel) {
    case 'x':
    case 'facebook':
    case 'instagram':
      return 'post';
    case 'email':
      return 'email';
    case 'phone':
      return 'call';
    case 'chat':
      return 'chat';
    default:
      return exhaustiveSwitchError(channel);
  }
}

/** Whether a message of this channel and kind is visible to the public when the batch does not say. */
export function defaultIsPublic(channel: Channel, kind: MentionKind): boolean {
  switch (channel) {
    case 'x':
    case 'facebook':
    case 'instagram':
      return kind !== 'direct_message';
    case 'email':
    case 'phone':
    case 'chat':
      return false;
    default:
      return exhaustiveSwitchError(channel);
  }
}

/**
 * Validates every item and normalizes the good ones; returns all problems rather than stopping at the first,
 * so a caller can reject the whole batch and tell the sender everything to fix at once.
 */
export function checkBatchItems(items: readonly unknown[], options: BatchOptions = {}, rawOf: (index: number) => unknown = (i) => items[i]): { mentions: NormalizedMention[]; problems: BatchProblem[] } {
  const mentions: NormalizedMention[] = [];
  const problems: BatchProblem[] = [];
  const firstIndexOf = new Map<string, number>();

  items.forEach((item, index) => {
    const result = BatchMention.safeParse(item);
    if (!result.success) {
      for (const issue of result.error.issues) problems.push({ index, path: formatPath(issue.path), message: issue.message });
      return;
    }
    const m = result.data;
    const phone = m.author.phone === undefined ? undefined : toE164(m.author.phone, options.defaultCallingCode);
    if (m.author.phone !== undefined && !phone) {
      problems.push({ index, path: 'author.phone', message: `"${m.author.phone}" is not a phone number in E.164 form (e.g. +34600111222)` });
      return;
    }
    const key = `${m.channel}\u0000${m.externalId}`;
    const first = firstIndexOf.get(key);
    if (first !== undefined) {
      problems.push({ index, path: 'externalId', message: `repeats ${m.channel} externalId "${m.externalId}" of item ${first}` });
      return;
    }
    firstIndexOf.set(key, index);

    const kind = m.kind ?? defaultKindOf(m.channel);
    const handle = m.author.handle?.replace(/^@/, '');
    const email = m.author.email?.toLowerCase();
    mentions.push({
      channel: m.channel,
      externalId: m.externalId,
      kind,
      text: m.text,
      occurredAt: m.occurredAt,
      author: {
        // The first identity the source gave us stands in for a platform id it did not export.
        externalId: m.author.externalId ?? handle ?? email ?? phone ?? '',
        ...(handle !== undefined && { handle }),
        ...(m.author.name !== undefined && { name: m.author.name }),
        ...(email !== undefined && { email }),
        ...(phone !== undefined && { phone }),
        ...(m.author.followers !== undefined && { followers: m.author.followers }),
        ...(m.author.accountCreatedAt !== undefined && { accountCreatedAt: m.author.accountCreatedAt }),
      },
      ...(m.threadKey !== undefined && { threadKey: m.threadKey }),
      ...(m.inReplyTo !== undefined && { inReplyTo: m.inReplyTo }),
      isPublic: m.isPublic ?? defaultIsPublic(m.channel, kind),
      ...(m.promoted !== undefined && { promoted: m.promoted }),
      ...(m.metrics !== undefined && { metrics: m.metrics }),
      hashtags: m.hashtags ? normalizeHashtags(m.hashtags) : extractHashtags(m.text),
      ...(m.lang !== undefined && { lang: m.lang }),
      raw: rawOf(index),
    });
  });
  return { mentions, problems };
}

/** The error for a rejected batch: how many items are bad, the first few in the message, all of them in the details. */
export function batchRejected(problems: readonly BatchProblem[], total: number, where: (p: BatchProblem) => string): DomainError {
  const badItems = new Set(problems.map((p) => p.index)).size;
  const shown = problems.slice(0, 10).map((p) => `${where(p)}: ${p.message}`);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more problems` : '';
  return invalidInput(`Batch rejected, nothing was stored: ${badItems} of ${total} items are invalid. ${shown.join('; ')}${more}`, { problems });
}

/** Validates a whole batch (JSON array, raw or parsed) and returns its mentions, or rejects all of it naming every bad item and path. */
export function parseMentionBatch(body: unknown, options: BatchOptions = {}): NormalizedMention[] {
  const input = readJsonBody(body, 'Mention batch');
  if (!Array.isArray(input)) throw invalidInput('Mention batch is invalid: expected a JSON array of mentions.');
  if (input.length > maxBatchItems) throw new DomainError('TOO_LARGE', `Mention batch has ${input.length} items; the limit is ${maxBatchItems}. Split it into smaller batches.`);
  const { mentions, problems } = checkBatchItems(input, options);
  if (problems.length > 0) throw batchRejected(problems, input.length, (p) => `[${p.index}]${p.path ? `.${p.path}` : ''}`);
  return mentions;
}
