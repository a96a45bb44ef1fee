import { quoteIdent, quoteLiteral } from '@strata/core';
import type { Column } from '@strata/schema';
import { baseType, castSql, typeSql } from '../column-type.js';
import type { ObjectRef } from '../types.js';
import { q } from './ddl.js';

/**
 * Guards are DO blocks placed right before a statement that would fail, or silently change rows,
 * on data that does not fit. They raise an error naming the table, the column and the value, so
 * the migration stops (and its transaction rolls back) before anything is changed.
 */

/** Wraps a PL/pgSQL body in DO $tag$ … $tag$, with a tag that cannot occur inside the body. */
export function doBlock(body: string): string {
  let tag = '$strata$';
  for (let i = 1; body.includes(tag); i++) tag = `$strata${i}$`;
  return `DO ${tag}\n${body}\n${tag}`;
}

const where = (table: ObjectRef, column: string) => `column ${quoteIdent(column)} of table ${q(table)}`;

/** RAISE with a message built from literal parts and the offending value (no `%` formatting, so names may contain `%`). */
function raise(before: string, valueSql: string, after: string, hint: string): string {
  return `RAISE EXCEPTION USING MESSAGE = ${quoteLiteral(before)} || ${valueSql} || ${quoteLiteral(after)}, HINT = ${quoteLiteral(hint)};`;
}

/**
 * The names a guard's own SQL uses. A guard runs against any table, so its PL/pgSQL variables and
 * aliases must never be taken for a column (a column named `r` once made `r` ambiguous): every
 * column reference is qualified by the table's alias, the variables and aliases carry a `strata_`
 * prefix, and `#variable_conflict use_column` settles anything left in favour of the column.
 */
const V = { bad: 'strata_bad', row: 'strata_row', t: 'strata_t', s: 'strata_s', u: 'strata_u', v: 'strata_v' } as const;
const PRELUDE = '#variable_conflict use_column\n';

/** Stops when the column holds NULL (before SET NOT NULL). */
export function notNullGuard(table: ObjectRef, column: string): string {
  return doBlock(
    `${PRELUDE}BEGIN\n  IF EXISTS (SELECT 1 FROM ${q(table)} AS ${V.t} WHERE ${V.t}.${quoteIdent(column)} IS NULL) THEN\n    ` +
      raise(`strata: cannot make ${where(table, column)} NOT NULL: a row holds `, `'NULL'`, '', 'Fill in or delete those rows first (a data migration), then run this migration again.') +
      `\n  END IF;\nEND`,
  );
}

/** Stops when a NOT NULL column without a default is added to a table that holds rows. */
export function emptyTableGuard(table: ObjectRef, column: string, why: string): string {
  return doBlock(
    `BEGIN\n  IF EXISTS (SELECT 1 FROM ${q(table)}) THEN\n    ` +
      raise(`strata: cannot add ${where(table, column)} as NOT NULL without a default: the table holds rows, which would get `, `'NULL'`, `. ${why}`,
        'Give the column a default, or add it nullable, fill it, then make it NOT NULL.') +
      `\n  END IF;\nEND`,
  );
}

/** Stops when a row holds an enum value the rebuilt type no longer has. */
export function enumValuesGuard(table: ObjectRef, column: Column, enumRef: ObjectRef, allowed: string[]): string {
  const c = `${V.t}.${quoteIdent(column.name)}`;
  const list = `ARRAY[${allowed.map(quoteLiteral).join(', ')}]::text[]`;
  const source = column.dimensions > 0
    ? `(SELECT ${V.u}.${V.v}::text AS ${V.v} FROM ${q(table)} AS ${V.t}, unnest(${c}) AS ${V.u}(${V.v})) AS ${V.s}`
    : `(SELECT ${c}::text AS ${V.v} FROM ${q(table)} AS ${V.t}) AS ${V.s}`;
  return doBlock(
    `${PRELUDE}DECLARE ${V.bad} text;\nBEGIN\n  SELECT ${V.s}.${V.v} INTO ${V.bad} FROM ${source} WHERE ${V.s}.${V.v} IS NOT NULL AND NOT (${V.s}.${V.v} = ANY (${list})) LIMIT 1;\n  IF FOUND THEN\n    ` +
      raise(`strata: cannot change the values of type ${q(enumRef)}: ${where(table, column.name)} holds `, `quote_literal(${V.bad})`, ', which the type no longer has',
        'Update or delete the rows holding that value first (a data migration), then run this migration again.') +
      `\n  END IF;\nEND`,
  );
}

/**
 * Built-in types whose `=` is value equality (`3.5 = 3.5000` in numeric, the same instant in
 * timestamptz). A value converted there and back is compared with itself in its old type, so a
 * change of display (numeric scale, trailing zeros) passes and a real change (rounding, truncation)
 * stops. Other types (json, geometric types whose `=` compares areas, interval whose `=` takes
 * `1 mon` for `30 days`, user types) are compared by their text.
 */
const VALUE_EQUALITY = new Set([
  'smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision', 'boolean',
  'text', 'character varying', 'character', 'bpchar', 'name', 'citext', 'uuid', 'bytea', 'jsonb', 'inet', 'cidr', 'macaddr', 'macaddr8',
  'date', 'timestamp without time zone', 'timestamp with time zone', 'time without time zone', 'time with time zone',
]);

