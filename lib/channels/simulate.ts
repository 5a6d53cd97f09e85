import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { SimulatorConnection } from '@/lib/channels/connections';
import { metaSignatureHeader } from '@/lib/channels/meta/verify';
import type { CallerVerification } from '@/lib/channels/phone/parse';
import { hmacSha256, signStormdeskBody, stormdeskSignatureHeader } from '@/lib/channels/signature';
import { Channel } from '@/lib/channels/types';
import { xSignatureHeader } from '@/lib/channels/x/verify';
import { exhaustiveSwitchError } from '@/lib/errors';

/** One message a simulated customer sends, whatever the channel; turned into that platform's own payload by `buildDelivery`. */
export const SimulatedMessage = z.object({
  channel: Channel,
  /** Unique per scenario run; platform ids are derived from it. */
  id: z.string().min(1),
  text: z.string(),
  at: z.date(),
  direct: z.boolean().default(false),
  author: z.object({
    id: z.string().min(1),
    handle: z.string().optional(),
    name: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
    followers: z.number().int().nonnegative().optional(),
    accountCreatedAt: z.date().optional(),
  }),
  promoted: z.boolean().optional(),
  impressions: z.number().int().nonnegative().optional(),
  lang: z.string().optional(),
  /**
   * Someone else's address: an email's simulated mail server verdict fails; a chat visitor's address is not vouched for;
   * a call's caller id is spoofed, so the carrier attests it at gateway level only (C).
   */
  forgedFrom: z.boolean().optional(),
});
export type SimulatedMessage = z.input<typeof SimulatedMessage>;

/** The authserv-id the simulated receiving mail server writes; simulator email connections trust it. */
export const simulatorMailServer = 'mx.simulator.stormdesk.example';

/** The Authentication-Results header the simulated mail server puts on top of a message from `address`. */
export function simulatedAuthenticationResults(address: string, forged: boolean): string {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return forged
    ? `Authentication-Results: ${simulatorMailServer}; dkim=none; spf=fail smtp.mailfrom=${address}; dmarc=fail header.from=${domain}`
    : `Authentication-Results: ${simulatorMailServer}; dkim=pass header.d=${domain}; spf=pass smtp.mailfrom=${address}; dmarc=pass header.from=${domain}`;
}

/**
 * The STIR/SHAKEN result the simulated carrier reports for a caller id, as Twilio's StirVerstat: full attestation for
 * the caller's own line; a spoofed number enters through a gateway that can vouch for nothing (C).
 */
export function simulatedCallerVerification(spoofed: boolean): CallerVerification {
  return spoofed ? 'TN-Validation-Passed-C' : 'TN-Validation-Passed-A';
}

