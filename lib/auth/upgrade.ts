import type { IncomingMessage } from 'node:http';
import { type GetTokenParams, getToken } from 'next-auth/jwt';

/** Parses a Cookie header into a name → value map (values URL-decoded). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  return cookies;
}

/**
 * The user id of the session cookie on a raw request (a websocket upgrade), or null. next-auth's getToken cannot read a
 * raw Node request, so we hand it the parsed cookies; it handles split cookies and checks expiry.
 */
export async function userIdFromRequest(req: IncomingMessage, secret: string): Promise<string | null> {
  const cookies = parseCookies(req.headers.cookie);
  const secureCookie = Object.keys(cookies).some((name) => name.startsWith('__Secure-next-auth.session-token'));
  const token = await getToken({ req: { cookies, headers: req.headers } as unknown as GetTokenParams['req'], secret, secureCookie });
  return typeof token?.uid === 'string' ? token.uid : null;
}
