import { index, integer, pgSchema, pgTable, primaryKey, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { describe, expect, test } from 'vitest';
import * as weird from '../test/fixtures/weird-names.js';
import { tableOf } from '../test/helpers.js';
import { canonicalJson } from './canonical-json.js';
import { parseSnapshot } from './parse-snapshot.js';
import { serializeSchema } from './serialize-schema.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const snapshot = serializeSchema(weird);

describe('weird identifiers', () => {
  test('quotes, spaces, capitals, reserved words, `;`, `--` and unicode are kept exactly (unquoted, as PostgreSQL stores them)', () => {
    const select = tableOf(snapshot, 'public', 'select');
    expect(select.columns.map((c) => c.name)).toEqual(['from', 'Quote"d', 'with space', 'Capital', 'semi;colon -- not a comment', 'café_ñ_日本']);
    expect(select.primaryKey).toEqual({ name: 'select_pkey', columns: ['from'] });
  });

  test('a schema and an enum with odd names, values with quotes', () => {
    const odd = snapshot.schemas['Odd "Schema"'];
    expect(odd?.enums['Status; --']).toEqual({ schema: 'Odd "Schema"', name: 'Status; --', values: ["it's", 'a "b"', 'naïve', 'ok;--'] });
    expect(odd?.tables['My Table']?.primaryKey).toEqual({ name: 'My Table_pkey', columns: ['Id'] });
    expect(odd?.tables['My Table']?.foreignKeys['My Table_ref_select_from_fk']).toMatchObject({ foreignSchema: 'public', foreignTable: 'select', onDelete: 'cascade' });
    const medium = tableOf(snapshot, 'public', weird.MEDIUM_TABLE);
    expect(medium.columns.find((c) => c.name === 'state_of_the_row')).toMatchObject({ type: 'Status; --', typeSchema: 'Odd "Schema"' });
  });

  test('a given name over 63 bytes is cut at 63 bytes, on a character boundary', () => {
    const cutTable = weird.LONG_TABLE.slice(0, 63);
    const long = tableOf(snapshot, 'public', cutTable);
    expect(long.name).toBe(cutTable);
    // 33 two-byte characters: 31 fit in 63 bytes (62), the 32nd would split.
    const cutColumn = 'é'.repeat(31);
    expect(long.columns.map((c) => c.name)).toEqual(['id', cutColumn]);
    expect(Object.keys(long.indexes)).toEqual(['an_index_name_that_is_also_much_longer_than_sixty_three_bytes_f']);
    expect(Object.keys(long.checks)).toEqual(['a_check_constraint_whose_name_is_also_far_too_long_for_postgres']);
    const [uniqueName] = Object.keys(long.uniques);
    expect(uniqueName).toBe('unique_日本語の名前は六十三バイトを超えると');
    expect(bytes(uniqueName as string)).toBeLessThanOrEqual(63);
    expect(long.uniques[uniqueName as string]?.columns).toEqual([cutColumn]);
  });

  test('a name PostgreSQL makes keeps its suffix: the table part is shortened instead (`…_pkey`)', () => {
    const long = tableOf(snapshot, 'public', weird.LONG_TABLE.slice(0, 63));
    expect(long.primaryKey?.name).toBe('a_table_name_that_is_much_longer_than_sixty_three_bytes_fo_pkey');
    expect(bytes(long.primaryKey?.name ?? '')).toBe(63);
  });

  test('drizzle’s default names over 63 bytes are cut like given names (drizzle-kit writes them into the DDL)', () => {
    const medium = tableOf(snapshot, 'public', weird.MEDIUM_TABLE);
    expect(Object.keys(medium.foreignKeys)).toEqual(['medium_length_table_name_for_default_names_select_from_the_othe']);
    expect(Object.keys(medium.indexes)).toEqual(['medium_length_table_name_for_default_names_select_from_the_othe']);
    expect(Object.keys(medium.uniques)).toEqual(['medium_length_table_name_for_default_names_id_state_of_the_row_']);
  });

  test('names that are JavaScript object internals (__proto__, constructor, prototype) are ordinary names', () => {
    const proto = pgTable('__proto__', { id: integer('id').primaryKey() }, (t) => [index('valueOf').on(t.id)]);
    const ctor = pgTable('constructor', { id: integer('id').unique('prototype') });
    const protoSchema = pgSchema('prototype');
    const inside = protoSchema.table('toString', { id: integer('id') });
    const s = serializeSchema({ proto, ctor, protoSchema, inside });
    expect(Object.keys(s.schemas.public?.tables ?? {}).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(s.schemas.public?.tables)).toBe(Object.prototype);
    expect(Object.keys(Object.getOwnPropertyDescriptor(s.schemas.public?.tables, '__proto__')?.value.indexes)).toEqual(['valueOf']);
    expect(Object.keys(Object.getOwnPropertyDescriptor(s.schemas.public?.tables, 'constructor')?.value.uniques)).toEqual(['prototype']);
    const text = canonicalJson(s);
    expect(text).toContain('"__proto__": {');
    const parsed = parseSnapshot(JSON.parse(text), 'proto.json');
    expect(canonicalJson(parsed)).toBe(text);
    expect(Object.keys(parsed.schemas.prototype?.tables ?? {})).toEqual(['toString']);
  });

  test('survives canonical JSON and parseSnapshot unchanged', () => {
    const text = canonicalJson(snapshot);
    expect(canonicalJson(parseSnapshot(JSON.parse(text)))).toBe(text);
  });
});

describe('a unique constraint on exactly the primary key’s columns (CREATE TABLE keeps one constraint)', () => {
  test('.primaryKey().unique() is one primary key, named like the unique constraint', () => {
    const posts = pgTable('Posts', { id: integer('id').primaryKey().unique(), n: integer('n').unique() });
    const table = tableOf(serializeSchema({ posts }), 'public', 'Posts');
    expect(table.primaryKey).toEqual({ name: 'Posts_id_unique', columns: ['id'] });
    expect(Object.keys(table.uniques)).toEqual(['Posts_n_unique']);
  });

  test('a named primary key keeps its name; a unique on other columns, in another order or NULLS NOT DISTINCT stays', () => {
    const t = pgTable('t', { a: integer('a'), b: integer('b') }, (c) => [
      primaryKey({ name: 't_key', columns: [c.a, c.b] }),
      unique('t_same').on(c.a, c.b),
      unique('t_swapped').on(c.b, c.a),
      unique('t_nnd').on(c.a, c.b).nullsNotDistinct(),
      unique('t_one').on(c.a),
    ]);
    const table = tableOf(serializeSchema({ t }), 'public', 't');
    expect(table.primaryKey).toEqual({ name: 't_key', columns: ['a', 'b'] });
    expect(Object.keys(table.uniques)).toEqual(['t_swapped', 't_nnd', 't_one']);
  });
});

describe('unique constraints repeating an earlier one (CREATE TABLE keeps the first)', () => {
  test('a column’s .unique() and unique().on() of the same column are one constraint: the column’s, as drizzle-kit lists it first', () => {
    const t = pgTable('t', { a: integer('a').unique(), b: integer('b') }, (c) => [unique('zz_code').on(c.a), unique('aa_code').on(c.a)]);
    expect(Object.keys(tableOf(serializeSchema({ t }), 'public', 't').uniques)).toEqual(['t_a_unique']);
  });

  test('in the third argument the first in code order stays (not the first by name); another column order stays too', () => {
    const t = pgTable('t', { a: integer('a'), b: integer('b') }, (c) => [unique('zz').on(c.a, c.b), unique('aa').on(c.a, c.b), unique('ba').on(c.b, c.a)]);
    expect(Object.keys(tableOf(serializeSchema({ t }), 'public', 't').uniques).sort()).toEqual(['ba', 'zz']);
  });

  test('NULLS NOT DISTINCT differs from a plain unique: one of each stays; a unique index is no constraint and stays', () => {
    const t = pgTable('t', { a: integer('a').unique('t_nnd', { nulls: 'not distinct' }) }, (c) => [
      unique('t_nnd2').on(c.a).nullsNotDistinct(), unique('t_plain').on(c.a), unique('t_plain2').on(c.a), uniqueIndex('t_idx').on(c.a),
    ]);
    const table = tableOf(serializeSchema({ t }), 'public', 't');
    expect(Object.keys(table.uniques).sort()).toEqual(['t_nnd', 't_plain']);
    expect(Object.keys(table.indexes)).toEqual(['t_idx']);
  });
});
