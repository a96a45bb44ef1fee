import { getEntry } from './records.js';
import type { Table } from './snapshot.js';

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
    const key = `${unique.nullsNotDistinct ? 'nnd' : 'plain'}:${JSON.stringify(unique.columns)}`;
    if (seen.has(key)) delete table.uniques[name];
    else seen.add(key);
  }
}
