import { exhaustiveSwitchError } from '@/lib/errors';
import { type Channel, type ClaimedAddress, claimedAddressOf, type MentionAuthor, type NormalizedMention, unverifiedAddressKey, unverifiedSenderPrefix } from '@/lib/channels/types';
import { toE164 } from '@/lib/channels/e164';

/** Lowercased, trimmed email without "mailto:", or undefined when it is not an address. Dots and +tags are kept: they may be different people. */
export function normalizeEmail(email: string): string | undefined {
  const clean = email.trim().replace(/^mailto:/i, '').toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(clean) ? clean : undefined;
}

/** A handle as the channel compares it: without '@', lowercased, in the channel's alphabet; undefined when invalid. */
export function normalizeHandle(channel: Channel, handle: string): string | undefined {
  const clean = handle.trim().replace(/^@/, '').toLowerCase();
  switch (channel) {
    case 'x':
      return /^[a-z0-9_]{1,50}$/.test(clean) ? clean : undefined;
    case 'instagram':
      return /^[a-z0-9._]{1,30}$/.test(clean) ? clean : undefined;
    case 'facebook':
      return /^[a-z0-9.]{1,50}$/.test(clean) ? clean : undefined;
    case 'email':
    case 'phone':
    case 'chat':
      return clean && !/\s/.test(clean) ? clean : undefined;
    default:
      return exhaustiveSwitchError(channel);
  }
}

/** `x:@name`: a handle identity on one channel. */
export function handleKey(channel: Channel, handle: string): string | undefined {
  const clean = normalizeHandle(channel, handle);
  return clean ? `${channel}:@${clean}` : undefined;
}

/** `email:name@example.com`. */
export function emailKey(email: string): string | undefined {
  const clean = normalizeEmail(email);
  return clean ? `email:${clean}` : undefined;
}

/** `phone:+34600112233` (E.164). */
export function phoneKey(phone: string, defaultCallingCode?: string): string | undefined {
  const e164 = toE164(phone, defaultCallingCode);
  return e164 ? `phone:${e164}` : undefined;
}

/**
 * A phone number as an import or a form wrote it, in E.164 when the organization's country calling code makes a
 * national number one (`600 112 233` with 34 → `+34600112233`); otherwise as written, for the usual checks to judge.
 */
export function inCallingCode(phone: string, defaultCallingCode: string | null | undefined): string {
  return (defaultCallingCode && toE164(phone, defaultCallingCode)) || phone;
}

/** `x:id:1498374`: the platform's stable account id, which survives a handle change. */
export function accountKey(channel: Channel, externalId: string): string | undefined {
  const clean = externalId.trim();
  return clean ? `${channel}:id:${clean}` : undefined;
}

/**
 * `unverified:name@example.com` or `unverified:phone:+34600112233`: an address an email or chat claimed, or a caller id
 * a call claimed, that nobody vouched for; it links to nothing else. Undefined when the address does not parse.
 */
export function unverifiedKey(address: ClaimedAddress, defaultCallingCode?: string): string | undefined {
  if ('email' in address) {
    const clean = normalizeEmail(address.email);
    return clean ? unverifiedAddressKey({ email: clean }) : undefined;
  }
  const e164 = toE164(address.phone, defaultCallingCode);
  return e164 ? unverifiedAddressKey({ phone: e164 }) : undefined;
}

/** The one key of an unverified author, from the address or number it claims. */
function unverifiedKeyOf(author: MentionAuthor, defaultCallingCode: string | undefined): string {
  const id = author.externalId.trim();
  const claimed = claimedAddressOf(id);
  // Something that does not even parse still gets a key of its own, never a shared one.
  if ((claimed && 'phone' in claimed) || (author.email === undefined && author.phone !== undefined)) {
    const phone = claimed && 'phone' in claimed ? claimed.phone : author.phone!;
    return unverifiedKey({ phone }, defaultCallingCode) ?? unverifiedAddressKey({ phone: phone.trim() });
  }
  const email = (author.email ?? (claimed && 'email' in claimed ? claimed.email : id)).trim();
  return unverifiedKey({ email }) ?? unverifiedAddressKey({ email: email.toLowerCase() });
}

/** Whether an identity key (or a stored author id) is an unverified sender's or caller's, which must never join or merge into another customer. */
export const isUnverifiedKey = (key: string) => key.startsWith(unverifiedSenderPrefix);

/**
 * The keys that link a mention's author to one customer across channels: account id, handle, email, phone.
 * Two mentions sharing any key are the same person. An unverified sender or caller gets one key of its own, whatever
 * else it claims.
 */
export function identityKeysOf(mention: Pick<NormalizedMention, 'channel' | 'author'>, options: { defaultCallingCode?: string } = {}): string[] {
  const { channel, author } = mention;
  if (author.verified === false || isUnverifiedKey(author.externalId)) return [unverifiedKeyOf(author, options.defaultCallingCode)];
  const keys: (string | undefined)[] = [];
  const handle = author.handle ? normalizeHandle(channel, author.handle) : undefined;
  const email = author.email ? normalizeEmail(author.email) : undefined;
  const phone = author.phone ? toE164(author.phone, options.defaultCallingCode) : undefined;
  const id = author.externalId.trim();
  // Email and phone mentions, and imports without a platform id, carry an address as the id: key it as what it is.
  if (normalizeEmail(id)) keys.push(emailKey(id));
  else if ((channel === 'phone' || id === phone) && toE164(id, options.defaultCallingCode)) keys.push(phoneKey(id, options.defaultCallingCode));
  else if (!(handle && id.replace(/^@/, '').toLowerCase() === handle)) keys.push(accountKey(channel, id));
  if (handle) keys.push(`${channel}:@${handle}`);
  if (email) keys.push(`email:${email}`);
  if (phone) keys.push(`phone:${phone}`);
  return [...new Set(keys.filter((k): k is string => k !== undefined))];
}
