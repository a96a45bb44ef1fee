import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * A drizzle column's SQL type as a DDL statement writes it, array suffixes included, from
 * drizzle-orm 0.x or 1.x. drizzle-orm 0.x makes an array column a `PgArray` wrapping the element
 * column, whose `getSQLType()` ends in `[]` (its `dimensions`, where a column has one, is a
 * vector's or bit string's size); drizzle-orm 1.x keeps the element column, maps array elements
 * itself and counts the array's depth in `dimensions`, leaving `getSQLType()` without `[]`.
 *
 * @example
 * columnSqlType(text('tags').array() built by drizzle-orm 1.0) // => 'text[]'
 */
export function columnSqlType(column: PgColumn): string {
  const type = column.getSQLType();
  const c = column as unknown as { dimensions?: unknown; mapArrayElements?: unknown };
  if (typeof c.mapArrayElements !== 'function' || typeof c.dimensions !== 'number' || c.dimensions <= 0) return type;
  return /\]\s*$/.test(type) ? type : type + '[]'.repeat(c.dimensions);
}
