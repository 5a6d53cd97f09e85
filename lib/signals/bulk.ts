import type { Writable } from 'node:stream';
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgDialect, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '@/db/client';

/** Rows of a raw `db.execute`, whichever driver (postgres.js returns an array, PGlite an object with `rows`). */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/** What postgres.js hands back for `unsafe`: a lazy query; `writable()` runs a COPY FROM STDIN and gives its stream. */
type PostgresJsQuery = Promise<unknown[]> & { writable: () => Promise<Writable>; reject: (error: unknown) => void };
type PostgresJsClient = { unsafe: (query: string, params?: unknown[], options?: { prepare: boolean }) => PostgresJsQuery };
type PgliteClient = { query: (query: string, params: unknown[], options: { blob: Blob }) => Promise<unknown> };

const clientOf = (db: Db) => (db as unknown as { session: { client: Partial<PostgresJsClient> & Partial<PgliteClient> } }).session.client;
const isPostgresJs = (client: Partial<PostgresJsClient>): client is PostgresJsClient => typeof client.unsafe === 'function';

/**
 * Runs a statement whose text repeats from call to call (the values travel as parameters). drizzle sends `execute`
 * through postgres.js unprepared, so each such statement first waits a round trip for its Describe and holds up the
 * statements queued behind it on the connection; prepared, it is described once per connection and the statements of
 * a run go out back to back. PGlite runs in this process and takes the statement as it is.
 */
export async function executeRepeated<T>(db: Db, query: SQL): Promise<T[]> {
  const client = clientOf(db);
  if (isPostgresJs(client)) {
    const { sql: text, params } = (db as unknown as { dialect: PgDialect }).dialect.sqlToQuery(query);
    return (await client.unsafe(text, params, { prepare: true })) as T[];
  }
  return rowsOf<T>(await db.execute(query));
}

/**
 * A row of a bulk write: keys are the schema's property names, timestamps are epoch milliseconds (or Dates). Numbers,
 * because a Date's toJSON inside JSON.stringify takes V8 off its fast path for the whole document (a ticket row
 * serialized three times slower), and because consecutive rows share their second, whose text is made once.
 */
export type BulkRow<T extends PgTable> = { [K in keyof T['$inferInsert']]?: Exclude<T['$inferInsert'][K], Date> | (Date extends T['$inferInsert'][K] ? number : never) };

/**
 * The writes of one transaction, in order, while the caller goes on: rows go in with COPY, changes to stored rows as
 * one statement each. `done()` settles when all have, with the first failure. A failure is noted at once (an
 * unhandled rejection would end the process); `failed` tells the caller to stop producing rows.
 */
export interface BulkWriter {
  /** Inserts rows (all with the same keys), with COPY when there are many; `shared` gives the values every row has. */
  insert<T extends PgTable>(table: T, rows: readonly BulkRow<T>[], shared?: BulkRow<T>): void;
  /**
   * Updates rows by id in one statement: `set` gives each column's new value as SQL over `c` (the row) and `v` (the
   * given values, by column name), e.g. `followers = greatest(c.followers, v.followers)`.
   */
  update<T extends PgTable>(table: T, rows: readonly BulkRow<T>[], set: SQL): void;
  readonly failed: unknown;
  done(): Promise<void>;
}

/**
 * Why COPY: for a storm's rows Postgres parses COPY text in two thirds of the time it takes to parse the same rows
 * from one jsonb document (1,000 mention rows: 36 ms against 54–64 ms), and the insert itself is the same.
 *
 * On postgres.js a COPY cannot be pipelined: a statement sent while the server waits for COPY data breaks the
 * protocol. So a write after a COPY starts when the COPY is over (a round trip lost per statement, a tenth of a
 * millisecond against tens for the COPY), while the caller goes on producing the next rows. PGlite runs in this
 * process and takes them in order.
 */
