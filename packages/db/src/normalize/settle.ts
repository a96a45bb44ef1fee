import { getEntry, setEntry, type Column, type SchemaDef, type Snapshot, type Table, type View } from '@strata/model';

/** Objects a reference could not settle, as `schema\0name` keys. */
export interface OpenObjects {
  tables: Set<string>;
  views: Set<string>;
  enums: Set<string>;
  sequences: Set<string>;
}

export interface Settlement {
  /**
   * The input snapshot where every settled table carries the reference's spelling of its
   * expressions. Open objects are left as the input spells them.
   */
  snapshot: Snapshot;
  open: OpenObjects;
  /** Nothing is open: `snapshot` is the server's spelling, no build needed. */
  closed: boolean;
  /**
   * An open view or policy: their expressions may read any table, so only building the whole
   * snapshot spells them. Otherwise the open tables (with their foreign keys' targets) suffice.
   */
  wholeBuild: boolean;
}

/** `schema\0name`: names may hold dots, NUL they cannot. */
export const objectKey = (schema: string, name: string): string => `${schema}\0${name}`;

/**
 * Settles what a server spelling of `code` would be wherever a reference already spelled by that
 * server (normally `introspect` of the target database) proves it: an object is settled when it
 * equals the reference's object exactly, after the one rewrite PostgreSQL is known to make
 * (`sameDefault`). Everything else stays open and must be spelled by the server. A no-change
 * `push` or `check` then builds nothing in scratch schemas.
 *
 * The rule is one-sided: a settled object is always exactly what the server would print, and any
 * doubt leaves the object open.
 *
 * @example
 * const { snapshot, open } = settleAgainst(code, await introspect(db, { schemas: ['public'] }));
 * open.tables.size // => 0 when the database already matches the code
 */
export function settleAgainst(code: Snapshot, reference: Snapshot): Settlement {
  const open: OpenObjects = { tables: new Set(), views: new Set(), enums: new Set(), sequences: new Set() };
  const snapshot: Snapshot = { ...code, schemas: {} };
  let openPolicy = false;
  for (const [schemaName, def] of Object.entries(code.schemas)) {
    const ref = getEntry(reference.schemas, schemaName);
    const refOf = <T>(pick: (d: SchemaDef) => Record<string, T>, name: string): T | undefined => (ref ? getEntry(pick(ref), name) : undefined);
    const tables: Record<string, Table> = {};
    for (const [name, table] of Object.entries(def.tables)) {
      const live = refOf((d) => d.tables, name);
      const spelled = live ? settleTable(table, live) : undefined;
      setEntry(tables, name, spelled ?? table);
      if (spelled) continue;
      open.tables.add(objectKey(schemaName, name));
      openPolicy ||= Object.values(table.policies).some((p) => p.using !== undefined || p.withCheck !== undefined);
    }
    for (const [name, e] of Object.entries(def.enums)) {
      const live = refOf((d) => d.enums, name);
      if (!live || !sameJson(live, e)) open.enums.add(objectKey(schemaName, name));
    }
    for (const [name, s] of Object.entries(def.sequences)) {
      const live = refOf((d) => d.sequences, name);
      if (!live || !sameJson(live, s)) open.sequences.add(objectKey(schemaName, name));
    }
    for (const [name, v] of Object.entries(def.views)) {
      const live = refOf((d) => d.views, name);
      if (!live || !sameView(live, v)) open.views.add(objectKey(schemaName, name));
    }
    setEntry(snapshot.schemas, schemaName, { ...def, tables });
  }
  const closed = open.tables.size + open.views.size + open.enums.size + open.sequences.size === 0;
  return { snapshot, open, closed, wholeBuild: open.views.size > 0 || openPolicy };
}

/** The table with the reference's spelling of its defaults, when that makes it equal the reference. */
function settleTable(table: Table, live: Table): Table | undefined {
  const liveColumns = new Map(live.columns.map((c) => [c.name, c]));
  const columns = table.columns.map((c) => {
    const l = liveColumns.get(c.name);
    if (c.default === undefined || l?.default === undefined || c.default === l.default) return c;
    if (l.type !== c.type || l.typeSchema !== c.typeSchema || l.dimensions !== c.dimensions) return c;
    return sameDefault(c.default, l.default, l) ? { ...c, default: l.default } : c;
  });
  const spelled = { ...table, columns };
  return sameTable(spelled, live) ? spelled : undefined;
}

