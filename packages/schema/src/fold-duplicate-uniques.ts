import { getEntry } from './records.js';
import type { Table } from './snapshot.js';

/**
 * What makes two unique constraints (or a primary key, never NULLS NOT DISTINCT) one index to
 * PostgreSQL: the same columns in the same order and the same NULLS NOT DISTINCT.
 *
 * @example
 * uniqueIndexKey(['a', 'b'], false) === uniqueIndexKey(['a', 'b'], false) // => true
 * uniqueIndexKey(['a', 'b'], false) === uniqueIndexKey(['b', 'a'], false) // => false
 */
export function uniqueIndexKey(columns: readonly string[], nullsNotDistinct: boolean): string {
  return `${nullsNotDistinct ? 'nnd' : 'plain'}:${JSON.stringify(columns)}`;
}

/**
 * Drops every unique constraint that repeats an earlier one of the same table (same columns in
 * the same order, same NULLS NOT DISTINCT), as PostgreSQL's CREATE TABLE does: it builds one index
 * per distinct definition and keeps the first constraint's name. drizzle-kit writes all of a
 * table's unique constraints inside its CREATE TABLE, columns' `.unique()` first (in column order),
 * then the third argument's `unique()` in code order, so that is the order `declared` must give.
 * The snapshot then says what the database holds, and `check` on a drizzle-kit-built database
 * finds no constraint missing.
 *
 * @example
 * // email: text('email').unique(), with unique('users_email_key').on(t.email) in the third argument
 * foldDuplicateUniques(table, ['users_email_unique', 'users_email_key'])
 * // table.uniques keeps users_email_unique only
 */
export function foldDuplicateUniques(table: Table, declared: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of declared) {
    const unique = getEntry(table.uniques, name);
    if (!unique) continue;
    const key = uniqueIndexKey(unique.columns, unique.nullsNotDistinct);
    if (seen.has(key)) delete table.uniques[name];
    else seen.add(key);
  }
}
