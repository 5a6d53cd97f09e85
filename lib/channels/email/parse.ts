import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject } from 'mailparser';
import { DomainError, invalidInput } from '@/lib/errors';
import type { NormalizedMention } from '@/lib/channels/types';
import type { RawBody } from '@/lib/channels/signature';
import { extractHashtags } from '@/lib/channels/text';

/** Largest message we parse; attachments beyond this belong in object storage, not in a mention. */
export const maxEmailBytes = 25 * 1024 * 1024;

/**
 * Parses one raw RFC 822 message into a mention: the sender is the author, subject and body are the text
 * (HTML-only bodies become plain text), Message-ID is the externalId and the thread root is the threadKey.
 */
export async function parseEmail(raw: RawBody, options: { receivedAt?: Date } = {}): Promise<NormalizedMention> {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw);
  if (bytes.length === 0) throw invalidInput('The email is empty.');
  if (bytes.length > maxEmailBytes) throw new DomainError('TOO_LARGE', `The email is ${bytes.length} bytes; the limit is ${maxEmailBytes}.`);
  if (!/\r?\n\r?\n/.test(bytes.subarray(0, 256 * 1024).toString('latin1'))) {
    throw invalidInput('The email has no header section: expected headers, a blank line, then the body.');
  }

  const parsed = await simpleParser(bytes, { skipImageLinks: true });
  const from = firstAddress(parsed.from);
  if (!from?.address) throw invalidInput('The email has no From address.');
  const email = from.address.trim().toLowerCase();

  const body = stripQuotedReply((parsed.text ?? '').replace(/\r\n/g, '\n')).trim();
  const subject = parsed.subject?.trim() ?? '';
  const text = [subject, body].filter(Boolean).join('\n\n');

  const messageId = parsed.messageId?.trim() || undefined;
  const externalId = messageId ?? `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const references = typeof parsed.references === 'string' ? [parsed.references] : (parsed.references ?? []);
  const inReplyTo = parsed.inReplyTo?.trim() || undefined;
  const threadKey = references[0]?.trim() || inReplyTo || externalId;

  return {
    channel: 'email',
    externalId,
    kind: 'email',
    text,
    occurredAt: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : (options.receivedAt ?? new Date()),
    author: { externalId: email, email, ...(from.name && { name: from.name }) },
    threadKey,
    ...(inReplyTo !== undefined && { inReplyTo }),
    isPublic: false,
    hashtags: extractHashtags(text),
    // Decoded as UTF-8: MIME bodies are 7-bit or declared-charset encoded, so nothing is lost for conforming mail.
    raw: bytes.toString('utf8'),
  };
}

function firstAddress(from: AddressObject | AddressObject[] | undefined): { address?: string; name: string } | undefined {
  const list = Array.isArray(from) ? from : from ? [from] : [];
  for (const group of list) {
    for (const entry of group.value) {
      if (entry.address) return entry;
      const member = entry.group?.find((g) => g.address);
      if (member) return member;
    }
  }
  return undefined;
}

const attribution = /^(on|el|em|le|am)\b.*\b(wrote|escribió|escreveu|a écrit|schrieb)\s*:\s*$/i;
const originalMessage = /^\s*-{2,}\s*(original message|mensaje original|mensagem original)\s*-{2,}\s*$/i;

/**
 * Removes the quoted earlier messages below a reply ("On … wrote:" and "> " lines, or an Outlook
 * "Original Message" block), so the text is what the customer wrote now; the raw message keeps the rest.
 */
export function stripQuotedReply(text: string): string {
  const lines = text.split('\n');
  const outlook = lines.findIndex((l) => originalMessage.test(l));
  let end = outlook >= 0 ? outlook : lines.length;
  if (outlook < 0) {
    while (end > 0 && (lines[end - 1]?.trim() === '' || lines[end - 1]?.startsWith('>'))) end--;
    if (end === lines.length) return text;
    const quoted = lines.slice(end).some((l) => l.startsWith('>'));
    if (!quoted) return text;
    if (attribution.test(lines[end - 1] ?? '')) end--;
    // Mail clients wrap long attributions: "On Tue, … AirStorm Care <" / "care@airstorm.example> wrote:".
    else if (/wrote:\s*$|escribió:\s*$|escreveu:\s*$/i.test(lines[end - 1] ?? '') && attribution.test(`${lines[end - 2] ?? ''} ${lines[end - 1] ?? ''}`)) end -= 2;
  }
  const kept = lines.slice(0, end).join('\n').trimEnd();
  return kept === '' ? text : kept;
}