/** Whether values of the column's type are compared with `=` (see VALUE_EQUALITY). */
export function comparesByValue(c: Column): boolean {
  if (c.typeSchema !== undefined) return false;
  const name = baseType(c.type).replace(/\s*\([\d,\s]*\)/g, '').trim();
  return VALUE_EQUALITY.has(name);
}

/**
 * Stops when a value does not survive the type change unchanged: the cast fails, or converting back
 * gives another value (a truncated string, a rounded number). The comparison is made in the old
 * type where that type has a value equality, by text otherwise. Set-based first; only when the cast
 * itself throws are rows tried one by one, to name the value.
 */
export function castGuard(table: ObjectRef, from: Column, to: Column): string {
  const c = `${V.t}.${quoteIdent(from.name)}`;
  const byValue = comparesByValue(from);
  const changed = (v: string) => {
    const back = castSql(castSql(v, from, to), to, from);
    return byValue ? `(${back}) IS DISTINCT FROM ${v}` : `(${back})::text IS DISTINCT FROM ${v}::text`;
  };
  const sv = `${V.s}.${V.v}`;
  const rv = `${V.row}.${V.v}`;
  const fail = raise(
    `strata: cannot change ${where(table, from.name)} from ${typeSql(from, { base: true })} to ${typeSql(to, { base: true })}: a row holds `,
    `quote_literal(${V.bad})`,
    ', which does not convert without changing',
    'Update or delete the rows holding that value first (a data migration), or keep the old type.',
  );
  return doBlock(
    `${PRELUDE}DECLARE ${V.bad} text; ${V.row} record;\nBEGIN\n  BEGIN\n` +
      `    SELECT ${sv}::text INTO ${V.bad} FROM (SELECT ${c} AS ${V.v} FROM ${q(table)} AS ${V.t}) AS ${V.s} WHERE ${sv} IS NOT NULL AND ${changed(sv)} LIMIT 1;\n` +
      `  EXCEPTION WHEN others THEN\n` +
      `    FOR ${V.row} IN SELECT ${c} AS ${V.v} FROM ${q(table)} AS ${V.t} WHERE ${c} IS NOT NULL LOOP\n` +
      `      BEGIN\n        IF ${changed(rv)} THEN\n          ${V.bad} := ${rv}::text;\n          EXIT;\n        END IF;\n      EXCEPTION WHEN others THEN\n        ${V.bad} := ${rv}::text;\n        EXIT;\n      END;\n` +
      `    END LOOP;\n  END;\n  IF ${V.bad} IS NOT NULL THEN\n    ${fail}\n  END IF;\nEND`,
  );
}

/** Stops the down migration that would bring back a NOT NULL column without a default into a table with rows. */
export function restoreColumnGuard(table: ObjectRef, column: string): string {
  return emptyTableGuard(table, column, 'Its old values were dropped and cannot be restored');
}

/**
 * Stops before a unique index is built when rows already share a key: the build would fail anyway,
 * but `CREATE UNIQUE INDEX CONCURRENTLY` fails late and leaves an INVALID index behind. `keys` are
 * the index's key expressions as SQL; rows with a NULL key never clash unless `nullsNotDistinct`.
 */
export function duplicateGuard(table: ObjectRef, what: string, keys: string[], options: { where?: string; nullsNotDistinct?: boolean } = {}): string {
  const filters = [...(options.nullsNotDistinct ? [] : keys.map((k) => `${k} IS NOT NULL`)), ...(options.where ? [`(${options.where})`] : [])];
  const shown = keys.length === 1 ? `(${keys[0]})::text` : `ROW(${keys.join(', ')})::text`;
  return doBlock(
    `DECLARE bad text;\nBEGIN\n  SELECT ${shown} INTO bad FROM ${q(table)}${filters.length ? ` WHERE ${filters.join(' AND ')}` : ''} GROUP BY ${keys.join(', ')} HAVING count(*) > 1 LIMIT 1;\n  IF FOUND THEN\n    ` +
      raise(`strata: cannot add ${what} on table ${q(table)}: several rows hold the key `, `coalesce(bad, 'NULL')`, '',
        'Update or delete the duplicate rows first (a data migration), then run this migration again.') +
      `\n  END IF;\nEND`,
  );
}

/**
 * Fills a column added without its (volatile) default in batches of table pages, committing after
 * each batch, so row locks are held briefly and no exclusive lock is taken. Runs outside a
 * transaction (COMMIT in a DO block needs that). Pages are walked by `ctid` range (a TID range scan
 * from PostgreSQL 14 on); rows that move while it runs are new versions already filled.
 */
export function backfillInBatches(table: ObjectRef, column: string, pagesPerBatch = 200): string {
  const c = quoteIdent(column);
  return doBlock(
    `DECLARE\n  lo bigint := 0;\n  pages bigint := pg_relation_size(${quoteLiteral(q(table))}::regclass) / current_setting('block_size')::bigint;\nBEGIN\n` +
      `  WHILE lo < pages LOOP\n` +
      `    UPDATE ${q(table)} SET ${c} = DEFAULT WHERE ctid >= format('(%s,0)', lo)::tid AND ctid < format('(%s,0)', lo + ${pagesPerBatch})::tid AND ${c} IS NULL;\n` +
      `    COMMIT;\n    lo := lo + ${pagesPerBatch};\n  END LOOP;\nEND`,
  );
}
