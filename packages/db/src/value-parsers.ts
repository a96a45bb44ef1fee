/**
 * Both drivers return values in one shape, so no caller depends on which one is behind:
 * booleans as booleans; int2/int4/oid/float4/float8 as numbers; json/jsonb parsed; every other
 * type (int8, numeric, dates, timestamps, arrays, bytea, …) as PostgreSQL's text form.
 * int8 stays a string because one driver returns a BigInt for big values and JSON cannot hold it.
 */
export const OID = {
  bool: 16,
  int2: 21,
  int4: 23,
  oid: 26,
  float4: 700,
  float8: 701,
  json: 114,
  jsonb: 3802,
} as const;

const parseBool = (v: string) => v === 't' || v === 'true';
const parseNum = (v: string) => Number(v);
const parseJson = (v: string): unknown => JSON.parse(v);

export const VALUE_PARSERS: Record<number, (value: string) => unknown> = {
  [OID.bool]: parseBool,
  [OID.int2]: parseNum,
  [OID.int4]: parseNum,
  [OID.oid]: parseNum,
  [OID.float4]: parseNum,
  [OID.float8]: parseNum,
  [OID.json]: parseJson,
  [OID.jsonb]: parseJson,
};

/** The parser for one type: ours, or the identity (text form). */
export function parserFor(oid: number): (value: string) => unknown {
  return VALUE_PARSERS[oid] ?? ((v: string) => v);
}
