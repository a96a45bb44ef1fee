import { qualify, quoteIdent } from '@strata/core';
import { canonicalCollation, type Column } from '@strata/schema';

export type SerialKind = 'serial' | 'bigserial' | 'smallserial';

const SERIAL_BASE: Record<SerialKind, string> = { serial: 'integer', bigserial: 'bigint', smallserial: 'smallint' };

export function serialKind(type: string): SerialKind | undefined {
  return type === 'serial' || type === 'bigserial' || type === 'smallserial' ? type : undefined;
}

/** The real type of a column: `integer` for `serial`, and so on. */
export function baseType(type: string): string {
  const s = serialKind(type);
  return s ? SERIAL_BASE[s] : type;
}

type TypeOf = Pick<Column, 'type' | 'typeSchema' | 'dimensions'>;

/**
 * A column's type as SQL: built-in types as `format_type` spells them, user types quoted and
 * qualified, `[]` per dimension. `serial` stays `serial` unless `base` is asked for (casts need it).
 */
export function typeSql(c: TypeOf, options: { base?: boolean } = {}): string {
  const name = c.typeSchema !== undefined ? qualify(c.typeSchema, c.type) : options.base ? baseType(c.type) : c.type;
  return name + '[]'.repeat(Math.max(0, c.dimensions));
}

/** `COLLATE "x"` for a collation name; a name already written with quotes or a schema is kept. */
export function collationSql(collation: string): string {
  return `COLLATE ${quoteName(collation)}`;
}

/** Quotes an object name that may come schema-qualified (`pg_catalog.text_pattern_ops`) or already quoted. */
export function quoteName(name: string): string {
  if (name.includes('"')) return name;
  return name.split('.').map(quoteIdent).join('.');
}

/** Same stored type: base type, type schema, array or not, collation (dimensions beyond 1 are not enforced). */
export function sameType(a: Column, b: Column): boolean {
  return (
    baseType(a.type) === baseType(b.type) &&
    a.typeSchema === b.typeSchema &&
    a.dimensions > 0 === b.dimensions > 0 &&
    sameCollation(a.collation, b.collation)
  );
}

/** Same collation, however an older snapshot spelled it (see canonicalCollation). */
function sameCollation(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a === b || canonicalCollation(a) === canonicalCollation(b);
}

interface ParsedType {
  name: string;
  args: number[];
}

/** `character varying(255)` → { name: 'character varying', args: [255] }; `timestamp(3) with time zone` keeps its suffix. */
function parse(type: string): ParsedType {
  const m = /^([^(]*?)\s*\(([\d,\s]+)\)(.*)$/.exec(type);
  if (!m) return { name: type, args: [] };
  return { name: `${m[1]}${m[3]}`, args: m[2]!.split(',').map((x) => Number(x.trim())) };
}

const INT_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };

/**
 * True when every value of `from` converts to `to` and back unchanged, so no row can be refused or
 * altered (int → bigint, varchar(10) → varchar(20), numeric(5,2) → numeric(7,2), anything → text).
 * Anything else gets a guard that checks the rows first.
 */
export function isSafeWidening(from: Column, to: Column): boolean {
  if (from.dimensions > 0 !== to.dimensions > 0) return false;
  const a = parse(baseType(from.type));
  const b = parse(baseType(to.type));
  if (to.typeSchema === undefined && b.name === 'text' && from.dimensions === 0) return true;
  if (from.typeSchema !== undefined || to.typeSchema !== undefined) return false;
  const ra = INT_RANK[a.name];
  const rb = INT_RANK[b.name];
  if (ra !== undefined) {
    if (rb !== undefined) return rb >= ra;
    return b.name === 'numeric' && (b.args.length === 0 || (b.args[0]! - (b.args[1] ?? 0)) >= [0, 5, 10, 19][ra]!);
  }
  if (a.name === 'real' && b.name === 'double precision') return true;
  if (a.name === 'json' && b.name === 'jsonb') return true;
  if ((a.name === 'character varying' || a.name === 'text') && b.name === 'character varying') {
    return b.args.length === 0 || (a.name === 'character varying' && a.args.length > 0 && b.args[0]! >= a.args[0]!);
  }
  if (a.name === 'numeric' && b.name === 'numeric') {
    if (b.args.length === 0) return true;
    if (a.args.length === 0) return false;
    const [p1, s1 = 0] = a.args as [number, number?];
    const [p2, s2 = 0] = b.args as [number, number?];
    return s2 >= s1 && p2 - s2 >= p1 - s1;
  }
  if (a.name === b.name && /^(timestamp|time|interval)\b/.test(a.name)) {
    return b.args.length === 0 || (a.args.length > 0 && b.args[0]! >= a.args[0]!);
  }
  if (a.name.startsWith('interval') && b.name.startsWith('interval')) return intervalWidens(a, b);
  return false;
}

const INTERVAL_FIELDS = ['year', 'month', 'day', 'hour', 'minute', 'second'];

/**
 * An interval's fields only cut off what is finer than the last one (`interval hour to minute`
 * drops seconds); coarser parts are kept. So a change keeps every value when the new last field is
 * at least as fine, and the seconds precision does not shrink: `interval day to second` → `interval`
 * is a widening.
 */
