import { z } from 'zod';
import type { InstagramMentionToFetch } from '@/lib/channels/meta/parse';
import { hmacSha256 } from '@/lib/channels/signature';
import { extractHashtags } from '@/lib/channels/text';
import type { NormalizedMention } from '@/lib/channels/types';
import { describeProblems, problemsOf } from '@/lib/channels/validate';

/** Where the Graph API lives unless META_GRAPH_URL says otherwise (tests point it at a fake). */
export const defaultGraphUrl = 'https://graph.facebook.com';
/** The Graph API version every request names in its path; Meta keeps a version working for two years. */
export const graphApiVersion = 'v21.0';

/** The comment fields asked for on `mentioned_comment` (an IG Comment); `from` and `username` name its author. */
export const mentionedCommentFields = 'id,text,timestamp,username,from,media{id}';
/** The media fields asked for on `mentioned_media` (an IG Media); `username` is its owner's. */
export const mentionedMediaFields = 'id,caption,timestamp,username,media_type,permalink';

/**
 * Graph error codes that mean "too many calls, wait": 4 app, 17 user, 32 page, 613 call rate, 341 app limit. They and
 * temporary trouble on Meta's side (1 unknown, 2 service, any 5xx) are retried.
 */
const rateLimitCodes = new Set([4, 17, 32, 341, 613]);
/**
 * Codes no retry can fix: 100 invalid parameter or unknown object (deleted, private, comments turned off), 102 and 190
 * session or access token invalid or expired, 10 and 200–299 a missing permission.
 */
const permanentCode = (code: number) => code === 100 || code === 102 || code === 190 || code === 10 || (code >= 200 && code <= 299);

