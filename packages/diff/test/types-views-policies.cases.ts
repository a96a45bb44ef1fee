import { expect } from 'vitest';
import { check, col, el, enumOf, index, policy, schema, seq, snap, table, view } from './build.js';
import { kinds, upSql, type Case } from './cases.js';

const moodTable = (s: string, extras: Parameters<typeof table>[3] = {}, def?: string) => table(s, 't', [
  col('m', 'mood', { typeSchema: s, ...(def ? { default: def } : {}) }),
  col('ms', 'mood', { typeSchema: s, dimensions: 1 }),
], extras);

export const CASES: Case[] = [
  {
    name: 'creates and drops an enum used by a column',
    build: (s) => ({
      prev: snap(schema(s)),
      next: snap(schema(s, { enums: [enumOf(s, 'mood', ['a', 'b'])], tables: [moodTable(s)] })),
    }),
  },
  {
    name: 'adds enum values in place (start, middle, end) without rebuilding the type',
    build: (s) => ({
      prev: snap(schema(s, { enums: [enumOf(s, 'mood', ['b', 'd'])], tables: [moodTable(s)] })),
      next: snap(schema(s, { enums: [enumOf(s, 'mood', ['a', 'b', 'c', 'd', 'e'])], tables: [moodTable(s)] })),
      seed: `insert into ${s}.t values ('b', '{d}')`,
      check: (d) => {
        expect(kinds(d)).toEqual(['add-enum-value', 'add-enum-value', 'add-enum-value']);
        expect(d.upParts).toHaveLength(1);
      },
    }),
  },
  {
    name: 'removes and reorders enum values by rebuilding the type, carrying default, arrays, index predicate, check, view and policy',
    build: (s) => {
      const make = (values: string[]) => schema(s, {
        enums: [enumOf(s, 'mood', values)],
        tables: [moodTable(s, {
          indexes: [index('t_m_index', ['m'], { where: `m <> 'b'::${s}.mood` })],
          checks: [check('t_m_check', `m IS DISTINCT FROM 'c'::${s}.mood`)],
          policies: [policy('t_read', { for: 'select', using: `m = 'a'::${s}.mood` })],
          rlsEnabled: true,
        }, `'a'::${s}.mood`)],
        views: [view(s, 'v', `select m, ms from ${s}.t where m <> 'b'::${s}.mood`)],
      });
      return {
        prev: snap(make(['a', 'b', 'c'])),
        next: snap(make(['c', 'b', 'a'])),
        seed: `insert into ${s}.t values ('b', '{a,c}'), (default, null)`,
        check: (d) => expect(kinds(d)).toContain('rebuild-enum'),
        afterUp: async (c) => {
          expect((await c.query(`select m::text, ms::text from ${s}.t order by 1`)).rows).toEqual([{ m: 'a', ms: null }, { m: 'b', ms: '{a,c}' }]);
          expect((await c.query(`select enum_range(null::${s}.mood)::text as r`)).rows).toEqual([{ r: '{c,b,a}' }]);
        },
      };
    },
  },
  {
    name: 'a new enum value used by a default goes in a first part of its own (committed before use)',
    build: (s) => ({
      prev: snap(schema(s, { enums: [enumOf(s, 'mood', ['a'])], tables: [moodTable(s)] })),
      next: snap(schema(s, { enums: [enumOf(s, 'mood', ['a', 'b'])], tables: [moodTable(s, {}, `'b'::${s}.mood`)] })),
      check: (d) => {
        expect(d.upParts.map((p) => p.statements.map((x) => x.sql.split(' ').slice(0, 2).join(' ')))).toEqual([['ALTER TYPE'], ['ALTER TABLE']]);
        expect(d.upParts.map((p) => p.transactional)).toEqual([true, true]);
        expect(d.upParts[0]!.reason).toMatch(/enum values are committed before the next part/);
      },
    }),
  },
  {
    name: 'renames an enum (with a hint) and moves one to another schema',
    build: (s) => ({
      prev: snap(schema(s, { enums: [enumOf(s, 'mood', ['a']), enumOf(s, 'color', ['red'])], tables: [table(s, 't', [col('m', 'mood', { typeSchema: s })])] }), schema(`${s}_b`)),
      next: snap(schema(s, { enums: [enumOf(s, 'feeling', ['a'])], tables: [table(s, 't', [col('m', 'feeling', { typeSchema: s })])] }), schema(`${s}_b`, { enums: [enumOf(`${s}_b`, 'color', ['red'])] })),
      renames: ['mood=feeling', `${s}.color=${s}_b.color`],
      seed: `insert into ${s}.t values ('a')`,
      check: (d) => expect(kinds(d)).toEqual(['rename-enum', 'rename-enum']),
    }),
  },
  {
    name: 'creates, alters and drops sequences',
    build: (s) => ({
      prev: snap(schema(s, { sequences: [seq(s, 'a'), seq(s, 'b', { dataType: 'integer', maxValue: '2147483647' })] })),
      next: snap(schema(s, { sequences: [seq(s, 'a', { increment: '10', start: '100', minValue: '100', cycle: true, cache: '5' }), seq(s, 'c', { minValue: '-5', start: '-5', increment: '-1', maxValue: '-1' })] })),
      check: (d) => expect(kinds(d).sort()).toEqual(['alter-sequence', 'create-sequence', 'drop-sequence']),
    }),
  },
  {
    name: 'a column default that uses a new sequence',
    build: (s) => ({
      prev: snap(schema(s, { tables: [table(s, 't', [col('id', 'bigint')])] })),
      next: snap(schema(s, { sequences: [seq(s, 'ids')], tables: [table(s, 't', [col('id', 'bigint', { default: `nextval('${s}.ids'::regclass)` })])] })),
    }),
  },
  {
    name: 'creates, changes and drops views and materialized views, dependants first',
    build: (s) => {
      const base = table(s, 't', [col('a', 'integer'), col('b', 'text')]);
      return {
        prev: snap(schema(s, { tables: [base], views: [
          view(s, 'v1', `select a from ${s}.t`),
          view(s, 'v2', `select a from ${s}.v1 where a > 1`),
          view(s, 'gone', `select b from ${s}.t`),
        ] })),
        next: snap(schema(s, { tables: [base], views: [
          view(s, 'v1', `select a, b from ${s}.t`),
          view(s, 'v2', `select a from ${s}.v1 where a > 1`),
          view(s, 'mv', `select count(*) as n from ${s}.v1`, { materialized: true, with: { fillfactor: '50' } }),
          view(s, 'secure', `select a from ${s}.t`, { with: { security_barrier: 'true' } }),
        ] })),
        seed: `insert into ${s}.t values (1, 'x'), (2, 'y')`,
        check: (d) => {
          const sql = upSql(d);
          expect(sql.indexOf(`DROP VIEW "${s}"."v2"`)).toBeLessThan(sql.indexOf(`DROP VIEW "${s}"."v1"`));
          expect(sql.indexOf(`CREATE VIEW "${s}"."v1"`)).toBeLessThan(sql.indexOf(`CREATE VIEW "${s}"."v2"`));
        },
        afterUp: async (c) => expect((await c.query(`select n::int from ${s}.mv`)).rows).toEqual([{ n: 2 }]),
      };
    },
  },
  {
    name: 'renames a view and a materialized view (with hints)',
    build: (s) => {
      const base = table(s, 't', [col('a', 'integer')]);
      return {
        prev: snap(schema(s, { tables: [base], views: [view(s, 'v', `select a from ${s}.t`), view(s, 'm', `select a from ${s}.t`, { materialized: true })] })),
        next: snap(schema(s, { tables: [base], views: [view(s, 'v2', `select a from ${s}.t`), view(s, 'm2', `select a from ${s}.t`, { materialized: true })] })),
        renames: ['v=v2', 'm=m2'],
        check: (d) => expect(kinds(d)).toEqual(['rename-view', 'rename-view']),
      };
    },
  },
  {
    name: 'enables and disables RLS; creates, changes, renames and drops policies',
    build: (s) => {
      const cols = [col('owner', 'text'), col('n', 'integer')];
      return {
        prev: snap(schema(s, { tables: [
          table(s, 't', cols, { rlsEnabled: true, policies: [policy('p_all'), policy('p_old', { for: 'select', using: 'n > 0' }), policy('p_gone', { as: 'restrictive', for: 'delete', using: 'true' })] }),
          table(s, 'u', cols),
        ] })),
        next: snap(schema(s, { tables: [
          table(s, 't', cols, { policies: [policy('p_all', { withCheck: 'n < 100' }), policy('p_new', { for: 'select', using: 'n > 0' })] }),
          table(s, 'u', cols, { rlsEnabled: true, policies: [policy('mine', { for: 'update', to: ['current_user'], using: 'owner = current_user', withCheck: 'owner = current_user' })] }),
        ] })),
        check: (d) => expect(kinds(d).sort()).toEqual(['create-policy', 'create-policy', 'disable-rls', 'drop-policy', 'drop-policy', 'enable-rls', 'rename-policy']),
      };
    },
  },
  {
    name: 'a policy reading a column whose type changes is rebuilt around the change',
    build: (s) => ({
      prev: snap(schema(s, { tables: [table(s, 't', [col('n', 'integer')], { rlsEnabled: true, policies: [policy('p', { using: 'n > 0' })] })] })),
      next: snap(schema(s, { tables: [table(s, 't', [col('n', 'bigint')], { rlsEnabled: true, policies: [policy('p', { using: 'n > 0' })] })] })),
    }),
  },
  {
    name: 'an expression index over a rebuilt enum column',
    build: (s) => {
      const make = (values: string[]) => schema(s, {
        enums: [enumOf(s, 'mood', values)],
        tables: [table(s, 't', [col('m', 'mood', { typeSchema: s })], { indexes: [index('t_m_text', [el(`(m = 'a'::${s}.mood)`, { expression: true })])] })],
      });
      return { prev: snap(make(['a', 'b', 'x'])), next: snap(make(['a', 'b'])), seed: `insert into ${s}.t values ('a')` };
    },
  },
];

