import { describe, expect, test } from 'vitest';
import { normalizeColumnType } from './column-type.js';

describe('normalizeColumnType', () => {
  test.each([
    // integers and serials
    ['int', 'integer'],
    ['int4', 'integer'],
    ['INTEGER', 'integer'],
    ['int2', 'smallint'],
    ['int8', 'bigint'],
    ['serial4', 'serial'],
    ['serial8', 'bigserial'],
    ['serial2', 'smallserial'],
    ['bigserial', 'bigserial'],
    // floating point and numeric
    ['float4', 'real'],
    ['float8', 'double precision'],
    ['float', 'double precision'],
    ['float(10)', 'real'],
    ['float(25)', 'double precision'],
    ['numeric', 'numeric'],
    ['decimal', 'numeric'],
    ['numeric(10)', 'numeric(10,0)'],
    ['numeric(10, 2)', 'numeric(10,2)'],
    ['decimal(12,4)', 'numeric(12,4)'],
    ['bool', 'boolean'],
    // character types
    ['varchar', 'character varying'],
    ['varchar(255)', 'character varying(255)'],
    ['character varying(20)', 'character varying(20)'],
    ['char', 'character(1)'],
    ['char(3)', 'character(3)'],
    ['bpchar', 'bpchar'],
    ['bpchar(5)', 'character(5)'],
    ['"char"', '"char"'],
    ['bit', 'bit(1)'],
    ['bit(3)', 'bit(3)'],
    ['varbit(8)', 'bit varying(8)'],
    // date and time, including drizzle's `timestamp (3)` spelling
    ['timestamp', 'timestamp without time zone'],
    ['timestamp (3)', 'timestamp(3) without time zone'],
    ['timestamp(3) with time zone', 'timestamp(3) with time zone'],
    ['timestamp (6) with time zone', 'timestamp(6) with time zone'],
    ['timestamptz', 'timestamp with time zone'],
    ['timestamptz(2)', 'timestamp(2) with time zone'],
    ['time', 'time without time zone'],
    ['time(3) with time zone', 'time(3) with time zone'],
    ['timetz', 'time with time zone'],
    ['interval', 'interval'],
    ['interval(3)', 'interval(3)'],
    ['interval day to second(3)', 'interval day to second(3)'],
    ['interval YEAR', 'interval year'],
    // types kept as they are
    ['text', 'text'],
    ['JSONB', 'jsonb'],
    ['uuid', 'uuid'],
    ['macaddr8', 'macaddr8'],
    ['tsvector', 'tsvector'],
    // extension types: name folded like an unquoted identifier, modifier kept
    ['vector(3)', 'vector(3)'],
    ['geometry(Point, 4326)', 'geometry(Point,4326)'],
    ['CITEXT', 'citext'],
  ])('%s → %s', (input, type) => {
    expect(normalizeColumnType(input)).toEqual({ type, dimensions: 0 });
  });

  test('array suffixes become dimensions, sizes are ignored', () => {
    expect(normalizeColumnType('integer[]')).toEqual({ type: 'integer', dimensions: 1 });
    expect(normalizeColumnType('text[][]')).toEqual({ type: 'text', dimensions: 2 });
    expect(normalizeColumnType('varchar(20)[3]')).toEqual({ type: 'character varying(20)', dimensions: 1 });
    expect(normalizeColumnType('int4 array')).toEqual({ type: 'integer', dimensions: 1 });
  });

  test('a schema-qualified user type is split into typeSchema and its bare name', () => {
    expect(normalizeColumnType('"auth"."Role"')).toEqual({ type: 'Role', typeSchema: 'auth', dimensions: 0 });
    expect(normalizeColumnType('Billing.Currency[]')).toEqual({ type: 'currency', typeSchema: 'billing', dimensions: 1 });
    expect(normalizeColumnType('"My ""Type"""')).toEqual({ type: 'My "Type"', dimensions: 0 });
    expect(normalizeColumnType('pg_catalog.int4')).toEqual({ type: 'integer', dimensions: 0 });
  });
});

describe('normalizeColumnType: quoted parts and collations (issue 15, defect 6)', () => {
  test.each([
    ['text COLLATE "C"', { type: 'text', dimensions: 0, collation: 'C' }],
    ['TEXT collate "de-x-icu"', { type: 'text', dimensions: 0, collation: 'de-x-icu' }],
    ['varchar(20) COLLATE pg_catalog."POSIX"', { type: 'character varying(20)', dimensions: 0, collation: 'POSIX' }],
    ['text[] COLLATE "C"', { type: 'text', dimensions: 1, collation: 'C' }],
    ['text COLLATE Custom', { type: 'text', dimensions: 0, collation: 'custom' }],
    ['text COLLATE "my"."Coll"', { type: 'text', dimensions: 0, collation: 'my.Coll' }],
    // public is where an unqualified name finds it, and how introspection names it (collationName)
    ['text COLLATE "public"."nocase"', { type: 'text', dimensions: 0, collation: 'nocase' }],
    ['text COLLATE public.NoCase', { type: 'text', dimensions: 0, collation: 'nocase' }],
    ['text COLLATE "a.b"', { type: 'text', dimensions: 0, collation: '"a.b"' }],
    ['text COLLATE "default"', { type: 'text', dimensions: 0 }],
    ['"Mood" COLLATE "C"', { type: 'Mood', dimensions: 0, collation: 'C' }],
    ['Geometry(Point,4326)', { type: 'geometry(Point,4326)', dimensions: 0 }],
    ['vector(3)', { type: 'vector(3)', dimensions: 0 }],
  ])('%s', (input, expected) => {
    expect(normalizeColumnType(input)).toEqual(expected);
  });
});
