import { qualify } from '@strata/core';
import type { Queryable } from '@strata/db';
import type { HistoryOptions } from './history-table.js';

/** drizzle-orm's default history table (`migrationsSchema`/`migrationsTable` in drizzle.config). */
export const DEFAULT_DRIZZLE_HISTORY: HistoryOptions = { schema: 'drizzle', table: '__drizzle_migrations' };

/** A row of drizzle-orm's history: `hash` is the hex sha256 of the file, `createdAt` the journal's `when`. */
export interface DrizzleHistoryRow {
  id: number;
  hash: string;
  createdAt: number;
}

/**
 * Reads `drizzle.__drizzle_migrations` (created by `drizzle-kit migrate` / drizzle-orm's
 * `migrate()`), or returns null when there is no such table.
 *
 * @example
 * const rows = await readDrizzleHistory(db, DEFAULT_DRIZZLE_HISTORY);
 */
export async function readDrizzleHistory(q: Queryable, h: HistoryOptions): Promise<DrizzleHistoryRow[] | null> {
  const t = await q.query<{ t: string | null }>('select to_regclass($1)::text as t', [qualify(h.schema, h.table)]);
  if (t.rows[0]?.t == null) return null;
  // created_at is bigint (drizzle-orm's pg dialects) or numeric (its proxy migrator): read it as text.
  const r = await q.query<{ id: number; hash: string; created_at: string | null }>(
    `select id::int4 as id, hash, created_at::text as created_at from ${qualify(h.schema, h.table)} order by created_at, id`,
  );
  return r.rows.map((x) => ({ id: x.id, hash: x.hash, createdAt: Number(x.created_at) }));
}
