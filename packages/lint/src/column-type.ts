import type { TypeName } from './ast.js';
import { strings } from './ast.js';

/**
 * A column type as PostgreSQL names it internally (`int4`, `varchar`, `timestamptz`, …) with its
 * modifiers (`varchar(20)` → `[20]`, `numeric(10,2)` → `[10, 2]`) and whether it is an array.
 */
export interface ColumnType {
  name: string;
  mods: number[];
  array: boolean;
}

// The parser already maps SQL keywords (`integer`, `character varying`…) to pg_catalog names; these
// are the spellings it leaves as written.
const ALIASES: Record<string, string> = {
  int: 'int4', integer: 'int4', smallint: 'int2', bigint: 'int8', serial: 'serial4', bigserial: 'serial8', smallserial: 'serial2',
  decimal: 'numeric', real: 'float4', float: 'float8', boolean: 'bool', character: 'bpchar', char: 'bpchar',
  'character varying': 'varchar', 'timestamp with time zone': 'timestamptz', 'timestamp without time zone': 'timestamp',
  'time with time zone': 'timetz', 'time without time zone': 'time', 'bit varying': 'varbit',
};

/**
 * The type a `TypeName` node names.
 *
 * @example
 * columnTypeOf(typeNameOf('varchar(20)')) // { name: 'varchar', mods: [20], array: false }
 */
export function columnTypeOf(t: TypeName): ColumnType {
  const raw = strings(t.names).at(-1) ?? '';
  const name = ALIASES[raw] ?? raw;
  const mods: number[] = [];
  for (const m of t.typmods ?? []) {
    if ('A_Const' in m && m.A_Const.ival && typeof m.A_Const.ival.ival === 'number') mods.push(m.A_Const.ival.ival);
  }
  return { name, mods, array: (t.arrayBounds?.length ?? 0) > 0 };
}

// The SQL spellings people write, for the internal names.
const DISPLAY: Record<string, string> = {
  int2: 'smallint', int4: 'integer', int8: 'bigint', serial2: 'smallserial', serial4: 'serial', serial8: 'bigserial',
  float4: 'real', float8: 'double precision', bool: 'boolean', bpchar: 'char',
};

/**
 * A type as people write it in SQL, for messages.
 *
 * @example
 * formatType({ name: 'varchar', mods: [20], array: false }) // 'varchar(20)'
 * formatType({ name: 'int4', mods: [], array: false })     // 'integer'
 */
export function formatType(t: ColumnType): string {
  const name = DISPLAY[t.name] ?? t.name;
  return `${name}${t.mods.length ? `(${t.mods.join(',')})` : ''}${t.array ? '[]' : ''}`;
}

/**
 * Reads a type from the catalog: `pg_type.typname` (arrays start with `_`) and `pg_attribute.atttypmod`.
 *
 * @example
 * columnTypeFromCatalog('varchar', 24) // { name: 'varchar', mods: [20], array: false }
 */
export function columnTypeFromCatalog(typname: string, typmod: number): ColumnType {
  const array = typname.startsWith('_');
  const name = array ? typname.slice(1) : typname;
  let mods: number[] = [];
  if (typmod >= 0) {
    if (name === 'varchar' || name === 'bpchar') mods = [typmod - 4];
    else if (name === 'numeric') mods = [((typmod - 4) >> 16) & 0xffff, (typmod - 4) & 0xffff];
    else if (['bit', 'varbit', 'timestamp', 'timestamptz', 'time', 'timetz'].includes(name)) mods = [typmod];
  }
  return { name, mods, array };
}

/** True for the 16- and 32-bit integer types (and their serial forms). */
export function isSmallInteger(t: ColumnType): boolean {
  return ['int2', 'int4', 'serial2', 'serial4'].includes(t.name) && !t.array;
}

export function isSerial(t: ColumnType): boolean {
  return ['serial2', 'serial4', 'serial8'].includes(t.name) && !t.array;
}
