import type { ColumnType } from './column-type.js';

/** What `ALTER COLUMN … TYPE` does to a table's rows. */
export type TypeChangeEffect =
  /** Only the catalog changes (binary-coercible, or a wider limit): brief lock, no scan. */
  | 'metadata'
  /** Every row is rewritten under an ACCESS EXCLUSIVE lock, indexes rebuilt. */
  | 'rewrite'
  /** The old type is not known: treat it as a rewrite. */
  | 'unknown';

// Types whose limit is checked by a length coercion that PostgreSQL drops when the new limit is
// not smaller (varchar_support, numeric_support, varbit_support, timestamp_support…).
const WIDENABLE = new Set(['varchar', 'varbit', 'timestamp', 'timestamptz', 'time', 'timetz', 'interval']);

// Pairs PostgreSQL converts without touching the rows (pg_cast.castmethod = 'b', no length check).
const RELABEL: ReadonlySet<string> = new Set([
  'varchar>text', 'text>varchar', 'cidr>inet', 'xml>text', 'xml>varchar',
  // with TimeZone = UTC, which the runner pins, PostgreSQL 12+ skips the rewrite both ways
  'timestamp>timestamptz', 'timestamptz>timestamp',
]);

/**
 * Whether changing a column from one type to another rewrites the table.
 *
 * @example
 * typeChangeEffect({ name: 'varchar', mods: [20], array: false }, { name: 'text', mods: [], array: false }) // 'metadata'
 * typeChangeEffect({ name: 'int4', mods: [], array: false }, { name: 'int8', mods: [], array: false })     // 'rewrite'
 */
export function typeChangeEffect(from: ColumnType | null, to: ColumnType, usingExpression = false): TypeChangeEffect {
  if (from === null) return 'unknown';
  if (usingExpression) return 'rewrite';
  if (from.array !== to.array) return 'rewrite';
  if (from.name === to.name) {
    if (sameMods(from.mods, to.mods)) return 'metadata';
    if (to.mods.length === 0 && (WIDENABLE.has(from.name) || from.name === 'numeric')) return 'metadata';
    if (from.mods.length === 0) return 'rewrite'; // adding a limit checks (and for some types coerces) every row
    if (WIDENABLE.has(from.name)) return to.mods[0]! >= from.mods[0]! ? 'metadata' : 'rewrite';
    if (from.name === 'numeric') {
      // numeric(p,s) → numeric(p2,s): wider precision, same scale
      const [p, s = 0] = from.mods;
      const [p2, s2 = 0] = to.mods;
      return s2 === s && p2! >= p! ? 'metadata' : 'rewrite';
    }
    return 'rewrite';
  }
  const pair = `${from.name}>${to.name}`;
  if (!RELABEL.has(pair)) return 'rewrite';
  // text/xml → varchar(n) must check every value's length: a rewrite-equivalent scan.
  if (to.name === 'varchar' && to.mods.length > 0) return 'rewrite';
  if ((from.name === 'timestamp' || from.name === 'timestamptz') && to.mods.length > 0 && (from.mods[0] ?? 6) > to.mods[0]!) return 'rewrite';
  return 'metadata';
}

function sameMods(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
