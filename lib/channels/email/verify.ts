import { verifyStormdeskSignature, type RawBody } from '@/lib/channels/signature';
import { type NormalizedMention, unverifiedAuthor } from '@/lib/channels/types';

/** Checks the `x-stormdesk-signature` our mail relay puts on each raw message it forwards; throws UNAUTHENTICATED on mismatch. */
export function verifyEmailRelaySignature(input: { rawBody: RawBody; signature: string | null | undefined; secret: string }): void {
  verifyStormdeskSignature(input);
}

export type AuthVerdict = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy' | 'unknown';

/** What our own receiving server concluded about the sender (RFC 8601), and whether the From address can be trusted for linking customers. */
export type SenderAuthentication = { spf: AuthVerdict; dkim: AuthVerdict; dmarc: AuthVerdict; authenticated: boolean };

const verdicts = new Set<AuthVerdict>(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy']);

/** One "method=result prop=value…" statement of an Authentication-Results header. */
type ResultInfo = { method: string; result: AuthVerdict; props: Map<string, string> };

/**
 * Reads the topmost Authentication-Results header written by our own receiving server (`authservId`, e.g.
 * "mx.stormdesk.example") and decides whether the From address (`fromAddress`) is authenticated:
 * DMARC pass; or, when DMARC did not fail, a DKIM pass signed by the From domain (header.d) or an SPF pass
 * for an envelope sender of the From domain (smtp.mailfrom), which is alignment.
 * RFC 8601 §5: a receiving server adds its header on top, so only the topmost one carrying our id is ours;
 * any other (another id, or ours lower down, written before the message reached us) may be forged and is ignored.
 */
export function readSenderAuthentication(raw: RawBody, authservId: string, fromAddress: string): SenderAuthentication {
  const ours = authenticationResultsHeaders(raw).find((value) => authservIdOf(value) === authservId.trim().toLowerCase());
  const results = ours ? resultInfos(ours) : [];
  const verdictOf = (method: string): AuthVerdict => {
    const of = results.filter((r) => r.method === method);
    // With several signatures, one pass is enough to report a pass; the alignment check below decides trust.
    return of.find((r) => r.result === 'pass')?.result ?? of[0]?.result ?? 'unknown';
  };
  const spf = verdictOf('spf');
  const dkim = verdictOf('dkim');
  const dmarc = verdictOf('dmarc');
  const fromDomain = domainOf(fromAddress);
  const aligned = (value: string | undefined) => fromDomain !== undefined && value !== undefined && domainOf(value) === fromDomain;
  const dkimAligned = results.some((r) => r.method === 'dkim' && r.result === 'pass' && (aligned(r.props.get('header.d')) || aligned(r.props.get('header.i'))));
  const spfAligned = results.some((r) => r.method === 'spf' && r.result === 'pass' && aligned(r.props.get('smtp.mailfrom')));
  const authenticated = dmarc === 'pass' || (dmarc !== 'fail' && (dkimAligned || spfAligned));
  return { spf, dkim, dmarc, authenticated };
}

/** The values of every Authentication-Results header, unfolded, top to bottom. */
function authenticationResultsHeaders(raw: RawBody): string[] {
  const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('latin1');
  const headerEnd = text.search(/\r?\n\r?\n/);
  const unfolded = (headerEnd >= 0 ? text.slice(0, headerEnd) : text).replace(/\r?\n[ \t]+/g, ' ');
  return unfolded
    .split(/\r?\n/)
    .filter((line) => /^authentication-results\s*:/i.test(line))
    .map((line) => withoutComments(line.slice(line.indexOf(':') + 1)).trim());
}

/** The authserv-id: the first token before the first ';' (an optional version number may follow it). */
function authservIdOf(value: string): string {
  return value.split(';')[0]?.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
}

/** RFC 5322 comments "(…)", nested ones included; they may hold ';' or "dkim=pass" and mean nothing. */
function withoutComments(value: string): string {
  let depth = 0;
  let out = '';
  for (const char of value) {
    if (char === '(') depth++;
    else if (char === ')' && depth > 0) depth--;
    else if (depth === 0) out += char;
  }
  return out;
}

function resultInfos(value: string): ResultInfo[] {
  return value
    .split(';')
    .slice(1)
    .flatMap((statement) => {
      const [head, ...rest] = statement.trim().split(/\s+/);
      const match = /^([a-z0-9_-]+)\s*=\s*([a-z]+)$/i.exec(head ?? '');
      if (!match) return [];
      const result = match[2]!.toLowerCase() as AuthVerdict;
      const props = new Map(
        rest.flatMap((prop) => {
          const eq = prop.indexOf('=');
          return eq > 0 ? [[prop.slice(0, eq).toLowerCase(), prop.slice(eq + 1).replace(/^"|"$/g, '')] as const] : [];
        }),
      );
      return [{ method: match[1]!.toLowerCase(), result: verdicts.has(result) ? result : 'unknown', props }];
    });
}

/** The domain of "user@domain", "@domain" or a bare "domain", lowercased, without a trailing dot. */
function domainOf(value: string): string | undefined {
  const domain = value.slice(value.lastIndexOf('@') + 1).trim().replace(/\.$/, '').toLowerCase();
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) ? domain : undefined;
}

/**
 * Marks an email mention's sender as verified or not. Unverified (no receiving server configured, or our server's
 * verdict does not authenticate the From address), the author becomes `unverified:<email>`: the message still
 * arrives, but never links to, or merges with, the customer who really owns that address.
 */
export function withSenderVerdict(mention: NormalizedMention, authentication: SenderAuthentication | null): NormalizedMention {
  if (authentication?.authenticated) return { ...mention, author: { ...mention.author, verified: true } };
  return { ...mention, author: unverifiedAuthor(mention.author, { email: mention.author.email ?? mention.author.externalId }) };
}
