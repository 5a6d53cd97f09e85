import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '@/db/client';

/** Rows of a raw `db.execute`, whichever driver (postgres.js returns an array, PGlite an object with `rows`). */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/**
 * The rows as one JSON parameter keyed by column name, for `json_populate_recordset`: Postgres parses it in C, which
 * is many times faster than binding tens of thousands of parameters. U+0000 cannot be stored and is replaced.
 */
function jsonOf(table: PgTable, rows: readonly Record<string, unknown>[]): { json: string; columns: string[] } {
  const columnsByKey = getTableColumns(table);
  const keys = Object.keys(rows[0] ?? {}).filter((k) => columnsByKey[k]);
  const names = keys.map((k) => columnsByKey[k]!.name);
  const json = JSON.stringify(rows.map((row) => Object.fromEntries(keys.map((k, i) => [names[i], row[k] ?? null]))));
  return { json: json.includes('\\u0000') ? json.replaceAll('\\u0000', '\\ufffd') : json, columns: names };
}

/** Inserts rows (all with the same keys, every non-null column given) in one statement; returns how many were inserted. */
export async function insertJsonRows(db: Db, table: PgTable, rows: readonly Record<string, unknown>[], options: { onConflictDoNothing?: boolean } = {}): Promise<number> {
  if (rows.length === 0) return 0;
  const { json, columns } = jsonOf(table, rows);
  const list = sql.raw(columns.map((c) => `"${c}"`).join(', '));
  const conflict = options.onConflictDoNothing ? sql` on conflict do nothing` : sql``;
  const result = await db.execute(sql`insert into ${table} (${list}) select ${list} from json_populate_recordset(null::${table}, ${json}::json)${conflict} returning 1 as one`);
  return rowsOf(result).length;
}

/**
 * Updates many rows by id in one statement: `set` gives each column's new value as SQL over `c` (the row) and `v` (the
 * given values), e.g. `followers = greatest(c.followers, v.followers)`.
 */
export async function updateJsonRows(db: Db, table: PgTable, rows: readonly Record<string, unknown>[], set: SQL): Promise<void> {
  if (rows.length === 0) return;
  const { json } = jsonOf(table, rows);
  await db.execute(sql`update ${table} as c set ${set} from json_populate_recordset(null::${sql.raw(`"${getTableName(table)}"`)}, ${json}::json) as v where c.id = v.id`);
}