/** An HTTP request exactly as the platform would send it: path, headers (signed) and body. */
export interface Delivery {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A stable numeric id (X ids are numeric strings) derived from any text. */
export function numericIdOf(text: string): string {
  const digest = createHash('sha256').update(text).digest();
  return (digest.readBigUInt64BE(0) % 9_000_000_000_000_000_000n + 1_000_000_000_000_000_000n).toString();
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad = (n: number) => String(n).padStart(2, '0');

/** "Wed Oct 10 20:19:24 +0000 2018", as X v1.1 writes dates. */
export function xDate(date: Date): string {
  return `${days[date.getUTCDay()]} ${months[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000 ${date.getUTCFullYear()}`;
}

const hashtagsIn = (text: string) => [...text.matchAll(/#([\p{L}\p{N}_]+)/gu)].map((m) => ({ text: m[1]! }));

/** The platform payload of one message, signed with the connection's secrets the way that platform signs. */
export function buildDelivery(input: SimulatedMessage, connection: SimulatorConnection): Delivery {
  const m = SimulatedMessage.parse(input);
  const secret = (name: string) => connection.secrets[name] ?? '';
  const stormdesk = (body: string, contentType: string): Delivery => ({
    method: 'POST',
    path: connection.webhookPath,
    headers: { 'content-type': contentType, [stormdeskSignatureHeader]: signStormdeskBody(body, secret('sharedSecret')) },
    body,
  });
  switch (m.channel) {
    case 'x': {
      const userId = numericIdOf(`user:${m.author.id}`);
      const payload = m.direct
        ? {
            for_user_id: connection.externalAccountId,
            direct_message_events: [{ type: 'message_create', id: numericIdOf(m.id), created_timestamp: String(m.at.getTime()), message_create: { sender_id: userId, target: { recipient_id: connection.externalAccountId }, message_data: { text: m.text } } }],
            users: { [userId]: { id: userId, screen_name: m.author.handle, name: m.author.name, followers_count: m.author.followers } },
          }
        : {
            for_user_id: connection.externalAccountId,
            tweet_create_events: [
              {
                id_str: numericIdOf(m.id),
                created_at: xDate(m.at),
                text: m.text,
                user: {
                  id_str: userId,
                  screen_name: m.author.handle ?? `user${userId.slice(-6)}`,
                  ...(m.author.name && { name: m.author.name }),
                  ...(m.author.followers !== undefined && { followers_count: m.author.followers }),
                  ...(m.author.accountCreatedAt && { created_at: xDate(m.author.accountCreatedAt) }),
                },
                entities: { hashtags: hashtagsIn(m.text) },
                ...(m.lang && { lang: m.lang }),
                ...(m.impressions !== undefined && { public_metrics: { impression_count: m.impressions } }),
                ...(m.promoted && { promoted: true, promoted_metadata: { campaign: 'simulated' } }),
              },
            ],
          };
      const body = JSON.stringify(payload);
      return { method: 'POST', path: connection.webhookPath, headers: { 'content-type': 'application/json', [xSignatureHeader]: `sha256=${hmacSha256(secret('consumerSecret'), body).toString('base64')}` }, body };
    }
    case 'facebook':
    case 'instagram': {
      const senderId = numericIdOf(`${m.channel}:${m.author.id}`);
      const time = Math.floor(m.at.getTime() / 1000);
      const entry = m.direct
        ? { id: connection.externalAccountId, time: m.at.getTime(), messaging: [{ sender: { id: senderId }, recipient: { id: connection.externalAccountId }, timestamp: m.at.getTime(), message: { mid: `m_${numericIdOf(m.id)}`, text: m.text } }] }
        : m.channel === 'facebook'
          ? {
              id: connection.externalAccountId,
              time,
              changes: [{ field: 'feed', value: { item: 'comment', verb: 'add', from: { id: senderId, ...(m.author.name && { name: m.author.name }) }, post_id: `${connection.externalAccountId}_100`, comment_id: `100_${numericIdOf(m.id)}`, message: m.text, created_time: time } }],
            }
          : {
              id: connection.externalAccountId,
              time,
              changes: [{ field: 'comments', value: { id: numericIdOf(m.id), text: m.text, from: { id: senderId, ...(m.author.handle && { username: m.author.handle }) }, media: { id: '17900000000000001' } } }],
            };
      const body = JSON.stringify({ object: m.channel === 'facebook' ? 'page' : 'instagram', entry: [entry] });
      return { method: 'POST', path: connection.webhookPath, headers: { 'content-type': 'application/json', [metaSignatureHeader]: `sha256=${hmacSha256(secret('appSecret'), body).toString('hex')}` }, body };
    }
    case 'email': {
      const address = m.author.email ?? `${m.author.id}@example.net`;
      const [subject, ...rest] = m.text.split('\n');
      const from = m.author.name ? `"${m.author.name.replace(/"/g, '')}" <${address}>` : address;
      const body = [
        simulatedAuthenticationResults(address, m.forgedFrom ?? false),
        `From: ${from}`,
        `To: care@${connection.externalAccountId}.example`,
        `Subject: =?UTF-8?B?${Buffer.from(subject ?? '', 'utf8').toString('base64')}?=`,
        `Message-ID: <${m.id}@simulator.stormdesk.example>`,
        `Date: ${m.at.toUTCString().replace('GMT', '+0000')}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        rest.join('\n').trim() || (subject ?? ''),
        '',
      ].join('\r\n');
      return stormdesk(body, 'message/rfc822');
    }
    case 'phone':
      return stormdesk(
        JSON.stringify({
          callId: m.id,
          direction: 'inbound',
          from: m.author.phone ?? '+15550100000',
          to: '+15550009999',
          startedAt: m.at.toISOString(),
          durationSeconds: 180,
          agentSummary: m.text,
          ...(m.author.name && { callerName: m.author.name }),
          callerVerification: simulatedCallerVerification(m.forgedFrom ?? false),
        }),
        'application/json',
      );
    case 'chat':
      return stormdesk(
        JSON.stringify({ sessionId: `session-${m.author.id}`, messageId: m.id, visitor: { id: m.author.id, ...(m.author.name && { name: m.author.name }), ...(m.author.email && { email: m.author.email, emailVerified: !m.forgedFrom }) }, text: m.text, sentAt: m.at.toISOString() }),
        'application/json',
      );
    default:
      return exhaustiveSwitchError(m.channel);
  }
}

/**
 * An Instagram `mentions` webhook as Meta sends it: ids only (the media, and the comment when the mention is in one),
 * signed with the app secret. Stormdesk fetches the text and author from the Graph API with the connection's token.
 */
export function buildInstagramMentionDelivery(mention: { mediaId: string; commentId?: string; at: Date }, connection: SimulatorConnection): Delivery {
  const value = { media_id: mention.mediaId, ...(mention.commentId !== undefined && { comment_id: mention.commentId }) };
  const body = JSON.stringify({ object: 'instagram', entry: [{ id: connection.externalAccountId, time: Math.floor(mention.at.getTime() / 1000), changes: [{ field: 'mentions', value }] }] });
  return { method: 'POST', path: connection.webhookPath, headers: { 'content-type': 'application/json', [metaSignatureHeader]: `sha256=${hmacSha256(connection.secrets.appSecret ?? '', body).toString('hex')}` }, body };
}
