import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgDialect, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '@/db/client';

/** Rows of a raw `db.execute`, whichever driver (postgres.js returns an array, PGlite an object with `rows`). */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

type PostgresJsClient = { unsafe: (query: string, params: unknown[], options: { prepare: boolean }) => Promise<unknown[]> };

/**
 * Runs a statement whose text repeats from call to call (the values travel as parameters). drizzle sends `execute`
 * through postgres.js unprepared, so each such statement first waits a round trip for its Describe and holds up the
 * statements queued behind it on the connection; prepared, it is described once per connection and the statements of
 * a run go out back to back. PGlite runs in this process and takes the statement as it is.
 */
export async function executeRepeated<T>(db: Db, query: SQL): Promise<T[]> {
  const { session, dialect } = db as unknown as { session: { client?: Partial<PostgresJsClient> }; dialect: PgDialect };
  const client = session.client;
  if (typeof client?.unsafe === 'function') {
    const { sql: text, params } = dialect.sqlToQuery(query);
    return (await client.unsafe(text, params, { prepare: true })) as T[];
  }
  return rowsOf<T>(await db.execute(query));
}

/**
 * The rows as one JSON parameter read by `jsonb_to_recordset` with the table's own column types: Postgres parses it in
 * C, many times faster than binding tens of thousands of parameters, and the rows are serialized as they are (keys
 * are the schema's property names). jsonb, not json: the document is parsed once, and a jsonb column's value is then
 * copied out of it instead of parsed again (a third of the time for mention rows with their raw payloads). U+0000
 * cannot be stored and is replaced.
 */
function recordset(table: PgTable, rows: readonly Record<string, unknown>[]): { source: SQL; columns: string[] } {
  const columnsByKey = getTableColumns(table);
  const keys = Object.keys(rows[0] ?? {}).filter((k) => columnsByKey[k]);
  const columns = keys.map((k) => columnsByKey[k]!.name);
  let json = JSON.stringify(rows);
  if (json.includes('\\u0000')) json = json.replaceAll('\\u0000', '\\ufffd');
  const definitions = keys.map((k) => `"${k}" ${columnsByKey[k]!.getSQLType()}`).join(', ');
  const renamed = keys.map((k, i) => `"${k}" as "${columns[i]}"`).join(', ');
  return { source: sql`(select ${sql.raw(renamed)} from jsonb_to_recordset(${json}::jsonb) as r(${sql.raw(definitions)}))`, columns };
}

/** Inserts rows (all with the same keys, every non-null column given) in one statement. */
export async function insertJsonRows(db: Db, table: PgTable, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const { source, columns } = recordset(table, rows);
  const list = sql.raw(columns.map((c) => `"${c}"`).join(', '));
  await executeRepeated(db, sql`insert into ${table} (${list}) select ${list} from ${source} as v`);
}

/**
 * Updates many rows by id in one statement: `set` gives each column's new value as SQL over `c` (the row) and `v` (the
 * given values, by column name), e.g. `followers = greatest(c.followers, v.followers)`.
 */
export async function updateJsonRows(db: Db, table: PgTable, rows: readonly Record<string, unknown>[], set: SQL): Promise<void> {
  if (rows.length === 0) return;
  const { source } = recordset(table, rows);
  await executeRepeated(db, sql`update ${table} as c set ${set} from ${source} as v where c.id = v.id`);
}
