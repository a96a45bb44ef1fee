import { StrataError, quoteLiteral } from '@strata/core';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { columnSqlType } from './column-sql-type.js';
import { renderSql, isSql, type Casing } from './render-sql.js';

/**
 * Renders a column's `.default(…)` as SQL text, the way drizzle-kit 0.31 writes it into
 * `DEFAULT …` (strings and dates quoted, JSON as `'…'::jsonb`, arrays as `'{…}'`, numbers and
 * booleans bare, `sql` rendered with values inlined). `$defaultFn`/`$onUpdateFn` run in the
 * application and are never looked at. `null` means no default, as in PostgreSQL, except on json
 * and jsonb, where drizzle-kit writes the JSON null `'null'::jsonb`.
 *
 * @example
 * renderDefault(text('t').default("it's") built, undefined) // => "'it''s'"
 */
export function renderDefault(column: PgColumn, casing: Casing | undefined, what: string): string | undefined {
  const value: unknown = column.default;
  if (value === undefined) return undefined;
  if (isSql(value)) return renderSql(value, { casing, what });
  const sqlType = columnSqlType(column).toLowerCase().trim();
  // On json and jsonb, drizzle-kit writes null as the JSON value `'null'::jsonb`, which PostgreSQL
  // keeps (unlike DEFAULT NULL): the databases drizzle-kit built hold it.
  if (value === null) return sqlType === 'json' || sqlType === 'jsonb' ? `'null'::${sqlType}` : undefined;
  if (typeof value === 'string') return quoteLiteral(value);
  if (/\[\d*\]$/.test(sqlType) && Array.isArray(value)) return quoteLiteral(arrayLiteral(value, baseType(sqlType)));
  if (sqlType === 'json' || sqlType === 'jsonb') return `${quoteLiteral(JSON.stringify(value))}::${sqlType}`;
  if (value instanceof Date) return quoteLiteral(dateText(value, sqlType));
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : quoteLiteral(String(value));
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // Points, lines, geometry, custom types: the column knows its driver (text) form.
  const mapped = column.mapToDriverValue(value);
  if (isSql(mapped)) return renderSql(mapped, { casing, what });
  if (typeof mapped === 'string') return quoteLiteral(mapped);
  if (typeof mapped === 'number' || typeof mapped === 'bigint') return String(mapped);
  if (typeof mapped === 'boolean') return mapped ? 'true' : 'false';
  throw new StrataError('SCHEMA_INVALID', `${what}: default value ${describe(value)} has no SQL form`, {
    hint: 'Write the default as sql`…`.',
  });
}

function baseType(sqlType: string): string {
  return sqlType.replace(/(\[\d*\])+$/, '');
}

function dateText(value: Date, sqlType: string): string {
  const iso = value.toISOString();
  if (sqlType === 'date') return iso.slice(0, 10);
  if (/^timestamp/.test(sqlType) && !sqlType.includes('with time zone')) return iso.replace('T', ' ').slice(0, 23);
  return iso;
}

// PostgreSQL's array input syntax: strings always double-quoted, `"` and `\` escaped inside.
function arrayLiteral(values: readonly unknown[], elementType: string): string {
  const items = values.map((v): string => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayLiteral(v, elementType);
    if (typeof v === 'number' || typeof v === 'bigint') return v.toString();
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (v instanceof Date) return quoteElement(dateText(v, elementType));
    if (typeof v === 'object') return quoteElement(JSON.stringify(v));
    return quoteElement(String(v));
  });
  return `{${items.join(',')}}`;
}

function quoteElement(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
