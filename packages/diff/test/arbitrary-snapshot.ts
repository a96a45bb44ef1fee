import fc from 'fast-check';
import { makeObjectName, quoteIdent as qi } from '@strata/core';
import type { Column, Snapshot, Table } from '@strata/schema';
import type { RenamePair, RenameResolver } from '../src/index.js';
import { check, col, el, enumOf, fk, identity, index, pk, policy, schema, seq, snap, table, unique, view } from './build.js';

/**
 * Random small schemas for property tests. Names come from small pools, so two independent
 * schemas share tables and columns and their diff alters them (types, defaults, NOT NULL,
 * identities, generated columns, keys, indexes, foreign keys, enums, views, policies) as well as
 * creating and dropping them. Specs are repaired into valid snapshots (a PK column is NOT NULL,
 * a foreign key points at a primary key of the same type, …).
 */

const TYPES = [
  'integer', 'bigint', 'text', 'character varying(10)', 'character varying(40)', 'boolean', 'numeric(8,2)', 'numeric',
  'timestamp with time zone', 'date', 'jsonb', 'serial', 'bigserial', 'ENUM', 'integer[]', 'text[]',
] as const;

const DEFAULTS: Record<string, string> = {
  integer: '0', bigint: '7', text: `'x'::text`, 'character varying(10)': `'v'::character varying`, 'character varying(40)': `'w'::character varying`,
  boolean: 'true', 'numeric(8,2)': '1.5', numeric: '2', 'timestamp with time zone': 'now()', date: 'CURRENT_DATE', jsonb: `'{}'::jsonb`,
  'integer[]': `'{}'::integer[]`, 'text[]': `'{a}'::text[]`,
};

const colSpec = fc.record({
  name: fc.constantFrom('id', 'a', 'b', 'c', 'd'),
  type: fc.constantFrom(...TYPES),
  notNull: fc.boolean(),
  withDefault: fc.boolean(),
  identity: fc.nat(5),
  generated: fc.nat(5),
  collate: fc.nat(5),
});

const tableSpec = fc.record({
  name: fc.constantFrom('t1', 't2', 't3'),
  cols: fc.uniqueArray(colSpec, { selector: (c) => c.name, minLength: 1, maxLength: 4 }),
  pk: fc.boolean(),
  unique: fc.option(fc.nat(3)),
  check: fc.option(fc.nat(3)),
  indexes: fc.array(fc.record({ col: fc.nat(3), unique: fc.boolean(), desc: fc.boolean(), partial: fc.boolean(), concurrently: fc.boolean() }), { maxLength: 2 }),
  fk: fc.option(fc.record({ col: fc.nat(3), target: fc.nat(2) })),
  rls: fc.boolean(),
  policy: fc.option(fc.nat(3)),
});

export const worldSpec = fc.record({
  enums: fc.uniqueArray(fc.record({ name: fc.constantFrom('e1', 'e2'), values: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 4 }) }), {
    selector: (e) => e.name, maxLength: 2,
  }),
  tables: fc.uniqueArray(tableSpec, { selector: (t) => t.name, maxLength: 3 }),
  extraSchema: fc.constantFrom(null, 'x', 'y'),
  view: fc.option(fc.record({ table: fc.nat(2), materialized: fc.boolean() })),
  sequence: fc.option(fc.constantFrom('1', '2', '5')),
});
export type WorldSpec = typeof worldSpec extends fc.Arbitrary<infer T> ? T : never;

const INTS = new Set(['integer', 'bigint']);
const base = (t: string) => (t === 'serial' ? 'integer' : t === 'bigserial' ? 'bigint' : t);

