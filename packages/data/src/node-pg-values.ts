import type { QueryResult } from '@strata/db';
import { parseArrayLiteral, type ArrayElement } from './pg-array-literal.js';

/**
 * Strata's connections return every value node-postgres would parse as text, except booleans,
 * int2/int4/oid/float4/float8 and json/jsonb (see @strata/db's value parsers). drizzle-orm 1.x
 * moved value decoding into per-driver codecs; its node-postgres codecs expect what node-postgres
 * returns with drizzle's type config: dates, timestamps, intervals and numeric[] as text, the rest
 * parsed by node-postgres's defaults. These are the parsers that close that gap, by type OID.
 */
const hex = (v: string): Buffer => Buffer.from(v.startsWith('\\x') ? v.slice(2) : v, 'hex');
const point = (v: string) => {
  const [x, y] = v.slice(1, -1).split(',');
  return { x: Number.parseFloat(x!), y: Number.parseFloat(y!) };
};
const circle = (v: string) => {
  const m = /^<\(([^,]+),([^)]+)\),([^>]+)>$/.exec(v);
  return m ? { x: Number.parseFloat(m[1]!), y: Number.parseFloat(m[2]!), radius: Number.parseFloat(m[3]!) } : v;
};
const asText = (v: string) => v;
const arrayOf = (element: (v: string) => unknown) => (v: string) => mapElements(parseArrayLiteral(v), element);

function mapElements(values: ArrayElement[], element: (v: string) => unknown): unknown[] {
  return values.map((e) => (e === null ? null : Array.isArray(e) ? mapElements(e, element) : element(e)));
}

const PARSERS = new Map<number, (value: string) => unknown>([
  [17, hex], [600, point], [718, circle],
  [1000, arrayOf((v) => v === 't')],
  [1001, arrayOf(hex)],
  [1005, arrayOf((v) => Number.parseInt(v, 10))], [1007, arrayOf((v) => Number.parseInt(v, 10))], [1028, arrayOf((v) => Number.parseInt(v, 10))],
  [1016, arrayOf(asText)],
  [1017, arrayOf(point)],
  [1021, arrayOf(Number.parseFloat)], [1022, arrayOf(Number.parseFloat)],
  [199, arrayOf((v) => JSON.parse(v) as unknown)], [3807, arrayOf((v) => JSON.parse(v) as unknown)],
  // char, name, varchar, text, regproc, macaddr, inet, cidr, uuid, money, time, timetz, numrange arrays
  ...[1014, 1003, 1015, 1009, 1008, 1040, 1041, 651, 2951, 791, 1183, 1270, 3907].map((oid) => [oid, arrayOf(asText)] as const),
]);

/**
 * A query result's rows with each value as node-postgres would have returned it to drizzle-orm
 * 1.x (arrays as arrays, bytea as a Buffer, point as { x, y }), for 1.x's node-postgres codecs.
 * Rows are arrays (`rowMode: 'array'`) or objects keyed by column name.
 *
 * @example
 * asNodePgRows({ rows: [['{a,b}']], fields: [{ name: 'tags', dataTypeID: 1009 }], rowCount: 1 }) // => [[['a', 'b']]]
 */
export function asNodePgRows(result: QueryResult<unknown>): unknown[] {
  const parsers = result.fields.map((f) => PARSERS.get(f.dataTypeID));
  if (!parsers.some(Boolean)) return result.rows;
  const parse = (value: unknown, i: number) => {
    const p = parsers[i];
    return p && typeof value === 'string' ? p(value) : value;
  };
  return result.rows.map((row) => {
    if (Array.isArray(row)) return row.map(parse);
    const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
    result.fields.forEach((f, i) => {
      out[f.name] = parse(out[f.name], i);
    });
    return out;
  });
}
