import type { ActionResult } from '@/lib/auth/session';

/**
 * Posts a CSV file as the request body to an import route (which streams it; a server action would cap it at 1 MB)
 * and returns the route's answer as the result a form shows with ActionResultMessage.
 */
export async function uploadCsv<T>(url: string, file: File | null | undefined): Promise<ActionResult<T>> {
  if (!file || file.size === 0) return { ok: false, error: 'Choose a CSV file.', code: 'INVALID_INPUT' };
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: file });
    const body = (await response.json().catch(() => null)) as ActionResult<T> | null;
    if (body && typeof body.ok === 'boolean') return body;
    return { ok: false, error: `The import failed (HTTP ${response.status}); nothing was imported.`, code: 'UNAVAILABLE' };
  } catch {
    return { ok: false, error: 'The file did not reach the server; check the connection and try again. Nothing was imported.', code: 'UNAVAILABLE' };
  }
}