function buildTable(s: string, spec: WorldSpec['tables'][number], enums: WorldSpec['enums']): Table {
  const t = spec.name;
  const cols: Column[] = spec.cols.map((c) => {
    let type: string = c.type;
    const extras: Partial<Column> = { notNull: c.notNull };
    if (type === 'ENUM') {
      const e = enums[0];
      if (!e) type = 'text';
      else {
        extras.typeSchema = s;
        type = e.name;
        if (c.withDefault) extras.default = `'${e.values[0]}'::${qi(s)}.${qi(e.name)}`;
      }
    }
    if (type.endsWith('[]')) extras.dimensions = 1;
    if (type === 'serial' || type === 'bigserial') extras.notNull = true;
    else if (INTS.has(type) && c.identity === 0) {
      extras.notNull = true;
      extras.identity = identity(makeObjectName(t, c.name, 'seq'), type === 'bigint' ? { maxValue: '9223372036854775807', type: 'byDefault' } : {});
    } else if (c.withDefault && DEFAULTS[type] !== undefined && extras.default === undefined) {
      extras.default = DEFAULTS[type]!;
    }
    if ((type === 'text' || type.startsWith('character varying')) && c.collate === 0) extras.collation = 'C';
    return col(c.name, type.endsWith('[]') ? type.slice(0, -2) : type, extras);
  });
  // A generated column reads another integer column of the table.
  spec.cols.forEach((c, i) => {
    const me = cols[i]!;
    if (c.generated !== 0 || !INTS.has(me.type) || me.dimensions > 0 || me.identity) return;
    // Only columns that never become generated may be read (PostgreSQL forbids generated from generated).
    const source = cols.find((o, j) => spec.cols[j]!.generated !== 0 && INTS.has(base(o.type)) && o.dimensions === 0);
    if (!source) return;
    delete me.default;
    me.generated = { expression: `${qi(source.name)} * 2` };
  });
  const plain = cols.filter((c) => !c.generated);
  const pkCol = spec.pk ? plain.find((c) => c.dimensions === 0 && c.type !== 'jsonb') : undefined;
  if (pkCol) pkCol.notNull = true;
  const pick = (n: number) => cols[n % cols.length]!;
  const uniques = spec.unique !== null && pick(spec.unique).type !== 'jsonb' ? [unique(`${t}_${pick(spec.unique).name}_key`, [pick(spec.unique).name])] : [];
  const checkExpr = (c: Column) => {
    const e = c.typeSchema !== undefined && c.dimensions === 0 ? enums.find((x) => x.name === c.type) : undefined;
    return e ? `${qi(c.name)} <> '${e.values[0]}'::${qi(s)}.${qi(e.name)}` : `${qi(c.name)} IS NOT NULL`;
  };
  const checks = spec.check !== null ? [check(`${t}_${pick(spec.check).name}_check`, checkExpr(pick(spec.check)))] : [];
  const indexes = new Map<string, ReturnType<typeof index>>();
  for (const x of spec.indexes) {
    const c = pick(x.col);
    if (c.type === 'jsonb') continue;
    const name = `${t}_${c.name}_idx`;
    const lower = (c.type === 'text' || c.type.startsWith('character varying')) && c.dimensions === 0 && x.partial;
    const element = lower ? el(`lower(${qi(c.name)})`, { expression: true }) : el(c.name, { desc: x.desc, nullsFirst: x.desc });
    indexes.set(name, index(name, [element], {
      unique: x.unique && c.dimensions === 0, ...(x.partial ? { where: `${qi(c.name)} IS NOT NULL` } : {}), ...(x.concurrently ? { concurrently: true } : {}),
    }));
  }
  const policies = spec.policy !== null ? [policy(`${t}_p`, { using: spec.policy % 2 ? 'true' : `${qi(pick(spec.policy).name)} IS NOT NULL` })] : [];
  return table(s, t, cols, {
    ...(pkCol ? { primaryKey: pk(`${t}_pkey`, pkCol.name) } : {}),
    uniques, checks, indexes: [...indexes.values()], rlsEnabled: spec.rls, policies,
  });
}

/** A valid snapshot for a spec, in schema `s` (and `s_x`/`s_y` when the spec has an extra schema). */
export function toSnapshot(spec: WorldSpec, s: string): Snapshot {
  const enums = spec.enums.map((e) => enumOf(s, e.name, e.values));
  const tables = spec.tables.map((t) => buildTable(s, t, spec.enums));
  // Foreign keys to a single-column primary key of the same type.
  spec.tables.forEach((ts, i) => {
    if (!ts.fk) return;
    const from = tables[i]!;
    const c = from.columns[ts.fk.col % from.columns.length]!;
    const target = tables[ts.fk.target % tables.length]!;
    const key = target.primaryKey?.columns[0];
    const keyCol = target.columns.find((x) => x.name === key);
    if (!keyCol || c.generated || c.dimensions > 0 || base(c.type) !== base(keyCol.type) || c.typeSchema !== keyCol.typeSchema) return;
    const name = `${from.name}_${c.name}_fk`;
    from.foreignKeys[name] = fk(name, [c.name], [s, target.name], [keyCol.name], { onDelete: ts.fk.target % 2 ? 'cascade' : 'no action' });
  });
  const views = [];
  if (spec.view && tables.length) {
    const t = tables[spec.view.table % tables.length]!;
    views.push(spec.view.materialized
      ? view(s, 'mv1', `SELECT count(*) AS n FROM ${qi(s)}.${qi(t.name)}`, { materialized: true })
      : view(s, 'v1', `SELECT ${t.columns.map((c) => qi(c.name)).join(', ')} FROM ${qi(s)}.${qi(t.name)}`));
  }
  const schemas = [schema(s, { enums, tables, views, sequences: spec.sequence ? [seq(s, 'seq1', { increment: spec.sequence })] : [] })];
  if (spec.extraSchema) {
    const x = `${s}_${spec.extraSchema}`;
    schemas.push(schema(x, { tables: [table(x, 'k', [col('id', 'integer', { notNull: true })], { primaryKey: pk('k_pkey', 'id') })] }));
  }
  return snap(...schemas);
}

/** Answers rename questions from a list of random numbers: some removed objects become added ones. */
export function randomResolver(choices: number[]): RenameResolver {
  let i = 0;
  const next = () => choices[i++ % Math.max(1, choices.length)] ?? 0;
  return {
    resolve(request) {
      const added = [...request.added];
      const pairs: RenamePair[] = [];
      for (const from of request.removed) {
        const c = next();
        const fits = added.filter((a) => a.materialized === from.materialized);
        if (c % 2 !== 0 || fits.length === 0) continue;
        const to = fits[c % fits.length]!;
        added.splice(added.indexOf(to), 1);
        pairs.push({ from, to });
      }
      return pairs;
    },
  };
}
