import { DomainError, httpStatus } from '@/lib/errors';

/** A JSON response that no cache keeps. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });
}

/**
 * Turns a failure into the JSON error every route gives: `{ ok: false, error, code, problems? }` with the code's
 * status. Unexpected errors are logged and become 500.
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof DomainError) {
    const problems = (error.details as { problems?: unknown } | undefined)?.problems;
    return json({ ok: false, error: error.message, code: error.code, ...(problems !== undefined && { problems }) }, httpStatus(error.code));
  }
  console.error('[stormdesk] request failed:', error);
  return json({ ok: false, error: 'Internal error; nothing was stored. Retry later.', code: 'UNAVAILABLE' }, 500);
}
