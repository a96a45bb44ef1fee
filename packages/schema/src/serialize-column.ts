import { StrataError, truncateIdentifier } from '@strata/core';
import type { PgArray as PgArrayType, PgColumn, PgEnum } from 'drizzle-orm/pg-core';
import { is, PgArray, isPgEnum } from './drizzle.js';
import { normalizeColumnType } from './column-type.js';
import { columnSqlType } from './column-sql-type.js';
import { columnName } from './column-name.js';
import { renderDefault } from './render-default.js';
import { renderExpression, type Casing } from './render-sql.js';
import { integerType, sequenceOptions } from './sequence-options.js';
import type { Column } from './snapshot.js';

/** An enum a column uses (possibly through an array), so the serializer can include it. */
export type EnumRef = PgEnum<[string, ...string[]]>;

export interface SerializedColumn {
  column: Column;
  enumUsed?: EnumRef;
}

/**
 * Turns one drizzle column into a Snapshot column. `table` is the stored (truncated) table name,
 * used for the identity sequence's default name `<table>_<column>_seq`.
 *
 * @example
 * serializeColumn(users.email, { table: 'users', casing: undefined }).column.type // => 'character varying(255)'
 */
export function serializeColumn(source: PgColumn, ctx: { table: string; qualifiedTable: string; casing: Casing | undefined }): SerializedColumn {
  const name = columnName(source, ctx.casing);
  const what = `column ${ctx.qualifiedTable}.${name}`;
  const enumUsed = enumOf(source);
  let normalized = normalizeColumnType(columnSqlType(source));
  if (enumUsed) {
    normalized = {
      type: truncateIdentifier(enumUsed.enumName),
      typeSchema: truncateIdentifier(enumUsed.schema ?? 'public'),
      dimensions: normalized.dimensions,
    };
  }
  const def = renderDefault(source, ctx.casing, `default of ${what}`);
  const identity = source.generatedIdentity;
  const serial = normalized.dimensions === 0 && /serial$/.test(normalized.type);
  // Counted first: the list (for the message) is made only when there is a clash.
  if (Number(def !== undefined) + Number(Boolean(identity)) + Number(Boolean(source.generated)) + Number(serial) > 1) {
    const kinds = [def !== undefined && 'a default', identity && 'an identity', source.generated && 'a generation expression', serial && `type ${normalized.type}`];
    const clash = kinds.filter((k): k is string => typeof k === 'string');
    throw new StrataError('SCHEMA_INVALID', `${what} has both ${clash.join(' and ')}; PostgreSQL allows only one of them`);
  }
  // Fields are added in key order: the snapshot file is then written natively (see canonicalJson).
  const column = {} as Column;
  if (normalized.collation !== undefined) column.collation = normalized.collation;
  if (def !== undefined) column.default = def;
  column.dimensions = normalized.dimensions;
  if (source.generated) {
    const expression = renderExpression(source.generated.as, { casing: ctx.casing, what: `generated ${what}` });
    // drizzle-orm's pg-core writes mode 'stored' today; a `virtual` mode (PostgreSQL 18) is kept as such.
    column.generated = (source.generated as { mode?: string }).mode === 'virtual' ? { expression, virtual: true } : { expression };
  }
  if (identity) {
    const dataType = normalized.dimensions === 0 ? integerType(normalized.type) : undefined;
    if (!dataType) throw new StrataError('SCHEMA_INVALID', `${what}: an identity column must be smallint, integer or bigint, not ${normalized.type}`);
    const { cache, cycle, increment, maxValue, minValue, start } = sequenceOptions(identity.sequenceOptions, dataType, what);
    column.identity = {
      cache, cycle, increment, maxValue, minValue,
      // drizzle-kit writes this name into the DDL, so PostgreSQL cuts it like any name it is given.
      sequenceName: truncateIdentifier(identity.sequenceName ?? `${ctx.table}_${name}_seq`),
      start,
      type: identity.type,
    };
  }
  column.name = name;
  // PostgreSQL makes serial and identity columns NOT NULL whatever the code says.
  column.notNull = identity || serial ? true : source.notNull;
  column.type = normalized.type;
  if (normalized.typeSchema !== undefined) column.typeSchema = normalized.typeSchema;
  return enumUsed ? { column, enumUsed } : { column };
}

function enumOf(column: PgColumn): EnumRef | undefined {
  let c: PgColumn = column;
  while (is(c, PgArray)) c = (c as PgArrayType<never, never>).baseColumn as PgColumn;
  const candidate = (c as { enum?: unknown }).enum;
  return isPgEnum(candidate) ? (candidate as EnumRef) : undefined;
}