/** The error body the Graph API answers with: `{ error: { message, type, code, error_subcode?, fbtrace_id } }`. */
const GraphErrorBody = z.object({
  error: z.object({
    message: z.string(),
    type: z.string().optional(),
    code: z.number().int(),
    error_subcode: z.number().int().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

/** A failed Graph API call: what Meta said, and whether asking again later can help. */
export class GraphApiError extends Error {
  override name = 'GraphApiError';
  constructor(
    message: string,
    readonly info: { status?: number; code?: number; subcode?: number; type?: string; fbtraceId?: string; retryable: boolean; rateLimited: boolean },
  ) {
    super(message);
  }
}

/**
 * The words of an answer that is not Meta's JSON, usually a proxy's HTML error page: its markup (and any script or
 * style in it) left out, so the Channels page and the log say "Service Unavailable", not a page of tags.
 */
function plainTextOf(body: string): string {
  return body
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->|<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Classifies an error answer: a permanent code never retries, throttling and 5xx do, anything else retries until attempts run out. */
function errorOf(status: number, bodyText: string): GraphApiError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    parsed = undefined;
  }
  const body = GraphErrorBody.safeParse(parsed);
  if (!body.success) {
    const excerpt = plainTextOf(bodyText).slice(0, 160);
    return new GraphApiError(`the Graph API answered HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`, { status, retryable: status >= 500 || status === 429 || status === 408, rateLimited: status === 429 });
  }
  const e = body.data.error;
  const rateLimited = rateLimitCodes.has(e.code);
  const retryable = !permanentCode(e.code);
  const label = [`code ${e.code}`, e.error_subcode !== undefined && `subcode ${e.error_subcode}`, e.type, e.fbtrace_id && `fbtrace_id ${e.fbtrace_id}`].filter(Boolean).join(', ');
  return new GraphApiError(`${e.message} (${label})`, {
    status,
    code: e.code,
    ...(e.error_subcode !== undefined && { subcode: e.error_subcode }),
    ...(e.type !== undefined && { type: e.type }),
    ...(e.fbtrace_id !== undefined && { fbtraceId: e.fbtrace_id }),
    retryable,
    rateLimited,
  });
}

/** How to reach the Graph API for one Instagram account. */
export interface GraphAccess {
  /** Base URL without the version (https://graph.facebook.com). */
  graphUrl: string;
  /** A Page or user access token with instagram_basic and instagram_manage_comments. */
  accessToken: string;
  /** The Meta app's secret: when set, every call carries `appsecret_proof`, which "Require App Secret" apps insist on. */
  appSecret?: string;
  timeoutMs?: number;
}

/** The URL of `GET /{ig-user-id}?fields=…` with the token (and its app secret proof) as query parameters, as Meta documents. */
export function graphRequestUrl(access: GraphAccess, igUserId: string, fields: string): URL {
  const url = new URL(`${access.graphUrl.replace(/\/+$/, '')}/${graphApiVersion}/${encodeURIComponent(igUserId)}`);
  url.searchParams.set('fields', fields);
  url.searchParams.set('access_token', access.accessToken);
  if (access.appSecret) url.searchParams.set('appsecret_proof', hmacSha256(access.appSecret, access.accessToken).toString('hex'));
  return url;
}

/** Graph ids are numeric strings; anything else would change the field expansion it is spliced into. */
function graphId(id: string, what: string): string {
  if (/^\d{1,40}$/.test(id)) return id;
  throw new GraphApiError(`the ${what} "${id.slice(0, 40)}" is not a Graph id (digits only)`, { retryable: false, rateLimited: false });
}

/** GETs a node and returns its JSON body; throws GraphApiError (never with the token in its message). */
async function graphGet(access: GraphAccess, igUserId: string, fields: string): Promise<unknown> {
  const url = graphRequestUrl(access, igUserId, fields);
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(access.timeoutMs ?? 15_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${access.timeoutMs ?? 15_000} ms` : cause?.code ?? cause?.message ?? (error as Error).message;
    throw new GraphApiError(`the Graph API could not be reached: ${reason}`, { retryable: true, rateLimited: false });
  }
  const text = await response.text();
  if (!response.ok) throw errorOf(response.status, text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GraphApiError(`the Graph API answered HTTP ${response.status} with a body that is not JSON`, { status: response.status, retryable: true, rateLimited: false });
  }
}

/** Meta writes times as ISO 8601 with a `+0000` offset, which zod's ISO check refuses. */
const GraphTimestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/, 'expected a time like 2017-05-03T16:09:08+0000')
  .transform((s) => new Date(s))
  .refine((d) => !Number.isNaN(d.getTime()), 'expected a valid time');

/** `GET /{ig-user-id}?fields=mentioned_comment.comment_id(…){…}`: the comment in which the account was @mentioned. */
export const MentionedCommentResponse = z.object({
  id: z.string(),
  mentioned_comment: z.object({
    id: z.string().min(1),
    text: z.string(),
    timestamp: GraphTimestamp.optional(),
    username: z.string().optional(),
    from: z.object({ id: z.string().min(1), username: z.string().optional() }).optional(),
    media: z.object({ id: z.string().min(1) }).optional(),
  }),
});
export type MentionedCommentResponse = z.infer<typeof MentionedCommentResponse>;

/** `GET /{ig-user-id}?fields=mentioned_media.media_id(…){…}`: the media whose caption @mentioned the account. */
export const MentionedMediaResponse = z.object({
  id: z.string(),
  mentioned_media: z.object({
    id: z.string().min(1),
    caption: z.string().optional(),
    timestamp: GraphTimestamp.optional(),
    username: z.string().optional(),
    media_type: z.string().optional(),
    permalink: z.string().optional(),
  }),
});
export type MentionedMediaResponse = z.infer<typeof MentionedMediaResponse>;

/** An answer that is not what Meta documents: asking again would get the same, so it is not retried. */
function parseAnswer<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new GraphApiError(`the Graph API's ${what} answer is not as documented: ${describeProblems(problemsOf(result.error))}`, { retryable: false, rateLimited: false });
}

/** What fetching a mention gave: a mention to ingest, or nothing because the account mentioned itself. */
export type FetchedMention = { mention: NormalizedMention } | { skipped: string };

/**
 * Fetches an id-only mention's text and author through the IG User node's field expansion (`mentioned_comment` or
 * `mentioned_media`) and normalizes it; the Graph answer is kept as `raw`. Throws GraphApiError.
 */
export async function fetchInstagramMention(access: GraphAccess, target: InstagramMentionToFetch): Promise<FetchedMention> {
  const igUserId = graphId(target.accountId, 'Instagram account id');
  const mediaId = graphId(target.mediaId, 'media id');
  if (target.commentId !== undefined) {
    const commentId = graphId(target.commentId, 'comment id');
    const body = await graphGet(access, igUserId, `mentioned_comment.comment_id(${commentId}){${mentionedCommentFields}}`);
    return mentionOfMentionedComment(parseAnswer(MentionedCommentResponse, body, 'mentioned_comment'), body, { ...target, mediaId });
  }
  const body = await graphGet(access, igUserId, `mentioned_media.media_id(${mediaId}){${mentionedMediaFields}}`);
  return mentionOfMentionedMedia(parseAnswer(MentionedMediaResponse, body, 'mentioned_media'), body, target);
}

/** A comment that @mentioned the account; its author is `from` (IGSID and username), else the bare `username`. */
export function mentionOfMentionedComment(answer: MentionedCommentResponse, raw: unknown, target: InstagramMentionToFetch): FetchedMention {
  const comment = answer.mentioned_comment;
  if (comment.from?.id === target.accountId) return { skipped: 'the account mentioned itself' };
  const handle = comment.from?.username ?? comment.username;
  // Keyed like the comments webhook keys its authors (the IGSID), so both land on one customer; a bare username keys as a handle.
  const externalId = comment.from?.id ?? handle;
  if (!externalId) throw new GraphApiError('the Graph API named no author for the comment (neither from nor username)', { retryable: false, rateLimited: false });
  const mediaId = comment.media?.id ?? target.mediaId;
  return {
    mention: {
      channel: 'instagram',
      externalId: comment.id,
      kind: 'comment',
      text: comment.text,
      occurredAt: comment.timestamp ?? target.notifiedAt,
      author: { externalId, ...(handle !== undefined && { handle }) },
      threadKey: mediaId,
      inReplyTo: mediaId,
      isPublic: true,
      hashtags: extractHashtags(comment.text),
      raw,
    },
  };
}

/** A post whose caption @mentioned the account; the Graph API names its owner by username only. */
export function mentionOfMentionedMedia(answer: MentionedMediaResponse, raw: unknown, target: InstagramMentionToFetch): FetchedMention {
  const media = answer.mentioned_media;
  if (!media.username) throw new GraphApiError('the Graph API named no author for the media (no username)', { retryable: false, rateLimited: false });
  const text = media.caption ?? '';
  return {
    mention: {
      channel: 'instagram',
      externalId: media.id,
      kind: 'post',
      text,
      occurredAt: media.timestamp ?? target.notifiedAt,
      author: { externalId: media.username, handle: media.username },
      threadKey: media.id,
      isPublic: true,
      hashtags: extractHashtags(text),
      raw,
    },
  };
}
