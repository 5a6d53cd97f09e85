import { DomainError, invalidInput } from '@/lib/errors';
import type { NormalizedMention } from '@/lib/channels/types';
import { checkBatchItems, type BatchOptions, type BatchProblem } from '@/lib/channels/batch/parse';
import { type CsvInput, csvRecordsOf } from '@/lib/csv';

/** Most mentions one CSV import takes: one ingest transaction. */
export const maxCsvMentions = 20_000;

/** The CSV import's columns; the first four are required, and each row needs one author identity. */
export const csvColumns = [
  'channel',
  'external_id',
  'occurred_at',
  'text',
  'author_handle',
  'author_email',
  'author_phone',
  'author_followers',
  'author_name',
  'author_external_id',
  'kind',
  'thread_key',
  'in_reply_to',
  'promoted',
  'impressions',
  'likes',
  'reposts',
  'replies',
  'lang',
] as const;
type CsvColumn = (typeof csvColumns)[number];
const requiredColumns: readonly CsvColumn[] = ['channel', 'external_id', 'occurred_at', 'text'];

const columnOfPath: Record<string, string> = {
  channel: 'channel',
  externalId: 'external_id',
  occurredAt: 'occurred_at',
  text: 'text',
  kind: 'kind',
  threadKey: 'thread_key',
  inReplyTo: 'in_reply_to',
  promoted: 'promoted',
  lang: 'lang',
  author: 'author_handle/author_email/author_phone',
  'author.handle': 'author_handle',
  'author.email': 'author_email',
  'author.phone': 'author_phone',
  'author.followers': 'author_followers',
  'author.name': 'author_name',
  'author.externalId': 'author_external_id',
  'metrics.impressions': 'impressions',
  'metrics.likes': 'likes',
  'metrics.reposts': 'reposts',
  'metrics.replies': 'replies',
};

/**
 * Reads a CSV export of mentions (header row first, columns in any order; text or records read from an upload) and
 * returns its mentions, or rejects the whole file naming the row, line and column of every problem. Row 1 is the header.
 */
export function parseMentionsCsv(input: CsvInput, options: BatchOptions = {}): NormalizedMention[] {
  const [headerRecord, ...rest] = csvRecordsOf(input);
  if (!headerRecord) throw invalidInput('CSV is empty: expected a header row naming the columns.');
  const header = headerRecord.cells.map((h) => h.trim().toLowerCase());

  const known = new Set<string>(csvColumns);
  const unknown = header.filter((h) => !known.has(h));
  const duplicated = header.filter((h, i) => header.indexOf(h) !== i);
  const missing = requiredColumns.filter((c) => !header.includes(c));
  const headerProblems = [
    ...(missing.length ? [`missing column(s) ${missing.join(', ')}`] : []),
    ...(unknown.length ? [`unknown column(s) ${unknown.map((u) => JSON.stringify(u)).join(', ')}`] : []),
    ...(duplicated.length ? [`repeated column(s) ${duplicated.join(', ')}`] : []),
  ];
  if (headerProblems.length) throw invalidInput(`CSV header is invalid: ${headerProblems.join('; ')}. Known columns: ${csvColumns.join(', ')}.`);

  // Row numbers count the header as row 1 and include blank rows, so they match what a spreadsheet shows.
  const rows = rest.map((record, i) => ({ rowNumber: i + 2, line: record.line, cells: record.cells })).filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (rows.length > maxCsvMentions) throw new DomainError('TOO_LARGE', `CSV has ${rows.length.toLocaleString('en-US')} rows; the limit is ${maxCsvMentions.toLocaleString('en-US')}. Split the file.`);

  const shapeProblems: BatchProblem[] = [];
  const items: unknown[] = [];
  const raws: Record<string, string>[] = [];
  rows.forEach(({ cells }, index) => {
    const record: Record<string, string> = {};
    header.forEach((column, c) => (record[column] = cells[c] ?? ''));
    raws.push(record);
    if (cells.length !== header.length) {
      shapeProblems.push({ index, path: '', message: `has ${cells.length} fields, the header has ${header.length} (an unquoted comma in a text?)` });
    }
    const value = (column: CsvColumn): string | undefined => {
      const v = record[column]?.trim();
      return v === undefined || v === '' ? undefined : v;
    };
    const count = (column: CsvColumn): number | undefined => {
      const v = value(column);
      if (v === undefined) return undefined;
      const digits = v.replace(/[\s,_]/g, '');
      if (/^\d+$/.test(digits)) return Number(digits);
      shapeProblems.push({ index, path: column, message: `expected a whole number, got "${v}"` });
      return undefined;
    };
    const flag = (column: CsvColumn): boolean | undefined => {
      const v = value(column)?.toLowerCase();
      if (v === undefined) return undefined;
      if (['true', 'yes', '1', 'y'].includes(v)) return true;
      if (['false', 'no', '0', 'n'].includes(v)) return false;
      shapeProblems.push({ index, path: column, message: `expected true or false, got "${v}"` });
      return undefined;
    };
    const metrics = Object.fromEntries(
      (['impressions', 'likes', 'reposts', 'replies'] as const).flatMap((m) => {
        const n = count(m);
        return n === undefined ? [] : [[m, n]];
      }),
    );
    const followers = count('author_followers');
    const promoted = flag('promoted');
    items.push({
      channel: value('channel')?.toLowerCase(),
      externalId: value('external_id'),
      kind: value('kind')?.toLowerCase(),
      // Text keeps its own spacing and line breaks; only the identifying columns are trimmed.
      text: record.text ?? '',
      occurredAt: value('occurred_at'),
      author: {
        externalId: value('author_external_id'),
        handle: value('author_handle'),
        name: value('author_name'),
        email: value('author_email'),
        phone: value('author_phone'),
        followers,
      },
      threadKey: value('thread_key'),
      inReplyTo: value('in_reply_to'),
      promoted,
      metrics: Object.keys(metrics).length ? metrics : undefined,
      lang: value('lang'),
    });
  });

  const { mentions, problems } = checkBatchItems(items, options, (i) => raws[i]);
  const all = [...shapeProblems, ...problems].sort((a, b) => a.index - b.index);
  if (all.length > 0) throw csvRejected(all, rows);
  return mentions;
}

/** A CSV problem where a spreadsheet shows it: row (the header is row 1), line of the file, and column. */
export type CsvProblem = { row: number; line: number; column: string; message: string };

function csvRejected(problems: readonly BatchProblem[], rows: readonly { rowNumber: number; line: number }[]): DomainError {
  const located: CsvProblem[] = problems.map((p) => ({ row: rows[p.index]?.rowNumber ?? 0, line: rows[p.index]?.line ?? 0, column: columnOfPath[p.path] ?? p.path, message: p.message }));
  const where = (p: CsvProblem) => `row ${p.row}${p.line !== p.row ? ` (line ${p.line})` : ''}${p.column ? `, ${p.column}` : ''}`;
  const badRows = new Set(problems.map((p) => p.index)).size;
  const shown = located.slice(0, 10).map((p) => `${where(p)}: ${p.message}`);
  const more = located.length > shown.length ? `; and ${located.length - shown.length} more problems` : '';
  return invalidInput(`CSV rejected, nothing was stored: ${badRows.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} rows are invalid. ${shown.join('; ')}${more}`, { problems: located });
}
