import { z } from 'zod';
import { type MentionAuthor, type NormalizedMention, unverifiedAuthor } from '@/lib/channels/types';
import { extractHashtags } from '@/lib/channels/text';
import { IsoTimestamp, parseOrThrow, readJsonBody } from '@/lib/channels/validate';

/** One message a visitor typed into the web chat widget. */
export const ChatMessage = z.object({
  sessionId: z.string().trim().min(1).max(200),
  messageId: z.string().trim().min(1).max(200),
  visitor: z.object({
    id: z.string().trim().min(1).max(200),
    name: z.string().trim().min(1).optional(),
    email: z.string().trim().min(3).optional(),
    /**
     * True when the site signed the visitor in and vouches for the address. A visitor can type anyone's address into
     * a chat box: unvouched, it stays a claim, and the chat is kept apart from the customer who owns it.
     */
    emailVerified: z.boolean().optional(),
  }),
  text: z.string().max(20_000),
  sentAt: IsoTimestamp,
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** Turns a chat widget message (raw JSON or parsed) into a mention threaded by its session. */
export function parseChatMessage(body: unknown): NormalizedMention {
  const input = readJsonBody(body, 'Chat message');
  const message = parseOrThrow(ChatMessage, input, 'Chat message');
  const email = message.visitor.email?.toLowerCase();
  const author: MentionAuthor = {
    externalId: message.visitor.id,
    ...(message.visitor.name !== undefined && { name: message.visitor.name }),
    ...(email !== undefined && { email }),
  };
  return {
    channel: 'chat',
    // Widgets number messages per session, so the session makes the id unique per connection.
    externalId: `${message.sessionId}/${message.messageId}`,
    kind: 'chat',
    text: message.text,
    occurredAt: message.sentAt,
    // An address the site did not vouch for is a claim, kept apart as an unauthenticated email's is.
    author: email !== undefined && message.visitor.emailVerified !== true ? unverifiedAuthor(author, { email }) : author,
    threadKey: message.sessionId,
    isPublic: false,
    hashtags: extractHashtags(message.text),
    raw: input,
  };
}
