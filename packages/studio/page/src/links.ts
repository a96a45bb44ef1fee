import type { ForeignKeyInfo, IncomingReference, Row } from '../../src/api-types.ts';
import { displayValue } from './format.ts';

/**
 * The address of a table filtered to rows whose columns equal the values (`=value` filters), and
 * with `open` the first such row's detail panel opened.
 *
 * @example
 * tableHash('public', 'users', { id: '7' }, true) // '#/tables/public/users/row?id=7'
 */
export function tableHash(schema: string, table: string, where: Record<string, string> = {}, open = false): string {
  const q = new URLSearchParams(where).toString();
  return `#/tables/${encodeURIComponent(schema)}/${encodeURIComponent(table)}${open ? '/row' : ''}${q ? `?${q}` : ''}`;
}

/** The referenced row of `fk` for a row, or null when a referencing column is NULL (it references nothing). */
export function referencedHash(fk: ForeignKeyInfo, row: Row): string | null {
  const where: Record<string, string> = {};
  for (const [i, c] of fk.columns.entries()) {
    const v = row[c];
    if (v === null || v === undefined) return null;
    where[fk.refColumns[i]!] = displayValue(v);
  }
  return tableHash(fk.refSchema, fk.refTable, where, true);
}

/** The rows of another table that reference a row through `ref`; null when a referenced column is NULL (none can). */
export function referencingHash(ref: IncomingReference, row: Row): string | null {
  const where: Record<string, string> = {};
  for (const [i, c] of ref.refColumns.entries()) {
    const v = row[c];
    if (v === null || v === undefined) return null;
    where[ref.columns[i]!] = displayValue(v);
  }
  return tableHash(ref.schema, ref.table, where);
}

/** The single-column foreign key a column starts, if any (a cell of a multi-column key links too: the whole key). */
export function foreignKeyOf(fks: readonly ForeignKeyInfo[], column: string): ForeignKeyInfo | null {
  return fks.find((f) => f.columns.includes(column)) ?? null;
}
