import { quoteIdent, truncateIdentifier } from '@strata/core';
import { sequenceOptions } from '../sequence-options.js';
import type { Column, IdentityOptions, Sequence } from '../snapshot.js';
import type { CodeFile } from './code-file.js';
import { quoteName } from './quote-name.js';
import { tsString } from './ts-text.js';

/**
 * How an array column's dimensions are written: drizzle-orm 0.x chains one `.array()` per
 * dimension; 1.x takes the depth in one call, `.array('[][]')` (where a second `.array()` adds nothing).
 */
export type ArrayStyle = 'chained' | 'depth';

export interface ColumnContext {
  file: CodeFile;
  arrays: ArrayStyle;
  /** The stored table name (for the identity sequence's default name). */
  table: string;
  /** Whether the builder call needs the column name (it differs from what the key gives). */
  needsName: boolean;
  /** An enum the snapshot holds: its identifier and the file declaring it; null for other types. */
  enumRef(schema: string, name: string): { identifier: string; path: string } | null;
  /** The identifier of a `customType` for an SQL type the builders do not cover. */
  customType(sqlType: string): string;
  /** This column alone is the primary key, under its default name. */
  primaryKey: boolean;
  /** Lines of comments about what drizzle-orm cannot say. */
  notes: string[];
}

type Builder = { fn: string; config?: string };

const SIMPLE: Record<string, Builder> = {
  integer: { fn: 'integer' },
  smallint: { fn: 'smallint' },
  bigint: { fn: 'bigint', config: `{ mode: 'number' }` },
  serial: { fn: 'serial' },
  smallserial: { fn: 'smallserial' },
  bigserial: { fn: 'bigserial', config: `{ mode: 'number' }` },
  boolean: { fn: 'boolean' },
  text: { fn: 'text' },
  uuid: { fn: 'uuid' },
  json: { fn: 'json' },
  jsonb: { fn: 'jsonb' },
  date: { fn: 'date' },
  real: { fn: 'real' },
  'double precision': { fn: 'doublePrecision' },
  inet: { fn: 'inet' },
  cidr: { fn: 'cidr' },
  macaddr: { fn: 'macaddr' },
  macaddr8: { fn: 'macaddr8' },
  point: { fn: 'point' },
  line: { fn: 'line' },
  numeric: { fn: 'numeric' },
  'character varying': { fn: 'varchar' },
  'timestamp without time zone': { fn: 'timestamp' },
  'timestamp with time zone': { fn: 'timestamp', config: '{ withTimezone: true }' },
  'time without time zone': { fn: 'time' },
  'time with time zone': { fn: 'time', config: '{ withTimezone: true }' },
  interval: { fn: 'interval' },
};

/** The drizzle builder for a type in the Snapshot's spelling; null when only `customType` can say it. */
function builderFor(type: string): Builder | null {
  const simple = SIMPLE[type];
  if (simple) return simple;
  let m: RegExpExecArray | null;
  if ((m = /^character varying\((\d+)\)$/.exec(type))) return { fn: 'varchar', config: `{ length: ${m[1]} }` };
  if ((m = /^character\((\d+)\)$/.exec(type))) return { fn: 'char', config: `{ length: ${m[1]} }` };
  if ((m = /^numeric\((\d+),(\d+)\)$/.exec(type))) return { fn: 'numeric', config: `{ precision: ${m[1]}, scale: ${m[2]} }` };
  if ((m = /^(timestamp|time)\((\d+)\) (with|without) time zone$/.exec(type))) {
    return { fn: m[1]!, config: `{ precision: ${m[2]}${m[3] === 'with' ? ', withTimezone: true' : ''} }` };
  }
  // pgvector's types and bit(n): drizzle's builders take the size as `dimensions` and spell the
  // type unqualified, so they fit only a type on the search_path (typeSchema undefined).
  if ((m = /^(vector|halfvec|sparsevec|bit)\((\d+)\)$/.exec(type))) return { fn: m[1]!, config: `{ dimensions: ${m[2]} }` };
  if ((m = /^interval(?: ([a-z ]+?))?(?:\((\d+)\))?$/.exec(type))) {
    const parts = [m[1] ? `fields: ${tsString(m[1])}` : '', m[2] ? `precision: ${m[2]}` : ''].filter(Boolean);
    return { fn: 'interval', config: `{ ${parts.join(', ')} }` };
  }
  return null;
}

/**
 * The SQL spelling `customType` gives a type the builders do not cover, written so that the
 * serializer reads back the same type and schema: built-in spellings (`bit varying(5)`, `"char"`)
 * as they are, a name with capitals or other characters quoted, a schema quoted.
 */
