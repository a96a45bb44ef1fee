import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { parseSnapshot } from './parse-snapshot.js';
import type { Column, Index, Snapshot, Table } from './snapshot.js';

// Names drawn from characters that break naive quoting: quotes, spaces, `;`, `-`, dots, unicode.
const nameChar = fc.constantFrom('a', 'b', 'Z', '_', '1', ' ', '"', "'", ';', '-', '.', 'é', '日', '$');
const name = fc.string({ unit: nameChar, minLength: 1, maxLength: 12 });
const types = fc.constantFrom('integer', 'text', 'character varying(20)', 'timestamp(3) with time zone', 'numeric(10,2)', 'jsonb', 'mood');
const expression = fc.constantFrom('now()', "'x'", '42', '(1 + 2)', '"t"."a" > 0', `'{"a":1}'::jsonb`);

const column: fc.Arbitrary<Column> = fc.record(
  {
    name,
    type: types,
    dimensions: fc.integer({ min: 0, max: 2 }),
    notNull: fc.boolean(),
    default: expression,
  },
  { requiredKeys: ['name', 'type', 'dimensions', 'notNull'] },
);

const table = (schema: string): fc.Arbitrary<Table> =>
  fc
    .record({ name, columns: fc.uniqueArray(column, { selector: (c) => c.name, minLength: 1, maxLength: 5 }), rlsEnabled: fc.boolean() })
    .chain(({ name: tableName, columns, rlsEnabled }) => {
      const names = columns.map((c) => c.name);
      const index: fc.Arbitrary<Index> = fc.record({
        name,
        unique: fc.boolean(),
        method: fc.constantFrom('btree', 'gin', 'hash'),
        elements: fc.shuffledSubarray(names, { minLength: 1 }).map((cols) => cols.map((value) => ({ value, expression: false, desc: value.length % 2 === 0, nullsFirst: false }))),
        nullsNotDistinct: fc.constant(false),
      });
      return fc.record({
        pk: fc.option(fc.shuffledSubarray(names, { minLength: 1 }), { nil: undefined }),
        uniques: fc.uniqueArray(fc.record({ name, columns: fc.shuffledSubarray(names, { minLength: 1 }), nullsNotDistinct: fc.boolean() }), { selector: (u) => u.name, maxLength: 2 }),
        indexes: fc.uniqueArray(index, { selector: (i) => i.name, maxLength: 2 }),
      }).map(({ pk, uniques, indexes }): Table => {
        const t: Table = {
          schema,
          name: tableName,
          columns,
          uniques: Object.fromEntries(uniques.map((u) => [u.name, u])),
          checks: {},
          foreignKeys: {},
          indexes: Object.fromEntries(indexes.map((i) => [i.name, i])),
          rlsEnabled,
          policies: {},
        };
        if (pk) t.primaryKey = { name: `${tableName}_pkey`.slice(0, 40), columns: pk };
        return t;
      });
    });

const snapshot: fc.Arbitrary<Snapshot> = fc
  .uniqueArray(name, { maxLength: 2 })
  .chain((extra) => {
    const schemaNames = ['public', ...extra.filter((s) => s !== 'public')];
    return fc.tuple(
      ...schemaNames.map((s) =>
        fc.record({
          tables: fc.uniqueArray(table(s), { selector: (t) => t.name, maxLength: 3 }),
          enums: fc.uniqueArray(fc.record({ name, values: fc.uniqueArray(fc.string({ maxLength: 6 }), { maxLength: 4 }) }), { selector: (e) => e.name, maxLength: 2 }),
        }).map(({ tables, enums }) => ({
          name: s,
          tables: Object.fromEntries(tables.map((t) => [t.name, t])),
          enums: Object.fromEntries(enums.map((e) => [e.name, { schema: s, ...e }])),
          sequences: {},
          views: {},
        })),
      ),
    );
  })
  .map((schemas): Snapshot => ({ version: 1, dialect: 'postgresql', schemas: Object.fromEntries(schemas.map((s) => [s.name, s])) }));

function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => shuffleKeys(v, seed + i));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const rotated = entries.length === 0 ? entries : [...entries.slice(seed % entries.length), ...entries.slice(0, seed % entries.length)].reverse();
    return Object.fromEntries(rotated.map(([k, v], i) => [k, shuffleKeys(v, seed + i + 1)]));
  }
  return value;
}

describe('canonical JSON and parseSnapshot (properties)', () => {
  test('any valid snapshot survives canonical JSON → parseSnapshot unchanged, byte for byte', () => {
    fc.assert(
      fc.property(snapshot, (s) => {
        const text = canonicalJson(s);
        const parsed = parseSnapshot(JSON.parse(text), 'generated');
        expect(parsed).toEqual(s);
        expect(canonicalJson(parsed)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  test('key order never changes the text: equal snapshots give byte-identical files', () => {
    fc.assert(
      fc.property(snapshot, fc.nat(), (s, seed) => {
        expect(canonicalJson(shuffleKeys(s, seed))).toBe(canonicalJson(s));
      }),
      { numRuns: 200 },
    );
  });

  test('canonical JSON of any JSON value is stable: writing what was read gives the same text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(text.endsWith('\n')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