export function bulkWriter(db: Db): BulkWriter {
  const client = clientOf(db);
  // An object written twice in one transaction (a mention's priority breakdown is its ticket's too) is serialized
  // once: the writer's rows are not changed after they are handed to it.
  const jsonOf = new WeakMap<object, string>();
  const settled: Promise<void>[] = [];
  let failed: unknown;
  // Resolves when the connection can take the next write.
  let sent: Promise<void> = Promise.resolve();
  const enqueue = (start: () => Promise<{ sent: Promise<void>; finished: Promise<void> }>) => {
    const started = sent.then(start);
    sent = started.then(
      (s) => s.sent,
      () => undefined,
    );
    const finished = started.then((s) => s.finished);
    finished.catch((error: unknown) => (failed ??= error));
    settled.push(finished);
  };
  // An ordinary statement pipelines: the next write may go out at once.
  const statement = (query: SQL) =>
    enqueue(async () => {
      if (failed !== undefined) throw failed;
      return { sent: Promise.resolve(), finished: executeRepeated(db, query).then(() => undefined) };
    });
  return {
    insert(table, rows, shared = {}) {
      if (rows.length === 0) return;
      if (rows.length < copyFromRows) {
        // A few rows (a webhook's): one statement that goes out at once, behind the others, saves the COPY's round trip.
        const { source, columns } = recordset(table, rows.map((row) => ({ ...row, ...shared })));
        const list = sql.raw(columns.map(quoted).join(', '));
        statement(sql`insert into ${table} (${list}) select ${list} from ${source} as v`);
        return;
      }
      const { columns, data } = copyData(table, rows, shared, jsonOf);
      const copy = `copy ${quoted(tableName(table))} (${columns.map(quoted).join(', ')}) from ${isPostgresJs(client) ? 'stdin' : `'/dev/blob'`}`;
      enqueue(async () => {
        if (failed !== undefined) throw failed;
        if (isPostgresJs(client)) return copyOnPostgresJs(client, copy, data);
        const finished = (client as PgliteClient).query(copy, [], { blob: new Blob([data as Uint8Array<ArrayBuffer>]) }).then(() => undefined);
        return { sent: finished.catch(() => undefined), finished };
      });
    },
    update(table, rows, set) {
      if (rows.length === 0) return;
      statement(sql`update ${table} as c set ${set} from ${recordset(table, rows).source} as v where c.id = v.id`);
    },
    get failed() {
      return failed;
    },
    async done() {
      await Promise.all(settled);
    },
  };
}

/**
 * COPY FROM STDIN on postgres.js 3.4. When the server refuses the data after it has all arrived (a unique or foreign
 * key violation), postgres.js never finishes the stream and drops the error: it rejects the COPY's promise, which had
 * already resolved with the stream (porsager/postgres#1173). The query's own `reject` is where that error goes, so it
 * is caught there.
 */
export async function copyOnPostgresJs(client: PostgresJsClient, statement: string, data: Buffer): Promise<{ sent: Promise<void>; finished: Promise<void> }> {
  const query = client.unsafe(statement);
  let refused: (error: unknown) => void = () => undefined;
  const refusal = new Promise<never>((_, reject) => (refused = reject));
  // Also refused when the statement fails before any data is asked for; `writable()` then rejects with it instead.
  refusal.catch(() => undefined);
  const rejectQuery = query.reject;
  query.reject = (error: unknown) => {
    refused(error);
    rejectQuery(error);
  };
  const stream = await query.writable();
  const finished = Promise.race([new Promise<void>((resolve, reject) => stream.once('finish', resolve).once('error', reject)), refusal]);
  stream.end(data);
  // The connection takes the next statement once this COPY is over: until postgres.js has sent the end of the data
  // (asynchronously, after the socket took it), it refuses any statement.
  return { sent: finished.catch(() => undefined), finished };
}

/** Fewer rows than this go in as one ordinary statement (COPY's extra round trip costs more than it saves). */
const copyFromRows = 100;

const quoted = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
const tableName = (table: PgTable) => (table as unknown as Record<symbol, string>)[Symbol.for('drizzle:Name')]!;

type Encode = (value: unknown) => string;

/**
 * The rows in COPY's text format: one line per row, tab between columns, `\N` for null. Each line is encoded into one
 * growing buffer as it is made: joined into one string first, a slice's text was a rope of thousands of pieces that
 * took longer to flatten and encode than to build.
 */
function copyData<T extends PgTable>(table: T, rows: readonly BulkRow<T>[], shared: BulkRow<T>, jsonOf: WeakMap<object, string>): { columns: string[]; data: Buffer } {
  const columnsByKey = getTableColumns(table);
  const sharedKeys = Object.keys(shared).filter((k) => columnsByKey[k]);
  const keys = Object.keys(rows[0] ?? {}).filter((k) => columnsByKey[k] && !sharedKeys.includes(k));
  const encoders = keys.map((k) => encoderOf(columnsByKey[k]!, jsonOf));
  const tail = `${sharedKeys.map((k) => `\t${encoderOf(columnsByKey[k]!, jsonOf)((shared as Record<string, unknown>)[k])}`).join('')}\n`;
  let data = Buffer.allocUnsafe(64 * 1024);
  let length = 0;
  for (const row of rows as readonly Record<string, unknown>[]) {
    let line = '';
    for (let i = 0; i < keys.length; i++) line += (i === 0 ? '' : '\t') + encoders[i]!(row[keys[i]!]);
    line += tail;
    // UTF-8 takes at most three bytes per UTF-16 unit.
    if (length + line.length * 3 > data.length) {
      const larger = Buffer.allocUnsafe(Math.max(data.length * 2, length + line.length * 3));
      data.copy(larger, 0, 0, length);
      data = larger;
    }
    length += data.write(line, length);
  }
  return { columns: [...keys, ...sharedKeys].map((k) => columnsByKey[k]!.name), data: data.subarray(0, length) };
}