export function customTypeSql(type: string, typeSchema: string | undefined): string {
  const plain = type.startsWith('"') || /^[a-z0-9_$ ,.()[\]]+$/.test(type);
  const name = plain ? type : quoteIdent(type);
  return typeSchema === undefined ? name : `${quoteIdent(typeSchema)}.${name}`;
}

/**
 * One column's builder chain: `varchar('email', { length: 255 }).notNull().default(sql`…`)`.
 */
export function columnCode(column: Column, ctx: ColumnContext): string {
  const { file } = ctx;
  const name = ctx.needsName ? tsString(column.name) : '';
  let call: string;
  const enumRef = column.typeSchema !== undefined ? ctx.enumRef(column.typeSchema, column.type) : null;
  // drizzle's builders have no COLLATE, but a customType's SQL may end with one (`text COLLATE "C"`),
  // which drizzle-kit writes into the DDL as it is and the serializer reads back as the collation.
  // Not for an array: drizzle appends `[]` after the whole type, which PostgreSQL cannot parse.
  const collated = column.collation !== undefined && column.dimensions === 0 && !enumRef;
  const builder = column.typeSchema === undefined && !collated ? builderFor(column.type) : null;
  if (enumRef) call = `${file.sibling(enumRef.path, enumRef.identifier)}(${name})`;
  else if (collated) call = `${ctx.customType(`${customTypeSql(column.type, column.typeSchema)} COLLATE ${quoteName(column.collation!)}`)}(${name})`;
  else if (builder) {
    const args = [name, builder.config ?? ''].filter(Boolean).join(', ');
    call = `${file.pgCore(builder.fn)}(${args})`;
  } else call = `${ctx.customType(customTypeSql(column.type, column.typeSchema))}(${name})`;
  call += ctx.arrays === 'depth' && column.dimensions > 1 ? `.array('${'[]'.repeat(column.dimensions)}')` : '.array()'.repeat(column.dimensions);

  const serial = column.dimensions === 0 && /^(small|big)?serial$/.test(column.type);
  if (ctx.primaryKey) call += '.primaryKey()';
  else if (column.notNull && !serial && !column.identity) call += '.notNull()';
  if (column.default !== undefined) call += `.default(${file.sql(column.default)})`;
  if (column.generated) call += `.generatedAlwaysAs(${file.sql(column.generated.expression)})`;
  if (column.identity) {
    const method = column.identity.type === 'always' ? 'generatedAlwaysAsIdentity' : 'generatedByDefaultAsIdentity';
    const options = identityOptions(column.identity, column.type, ctx.table, column.name);
    call += `.${method}(${options})`;
  }
  if (column.generated?.virtual) ctx.notes.push(`column ${column.name}: VIRTUAL (PostgreSQL 18) cannot be written with drizzle-orm; the code says STORED`);
  if (column.collation !== undefined && !collated) {
    ctx.notes.push(`column ${column.name}: COLLATE ${quoteName(column.collation)} cannot be written with drizzle-orm on an array column`);
  }
  return call;
}

/** The options object of an identity column or a sequence, leaving out what would be the default anyway. */
export function sequenceOptionsCode(options: Omit<IdentityOptions, 'sequenceName'>, dataType: Sequence['dataType'], name?: string): string {
  const defaults = sequenceOptions({ increment: options.increment }, dataType, 'codegen');
  const parts: string[] = [];
  if (name !== undefined) parts.push(`name: ${tsString(name)}`);
  if (options.increment !== '1') parts.push(`increment: ${tsString(options.increment)}`);
  if (options.minValue !== defaults.minValue) parts.push(`minValue: ${tsString(options.minValue)}`);
  if (options.maxValue !== defaults.maxValue) parts.push(`maxValue: ${tsString(options.maxValue)}`);
  const start = sequenceOptions({ increment: options.increment, minValue: options.minValue, maxValue: options.maxValue }, dataType, 'codegen').start;
  if (options.start !== start) parts.push(`startWith: ${tsString(options.start)}`);
  if (options.cache !== '1') parts.push(`cache: ${tsString(options.cache)}`);
  if (options.cycle) parts.push('cycle: true');
  return parts.length === 0 ? '' : `{ ${parts.join(', ')} }`;
}

function identityOptions(identity: IdentityOptions, type: string, table: string, column: string): string {
  const dataType = (['smallint', 'integer', 'bigint'] as const).find((t) => t === type) ?? 'bigint';
  const defaultName = truncateIdentifier(`${table}_${column}_seq`);
  return sequenceOptionsCode(identity, dataType, identity.sequenceName === defaultName ? undefined : identity.sequenceName);
}
