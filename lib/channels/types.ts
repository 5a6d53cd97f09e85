import { z } from 'zod';

/** Every channel Stormdesk listens to; shared by the column enum and input schemas. */
export const channels = ['x', 'facebook', 'instagram', 'email', 'phone', 'chat'] as const;
export const Channel = z.enum(channels);
export type Channel = z.infer<typeof Channel>;

/** What sort of message a mention is, whatever its channel. */
export const mentionKinds = ['post', 'comment', 'direct_message', 'email', 'call', 'chat'] as const;
export const MentionKind = z.enum(mentionKinds);
export type MentionKind = z.infer<typeof MentionKind>;

/**
 * Prefix of the author id and identity key of a sender whose address nobody vouched for: `unverified:a@b.example` for
 * an email address, `unverified:phone:+34600112233` for a caller id.
 */
export const unverifiedSenderPrefix = 'unverified:';

/** The address an unverified sender claims: the From or chat address, or the caller id (E.164). */
export type ClaimedAddress = { email: string } | { phone: string };

const claimedPhonePrefix = 'phone:';

/** `unverified:<email>` (the form stored since email senders were first checked) or `unverified:phone:<E.164>`. */
export function unverifiedAddressKey(address: ClaimedAddress): string {
  return 'email' in address ? `${unverifiedSenderPrefix}${address.email}` : `${unverifiedSenderPrefix}${claimedPhonePrefix}${address.phone}`;
}

/** The address an unverified key (or author id) claims, as `unverifiedAddressKey` wrote it; null for any other key. */
export function claimedAddressOf(key: string): ClaimedAddress | null {
  if (!key.startsWith(unverifiedSenderPrefix)) return null;
  const claimed = key.slice(unverifiedSenderPrefix.length);
  return claimed.startsWith(claimedPhonePrefix) ? { phone: claimed.slice(claimedPhonePrefix.length) } : { email: claimed };
}

/** The person who wrote a mention, as the channel knows them. */
export type MentionAuthor = {
  /** The platform's stable id for the author (X user id, Meta scoped id, email address, E.164 phone, chat visitor id). */
  externalId: string;
  /** Public handle without '@', as the platform spells it. */
  handle?: string;
  name?: string;
  /** Lowercased and trimmed. */
  email?: string;
  /** E.164, e.g. +34600111222. */
  phone?: string;
  followers?: number;
  accountCreatedAt?: Date;
  /**
   * Whether the channel proved the author owns the address: the email adapter from our receiving server's verdict,
   * the chat adapter from the site vouching for its visitor, the phone adapter from the caller id's STIR/SHAKEN
   * attestation (or from our own dialling). `false` comes with `unverifiedAuthor`.
   */
  verified?: boolean;
};

/**
 * An author whose address nobody vouched for: keyed `unverified:<email>` or `unverified:phone:<E.164>`, apart from
 * the customer who really owns that address or number.
 */
export function unverifiedAuthor(author: MentionAuthor, address: ClaimedAddress): MentionAuthor {
  return { ...author, externalId: unverifiedAddressKey(address), verified: false };
}

export type MentionMetrics = {
  impressions?: number;
  likes?: number;
  reposts?: number;
  replies?: number;
};

/**
 * One inbound message from any channel, in one shape. `text` is plain text exactly as written:
 * markup in it is data, never sanitized and never rendered as HTML.
 */
export type NormalizedMention = {
  channel: Channel;
  /** Stable across webhook retries, so (channel, externalId) deduplicates. */
  externalId: string;
  kind: MentionKind;
  text: string;
  occurredAt: Date;
  author: MentionAuthor;
  /** Groups messages of one conversation: email thread root, replied-to post, DM partner, chat session. */
  threadKey?: string;
  inReplyTo?: string;
  isPublic: boolean;
  promoted?: boolean;
  metrics?: MentionMetrics;
  /** Lowercased, without '#', without duplicates. */
  hashtags: string[];
  /** Language as the platform reported it (BCP 47), when it did. */
  lang?: string;
  /** The platform's own payload for this item, kept as received. */
  raw: unknown;
};