function encoderOf(column: PgColumn, jsonOf: WeakMap<object, string>): Encode {
  const orNull =
    (encode: Encode): Encode =>
    (value) =>
      value === null || value === undefined ? '\\N' : encode(value);
  switch (column.columnType) {
    case 'PgUUID':
      return orNull((v) => v as string);
    case 'PgText':
      return orNull((v) => copyEscaped(v as string));
    case 'PgInteger':
    case 'PgBigInt53':
    case 'PgReal':
      return orNull((v) => String(v));
    case 'PgBoolean':
      return orNull((v) => (v ? 't' : 'f'));
    case 'PgTimestamp':
      return orNull((v) => isoTimestamp(typeof v === 'number' ? v : (v as Date).getTime()));
    case 'PgJson':
    case 'PgJsonb':
      return orNull((v) => {
        if (typeof v !== 'object') return copyEscaped(storableJson(v));
        let text = jsonOf.get(v as object);
        if (text === undefined) jsonOf.set(v as object, (text = copyEscaped(storableJson(v))));
        return text;
      });
    case 'PgArray':
      return orNull((v) => copyEscaped(arrayLiteral(v as readonly (string | null)[])));
    default:
      throw new Error(`bulk writes do not encode ${column.columnType} (column ${column.name})`);
  }
}

const copySpecial = /[\\\n\r\t\0]/;
const copySpecials = /[\\\n\r\t\0]/g;
const copyEscapes: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\uFFFD' };

/** A value as COPY's text format reads it. U+0000 cannot be stored in text and is replaced. */
function copyEscaped(text: string): string {
  return copySpecial.test(text) ? text.replace(copySpecials, (c) => copyEscapes[c]!) : text;
}

/** JSON for a json or jsonb column: jsonb cannot hold U+0000, which JSON writes as an escape, nor can text made of json. */
function storableJson(value: unknown): string {
  const json = JSON.stringify(value);
  return json.includes('\\u0000') ? json.replaceAll('\\u0000', '\\ufffd') : json;
}

const arrayElementSpecial = /["\\]/;
const arrayElementSpecials = /["\\]/g;

/** `{"a","b"}`: every element quoted, so none is read as NULL or split on a comma. */
function arrayLiteral(items: readonly (string | null)[]): string {
  let literal = '{';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    literal += (i === 0 ? '' : ',') + (item === null || item === undefined ? 'NULL' : `"${arrayElementSpecial.test(item) ? item.replace(arrayElementSpecials, '\\$&') : item}"`);
  }
  return `${literal}}`;
}

// Rows of a run carry a few neighbouring times (when each was written, when the run received it): the text of each
// second is made once and kept in a small table indexed by the second.
const seconds = Array.from({ length: 64 }, () => ({ epoch: Number.NaN, text: '' }));

/** `2026-11-23T18:52:05.017Z` from epoch milliseconds. */
export function isoTimestamp(ms: number): string {
  const s = Math.floor(ms / 1000);
  const slot = seconds[s & 63]!;
  if (slot.epoch !== s) {
    slot.epoch = s;
    slot.text = new Date(s * 1000).toISOString().slice(0, -4);
  }
  const fraction = ms - s * 1000;
  return `${slot.text}${fraction < 10 ? '00' : fraction < 100 ? '0' : ''}${fraction}Z`;
}

/**
 * The rows as one jsonb parameter read by `jsonb_to_recordset` with the table's own column types, for updates (which
 * COPY cannot do) and inserts of a few rows: Postgres parses it in C, many times faster than binding thousands of
 * parameters. U+0000 cannot be stored and is replaced.
 */
function recordset<T extends PgTable>(table: T, rows: readonly BulkRow<T>[]): { source: SQL; columns: string[] } {
  const columnsByKey = getTableColumns(table);
  const keys = Object.keys(rows[0] ?? {}).filter((k) => columnsByKey[k]);
  const isTimestamp = (k: string) => columnsByKey[k]!.columnType === 'PgTimestamp';
  const definitions = keys.map((k) => `"${k}" ${isTimestamp(k) ? 'float8' : columnsByKey[k]!.getSQLType()}`).join(', ');
  const selected = keys.map((k) => (isTimestamp(k) ? `to_timestamp("${k}" / 1000) as "${columnsByKey[k]!.name}"` : `"${k}" as "${columnsByKey[k]!.name}"`)).join(', ');
  return {
    source: sql`(select ${sql.raw(selected)} from jsonb_to_recordset(${storableJson(rows)}::jsonb) as r(${sql.raw(definitions)}))`,
    columns: keys.map((k) => columnsByKey[k]!.name),
  };
}
