import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '@/db/client';

/** Rows of a raw `db.execute`, whichever driver (postgres.js returns an array, PGlite an object with `rows`). */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/**
 * The rows as one JSON parameter read by `json_to_recordset` with the table's own column types: Postgres parses it in
 * C, many times faster than binding tens of thousands of parameters, and the rows are serialized as they are (keys
 * are the schema's property names). U+0000 cannot be stored and is replaced.
 */
function recordset(table: PgTable, rows: readonly Record<string, unknown>[]): { source: SQL; columns: string[] } {
  const columnsByKey = getTableColumns(table);
  const keys = Object.keys(rows[0] ?? {}).filter((k) => columnsByKey[k]);
  const columns = keys.map((k) => columnsByKey[k]!.name);
  let json = JSON.stringify(rows);
  if (json.includes('\\u0000')) json = json.replaceAll('\\u0000', '\\ufffd');
  const definitions = keys.map((k) => `"${k}" ${columnsByKey[k]!.getSQLType()}`).join(', ');
  const renamed = keys.map((k, i) => `"${k}" as "${columns[i]}"`).join(', ');
  return { source: sql`(select ${sql.raw(renamed)} from json_to_recordset(${json}::json) as r(${sql.raw(definitions)}))`, columns };
}

/** Inserts rows (all with the same keys, every non-null column given) in one statement; returns how many were inserted. */
export async function insertJsonRows(db: Db, table: PgTable, rows: readonly Record<string, unknown>[], options: { onConflictDoNothing?: boolean } = {}): Promise<number> {
  if (rows.length === 0) return 0;
  const { source, columns } = recordset(table, rows);
  const list = sql.raw(columns.map((c) => `"${c}"`).join(', '));
  const conflict = options.onConflictDoNothing ? sql` on conflict do nothing` : sql``;
  const result = await db.execute(sql`insert into ${table} (${list}) select ${list} from ${source} as v${conflict} returning 1 as one`);
  return rowsOf(result).length;
}

/**
 * Updates many rows by id in one statement: `set` gives each column's new value as SQL over `c` (the row) and `v` (the
 * given values, by column name), e.g. `followers = greatest(c.followers, v.followers)`.
 */
export async function updateJsonRows(db: Db, table: PgTable, rows: readonly Record<string, unknown>[], set: SQL): Promise<void> {
  if (rows.length === 0) return;
  const { source } = recordset(table, rows);
  await db.execute(sql`update ${table} as c set ${set} from ${source} as v where c.id = v.id`);
}
