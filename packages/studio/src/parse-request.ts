import { StrataError } from '@strata/core';
import type {
  ConsoleRequest, DeleteManyRequest, DeleteRequest, ReferencingRequest, Filter, FilterOp, InsertRequest, Row, RowsRequest, Sort, UpdateRequest, WriteValues,
} from './api-types.js';

// The page is ours, but the API is reachable by anything holding the token: check every field.

type Json = Record<string, unknown>;

function bad(message: string): StrataError {
  return new StrataError('USAGE', `bad request: ${message}`);
}

function object(v: unknown, what: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`${what} must be an object`);
  return v as Json;
}

function string(v: unknown, what: string): string {
  if (typeof v !== 'string') throw bad(`${what} must be a string`);
  return v;
}

function integer(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw bad(`${what} must be a non-negative integer`);
  return v;
}

const OPS: ReadonlySet<FilterOp> = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'contains', 'is-null', 'not-null']);

function filter(v: unknown, i: number): Filter {
  const f = object(v, `filters[${i}]`);
  const op = string(f.op, `filters[${i}].op`) as FilterOp;
  if (!OPS.has(op)) throw bad(`filters[${i}].op must be one of ${[...OPS].join(', ')}`);
  const out: Filter = { column: string(f.column, `filters[${i}].column`), op };
  if (op !== 'is-null' && op !== 'not-null') out.value = string(f.value, `filters[${i}].value`);
  return out;
}

function sort(v: unknown): Sort | null {
  if (v === null || v === undefined) return null;
  const s = object(v, 'sort');
  const direction = s.direction === 'desc' ? 'desc' : s.direction === 'asc' ? 'asc' : null;
  if (!direction) throw bad('sort.direction must be "asc" or "desc"');
  return { column: string(s.column, 'sort.column'), direction };
}

function values(v: unknown): WriteValues {
  const o = object(v, 'values');
  const out: WriteValues = {};
  for (const [k, x] of Object.entries(o)) {
    if (x !== null && typeof x !== 'string') throw bad(`values["${k}"] must be a string or null`);
    out[k] = x;
  }
  return out;
}

function table(o: Json): { schema: string; table: string } {
  return { schema: string(o.schema, 'schema'), table: string(o.table, 'table') };
}

export function parseRowsRequest(body: unknown): RowsRequest {
  const o = object(body, 'the body');
  const filters = o.filters === undefined ? [] : o.filters;
  if (!Array.isArray(filters)) throw bad('filters must be an array');
  return { ...table(o), limit: integer(o.limit, 'limit'), offset: integer(o.offset, 'offset'), sort: sort(o.sort), filters: filters.map(filter) };
}

export function parseInsertRequest(body: unknown): InsertRequest {
  const o = object(body, 'the body');
  return { ...table(o), values: values(o.values) };
}

export function parseUpdateRequest(body: unknown): UpdateRequest {
  const o = object(body, 'the body');
  return { ...table(o), key: object(o.key, 'key') as Row, values: values(o.values) };
}

export function parseDeleteRequest(body: unknown): DeleteRequest {
  const o = object(body, 'the body');
  return { ...table(o), key: object(o.key, 'key') as Row };
}

export function parseDeleteManyRequest(body: unknown): DeleteManyRequest {
  const o = object(body, 'the body');
  if (!Array.isArray(o.keys)) throw bad('keys must be an array');
  return { ...table(o), keys: o.keys.map((k, i) => object(k, `keys[${i}]`) as Row) };
}

export function parseReferencingRequest(body: unknown): ReferencingRequest {
  const o = object(body, 'the body');
  return { ...table(o), values: object(o.values, 'values') as Row };
}

export function parseConsoleRequest(body: unknown): ConsoleRequest {
  const o = object(body, 'the body');
  const sql = string(o.sql, 'sql');
  if (sql.trim() === '') throw bad('sql is empty');
  if (typeof o.write !== 'boolean') throw bad('write must be true or false');
  return { sql, write: o.write };
}
