import { truncateIdentifier } from '@strata/core';
import { toCamelCase, toSnakeCase } from './drizzle.js';
import type { Casing } from './render-sql.js';

/** Anything drizzle names like a column: a column, an index's column, an `ExtraConfigColumn`. */
export interface NamedColumn {
  name: string | undefined;
  keyAsName: boolean;
}

/**
 * The column's name before PostgreSQL truncates it: its explicit name, or its key converted by the
 * `casing` option (as drizzle-orm's CasingCache and drizzle-kit's getColumnCasing do).
 *
 * @example
 * casedColumnName({ name: 'createdAt', keyAsName: true }, 'snake_case') // => 'created_at'
 */
export function casedColumnName(column: NamedColumn, casing: Casing | undefined): string {
  const name = column.name ?? '';
  if (!column.keyAsName || casing === undefined) return name;
  return casing === 'camelCase' ? toCamelCase(name) : toSnakeCase(name);
}

/** The column's name as PostgreSQL stores it (cased, then cut at 63 bytes). */
export function columnName(column: NamedColumn, casing: Casing | undefined): string {
  return truncateIdentifier(casedColumnName(column, casing));
}