function intervalWidens(a: ParsedType, b: ParsedType): boolean {
  const finest = (t: ParsedType) => {
    const last = t.name.slice('interval'.length).trim().split(/\s+/).pop() || 'second';
    return INTERVAL_FIELDS.indexOf(last);
  };
  const fa = finest(a);
  const fb = finest(b);
  if (fa < 0 || fb < 0 || fb < fa) return false;
  if (fb !== INTERVAL_FIELDS.length - 1 || fa !== fb) return true;
  return b.args.length === 0 || (a.args.length > 0 && b.args[0]! >= a.args[0]!);
}

/**
 * Whether PostgreSQL must rewrite the table for the change (a best effort: only the conversions it
 * documents as binary-coercible without a rewrite are treated as cheap).
 */
export function rewritesTable(from: Column, to: Column): boolean {
  if (from.typeSchema !== undefined || to.typeSchema !== undefined) return true;
  if (from.dimensions > 0 !== to.dimensions > 0) return true;
  const a = parse(baseType(from.type));
  const b = parse(baseType(to.type));
  if ((a.name === 'character varying' || a.name === 'text') && (b.name === 'text' || b.name === 'character varying')) {
    return b.name === 'character varying' && b.args.length > 0 && !(a.name === 'character varying' && a.args.length > 0 && b.args[0]! >= a.args[0]!);
  }
  if (a.name === 'numeric' && b.name === 'numeric') {
    return !(b.args.length === 0 || (a.args.length > 0 && (a.args[1] ?? 0) === (b.args[1] ?? 0) && b.args[0]! >= a.args[0]!));
  }
  if (a.name === b.name && /^(timestamp|time|interval)\b/.test(a.name)) {
    return !(b.args.length === 0 || (a.args.length > 0 && b.args[0]! >= a.args[0]!));
  }
  // PostgreSQL's interval_support: a cast that keeps every value (a finer or equal last field, a
  // precision that does not shrink) leaves the stored rows alone.
  if (a.name.startsWith('interval') && b.name.startsWith('interval') && from.dimensions === 0) return !intervalWidens(a, b);
  return baseType(from.type) !== baseType(to.type) || !sameCollation(from.collation, to.collation);
}

const FAMILIES: Record<string, string> = {
  smallint: 'number', integer: 'number', bigint: 'number', numeric: 'number', real: 'number', 'double precision': 'number',
  text: 'text', 'character varying': 'text', character: 'text', bpchar: 'text',
  date: 'time', 'timestamp without time zone': 'time', 'timestamp with time zone': 'time',
  json: 'json', jsonb: 'json',
};
/** `interval day to second(3)` and `interval` are one family: PostgreSQL casts between them directly. */
const familyName = (name: string) => (name.startsWith('interval') ? 'interval' : FAMILIES[name] ?? name);
const family = (c: TypeOf) => (c.typeSchema !== undefined ? `user:${c.typeSchema}.${c.type}` : familyName(parse(baseType(c.type)).name));

/**
 * Whether PostgreSQL has a cast from one type to the other (built-in casts between numbers, between
 * strings, between dates and timestamps, json and jsonb, integer and boolean, and from or to a string
 * type). Other conversions go through text, which works for any value whose text form the new type
 * accepts (the guard before the change names any row that does not).
 */
function hasDirectCast(from: TypeOf, to: TypeOf): boolean {
  if (from.dimensions > 0 !== to.dimensions > 0) return false;
  const a = family(from);
  const b = family(to);
  if (a === b || a === 'text' || b === 'text') return true;
  const pair = [baseType(from.type), baseType(to.type)].sort().join(',');
  return pair === 'boolean,integer';
}

/**
 * The SQL that converts a value of `from`'s type to `to`'s, as ALTER COLUMN … USING needs it: a
 * direct cast where PostgreSQL has one, through text otherwise (and always with `viaText`, for an
 * enum rebuilt under the same name).
 *
 * @example
 * castSql('"status"', { type: 'text', dimensions: 0 }, { type: 'mood', typeSchema: 'public', dimensions: 0 }) // => '"status"::"public"."mood"'
 */
export function castSql(value: string, from: TypeOf, to: TypeOf, options: { viaText?: boolean } = {}): string {
  const target = typeSql(to, { base: true });
  if (options.viaText || !hasDirectCast(from, to)) {
    return `${value}::text${from.dimensions > 0 && to.dimensions > 0 ? '[]' : ''}::${target}`;
  }
  return `${value}::${target}`;
}

const INTEGER_RANGES: Record<string, readonly [bigint, bigint]> = {
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

/**
 * Whether an identity's (or sequence's) MINVALUE and MAXVALUE lie within an integer type's range;
 * false for a type that is not smallint, integer or bigint.
 *
 * @example
 * fitsIntegerType({ minValue: '1', maxValue: '100000000000' }, 'integer') // => false
 * fitsIntegerType({ minValue: '1', maxValue: '1000' }, 'bigint')          // => true
 */
export function fitsIntegerType(bounds: { minValue: string; maxValue: string }, type: string): boolean {
  const range = INTEGER_RANGES[type];
  if (!range) return false;
  const [lo, hi] = range;
  return BigInt(bounds.minValue) >= lo && BigInt(bounds.maxValue) <= hi;
}
