import { assertCan, type Permission } from '@/lib/auth/permissions';
import type { Ctx } from '@/lib/context';
import { CsvParser, type CsvRecord, maxCsvRowChars } from '@/lib/csv';
import { DomainError, invalidInput } from '@/lib/errors';
import { errorResponse, json } from '@/lib/http';
import { maxCsvMentions } from '@/lib/channels/batch/csv';
import { importAffectedCustomersCsv, maxImportedCustomers } from '@/lib/crises/affected-customers';
import { importMentionsCsv } from '@/lib/signals/csv-import';
import { importPurchases, maxPurchases, parsePurchasesCsv } from '@/lib/signals/purchases';

/** Largest CSV upload: far past what a form's server action takes (1 MB), read as it streams in. */
export const maxCsvUploadBytes = 50 * 1024 * 1024;

const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/**
 * Reads a CSV file sent as the request body, decoding UTF-8 and parsing records while the bytes arrive: more than
 * `maxBytes` is refused (413) as soon as it is seen, a byte that is not UTF-8 or a row over `maxRowChars` is a 400
 * naming the line; more than `maxRows` rows (besides the header) is a 413 too. The file itself is never held whole, only its records.
 */
export async function readCsvUpload(request: Request, options: { maxBytes?: number; maxRowChars?: number; maxRows?: number } = {}): Promise<CsvRecord[]> {
  const limit = options.maxBytes ?? maxCsvUploadBytes;
  const tooLarge = () => new DomainError('TOO_LARGE', `The file is larger than ${megabytes(limit)}; nothing was imported. Split it into smaller files.`);
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) throw invalidInput('The upload is empty: choose a CSV file.');
  const parser = new CsvParser(options.maxRowChars ?? maxCsvRowChars);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const records: CsvRecord[] = [];
  let rows = 0;
  const keep = (done: CsvRecord[]) => {
    for (const record of done) {
      // The header row is not counted, nor blank lines; past the limit, reading on would only waste time.
      if (records.length > 0 && record.cells.some((c) => c.trim() !== '') && ++rows > (options.maxRows ?? Infinity)) {
        throw new DomainError('TOO_LARGE', `The file has more than ${options.maxRows!.toLocaleString('en-US')} rows, the most one import takes; nothing was imported. Split it.`);
      }
      records.push(record);
    }
  };
  const reader = request.body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) throw tooLarge();
      keep(parser.push(decodeChunk(decoder, parser, value)));
    }
    keep(parser.push(decodeChunk(decoder, parser)));
    keep(parser.end());
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  if (total === 0) throw invalidInput('The upload is empty: choose a CSV file.');
  return records;
}

/** Decodes the next bytes; on a byte that is not UTF-8, says on which line, counting what came before it. */
function decodeChunk(decoder: TextDecoder, parser: CsvParser, bytes?: Uint8Array): string {
  try {
    return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
  } catch {
    const readable = bytes ? new TextDecoder('utf-8').decode(bytes) : '';
    const before = readable.slice(0, Math.max(0, readable.indexOf('\uFFFD')));
    const line = parser.line + (before.match(/\r\n|\r|\n/g)?.length ?? 0);
    throw invalidInput(`The file is not UTF-8 text: line ${line} has bytes that are not UTF-8. Save it as “CSV UTF-8” and import it again; nothing was imported.`);
  }
}

/**
 * A CSV import route: the member must be signed in (401) and hold `permission` (403), both decided before a byte of
 * the body is read; then the upload is read as it streams and handed to `importRecords`. Answers
 * `{ ok: true, data }`, or `{ ok: false, error, code, problems? }` with the matching status.
 */
export async function handleCsvUpload<T>(request: Request, ctx: Ctx | null, limits: { permission: Permission; maxRows: number }, importRecords: (ctx: Ctx, records: CsvRecord[]) => Promise<T>): Promise<Response> {
  try {
    if (!ctx || ctx.actor.type !== 'member') throw new DomainError('UNAUTHENTICATED', 'Your session has ended. Sign in again.');
    assertCan(ctx.actor.role, limits.permission);
    const records = await readCsvUpload(request, { maxRows: limits.maxRows });
    return json({ ok: true, data: await importRecords(ctx, records) });
  } catch (error) {
    return errorResponse(error);
  }
}

/** POST /api/imports/mentions: an admin's CSV of mentions, through the ingest path; up to 20,000 rows. */
export function importMentionsUpload(request: Request, ctx: Ctx | null): Promise<Response> {
  return handleCsvUpload(request, ctx, { permission: 'channels.manage', maxRows: maxCsvMentions }, async (member, records) => {
    const r = await importMentionsCsv({ ctx: member, input: { csv: records } });
    return { ...r, summary: `${r.accepted.toLocaleString('en-US')} mentions imported, ${r.duplicates.toLocaleString('en-US')} already known.` };
  });
}

/** POST /api/imports/purchases: a CSV of purchases; lifetime values are recomputed. */
export function importPurchasesUpload(request: Request, ctx: Ctx | null): Promise<Response> {
  return handleCsvUpload(request, ctx, { permission: 'customers.manage', maxRows: maxPurchases }, async (member, records) => {
    const r = await importPurchases({ ctx: member, input: { purchases: parsePurchasesCsv(records) } });
    return { ...r, summary: `${r.imported.toLocaleString('en-US')} purchases imported (${r.duplicates.toLocaleString('en-US')} already known) for ${r.customersUpdated.toLocaleString('en-US')} customers.` };
  });
}

/** POST /api/crises/<id>/affected-customers: a CSV of affected customers for a crisis room. */
export function importAffectedCustomersUpload(request: Request, ctx: Ctx | null, crisisId: string): Promise<Response> {
  return handleCsvUpload(request, ctx, { permission: 'crisis.edit', maxRows: maxImportedCustomers }, (member, records) => importAffectedCustomersCsv({ ctx: member, input: { crisisId, csv: records } }));
}