/** Equal as the differ sees tables: column order and build hints (`concurrently`) do not count. */
function sameTable(a: Table, b: Table): boolean {
  if (a.columns.length !== b.columns.length) return false;
  const byName = new Map(b.columns.map((c) => [c.name, c]));
  for (const c of a.columns) if (!sameJson(c, byName.get(c.name))) return false;
  const { columns: _a, indexes: ia, ...restA } = a;
  const { columns: _b, indexes: ib, ...restB } = b;
  if (!sameJson(restA, restB)) return false;
  const keys = Object.keys(ia);
  if (keys.length !== Object.keys(ib).length) return false;
  return keys.every((k) => Object.hasOwn(ib, k) && sameJson({ ...ia[k], concurrently: undefined }, { ...ib[k], concurrently: undefined }));
}

const sameView = (a: View, b: View): boolean => sameJson({ ...a, withNoData: undefined }, { ...b, withNoData: undefined });

/**
 * Equality of two JSON-like values as their canonical JSON would compare: key order and
 * `undefined` members do not count, array order does.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    return a.length === bs.length && a.every((x, i) => sameJson(x, bs[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(rb, k) && sameJson(ra[k], rb[k]));
}

const STRING_LITERAL = /^'(?:[^']|'')*'$/;
/** Negative integers that surely fit in `integer`, and negative decimals: the types the parser gives them. */
const NEGATIVE_INTEGER = /^-\d{1,9}$/;
const NEGATIVE_DECIMAL = /^-\d+\.\d+$/;
const SIMPLE_NAME = /^[a-z_][a-z0-9_$]*$/;
const TYPMOD = /\(\s*\d+\s*(?:,\s*-?\d+\s*)?\)/g;

/**
 * Whether `live` is how the server prints the default `code` of a column of the reference's
 * type `column`. Two rewrites are known:
 * - an untyped string literal becomes a constant of the column's type: `'active'` →
 *   `'active'::status`, `'0'` → `'0'::numeric`;
 * - a negative number keeps the type the parser gave it, `-1` → `'-1'::integer`, `-1.5` →
 *   `'-1.5'::numeric` (a cast to the column's type, when needed, is implicit and not printed).
 *
 * Sound because the literal printed is the stored constant's output text: when it is the code's
 * literal unchanged and its type is the one the code's default gets, both store the same
 * constant under the same (hidden) coercion to the column's type. Anything else (a value the
 * input function rewrote, `bpchar` for `character(n)`, …) is not settled here and goes to the
 * server. A test checks the rule against the server for every pair of a list of types and
 * defaults.
 *
 * @example
 * sameDefault(`'active'`, `'active'::status`, { type: 'status', typeSchema: 'public', dimensions: 0 }) // => true
 */
export function sameDefault(code: string, live: string, column: Pick<Column, 'type' | 'typeSchema' | 'dimensions'>): boolean {
  let literal: string;
  let casts: string[];
  if (STRING_LITERAL.test(code)) [literal, casts] = [code, castSpellings(column)];
  else if (NEGATIVE_INTEGER.test(code)) [literal, casts] = [`'${code}'`, ['integer']];
  else if (NEGATIVE_DECIMAL.test(code)) [literal, casts] = [`'${code}'`, ['numeric']];
  else return false;
  if (!live.startsWith(`${literal}::`)) return false;
  return casts.includes(live.slice(literal.length + 2));
}

/** The ways the server may print a cast to the column's type (typmods are never printed in a cast). */
function castSpellings(column: Pick<Column, 'type' | 'typeSchema' | 'dimensions'>): string[] {
  const array = column.dimensions > 0 ? '[]' : '';
  if (column.typeSchema === undefined) {
    // A built-in type, spelled by format_type: its cast reads the same without the typmod.
    if (column.type.includes('"')) return [];
    return [`${column.type.replace(TYPMOD, '')}${array}`];
  }
  const names = identSpellings(column.type);
  const schemas = identSpellings(column.typeSchema);
  return [...names, ...schemas.flatMap((s) => names.map((n) => `${s}.${n}`))].map((n) => `${n}${array}`);
}

function identSpellings(name: string): string[] {
  const quoted = `"${name.replaceAll('"', '""')}"`;
  return SIMPLE_NAME.test(name) ? [name, quoted] : [quoted];
}
