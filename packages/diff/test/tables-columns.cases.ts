import { expect } from 'vitest';
import { check, col, enumOf, fk, identity, index, pk, schema, snap, table, unique, view } from './build.js';
import { downSql, kinds, upSql, type Case } from './cases.js';

const users = (s: string, name = 'users', extra: Parameters<typeof col>[0][] = []) =>
  table(s, name, [col('id', 'integer', { notNull: true }), col('name', 'text'), ...extra.map((c) => col(c, 'text'))], { primaryKey: pk(`${name}_pkey`, 'id') });

export const CASES: Case[] = [
  {
    name: 'creates and drops a schema',
    build: (s) => ({ prev: snap(), next: snap(schema(s, { tables: [users(s)] })) }),
  },
  {
    name: 'renames a schema (with a hint), keeping its tables and rows',
    build: (s) => ({
      prev: snap(schema(s, { tables: [users(s)] })),
      next: snap(schema(`${s}_b`, { tables: [users(`${s}_b`)] })),
      renames: [`${s}=${s}_b`],
      seed: `insert into ${s}.users values (1, 'ann')`,
      check: (d) => expect(kinds(d)).toEqual(['rename-schema']),
      afterUp: async (c) => expect((await c.query(`select name from ${s}_b.users`)).rows).toEqual([{ name: 'ann' }]),
      afterDown: async (c) => expect((await c.query(`select name from ${s}.users`)).rows).toEqual([{ name: 'ann' }]),
    }),
  },
  {
    name: 'creates and drops a table; the down says its rows are not restored',
    build: (s) => ({
      prev: snap(schema(s)),
      next: snap(schema(s, { tables: [users(s)] })),
      check: (d) => {
        expect(d.changes.map((c) => c.kind)).toEqual(['create-table']);
        expect(d.down.find((x) => x.sql.startsWith('DROP TABLE'))!.hazards.map((x) => x.kind)).toContain('data-loss');
      },
    }),
  },
  {
    name: 'drops a table: warns that the down brings it back empty',
    build: (s) => ({
      prev: snap(schema(s, { tables: [users(s)] })),
      next: snap(schema(s)),
      check: (d) => {
        expect(d.warnings.join('\n')).toMatch(/table "[^"]+"\."users" is dropped: the down migration recreates it empty/);
        expect(d.down[0]!.comment).toMatch(/comes back empty/);
      },
    }),
  },
  {
    name: 'renames a table: pkey, serial and identity sequences, default-named FK, unique and index follow',
    build: (s) => {
      const make = (t: string) => table(s, t, [
        col('id', 'serial', { notNull: true }),
        col('n', 'integer', { notNull: true, identity: identity(`${t}_n_seq`) }),
        col('email', 'text'),
        col('parent_id', 'integer'),
      ], {
        primaryKey: pk(`${t}_pkey`, 'id'),
        uniques: [unique(`${t}_email_unique`, ['email'])],
        indexes: [index(`${t}_parent_id_index`, ['parent_id'])],
        foreignKeys: [fk(`${t}_parent_id_${t}_id_fk`, ['parent_id'], [s, t], ['id'])],
      });
      return {
        prev: snap(schema(s, { tables: [make('users')] })),
        next: snap(schema(s, { tables: [make('people')] })),
        renames: ['users=people'],
        seed: `insert into ${s}.users (email) values ('a@x'), ('b@x')`,
        check: (d) => {
          expect(kinds(d)).toContain('rename-table');
          expect(kinds(d)).not.toContain('drop-table');
          expect(upSql(d)).toContain(`RENAME CONSTRAINT "users_pkey" TO "people_pkey"`);
          expect(upSql(d)).toContain(`ALTER SEQUENCE "${s}"."users_id_seq" RENAME TO "people_id_seq"`);
        },
        afterUp: async (c) => {
          expect((await c.query(`select email from ${s}.people order by id`)).rows).toEqual([{ email: 'a@x' }, { email: 'b@x' }]);
          await c.exec(`insert into ${s}.people (email) values ('c@x')`);
        },
        afterDown: async (c) => expect((await c.query(`select count(*)::int as n from ${s}.users`)).rows).toEqual([{ n: 3 }]),
      };
    },
  },
  {
    name: 'moves a table to another schema',
    build: (s) => ({
      prev: snap(schema(s, { tables: [users(s)] }), schema(`${s}_b`)),
      next: snap(schema(s), schema(`${s}_b`, { tables: [users(`${s}_b`)] })),
      renames: [`${s}.users=${s}_b.users`],
      seed: `insert into ${s}.users values (1, 'x')`,
      check: (d) => expect(kinds(d)).toEqual(['rename-table']),
      afterUp: async (c) => expect((await c.query(`select count(*)::int as n from ${s}_b.users`)).rows).toEqual([{ n: 1 }]),
    }),
  },
  {
    name: 'adds and drops columns (nullable, NOT NULL with a default) on a table holding rows',
    build: (s) => ({
      prev: snap(schema(s, { tables: [users(s)] })),
      next: snap(schema(s, { tables: [table(s, 'users', [
        col('id', 'integer', { notNull: true }), col('name', 'text'), col('phone_number', 'character varying(20)'),
        col('active', 'boolean', { notNull: true, default: 'true' }),
      ], { primaryKey: pk('users_pkey', 'id') })] })),
      seed: `insert into ${s}.users values (1, 'ann')`,
      check: (d) => {
        expect(upSql(d)).toContain(`ADD COLUMN "phone_number" character varying(20)`);
        expect(d.down.some((x) => x.comment?.includes('values are not restored'))).toBe(false);
      },
      afterUp: async (c) => expect((await c.query(`select active from ${s}.users`)).rows).toEqual([{ active: true }]),
    }),
  },
  {
    // As a database prints them once read (outer parentheses gone): CREATE TABLE and ADD COLUMN
    // take only a restricted expression after DEFAULT, where these are syntax errors unwrapped.
    name: 'creates a table and adds columns whose defaults, as a database prints them, use AT TIME ZONE, AND, OR, NOT, IS, = ANY, COLLATE',
    build: (s) => {
      const defaults = [
        col('at_utc', 'timestamp without time zone', { default: `now() AT TIME ZONE 'utc'::text` }),
        col('both', 'boolean', { default: 'true AND (1 < 2)' }),
        col('is_null', 'boolean', { default: 'NULL::integer IS NULL' }),
        col('is_in', 'boolean', { default: `'a'::text = ANY (ARRAY['a'::text, 'b'::text])` }),
        col('c_sort', 'text', { default: `'b'::text COLLATE "C"` }),
        col('liked', 'boolean', { default: `'ab'::text ~~ 'a%'::text OR NOT false` }),
        col('between', 'boolean', { default: '2 >= 1 AND 2 <= 3' }),
      ];
      return {
        prev: snap(schema(s, { tables: [users(s)] })),
        next: snap(schema(s, { tables: [
          table(s, 'users', [col('id', 'integer', { notNull: true }), col('name', 'text'), ...defaults], { primaryKey: pk('users_pkey', 'id') }),
          table(s, 'events', [col('id', 'integer', { notNull: true }), ...defaults]),
        ] })),
        seed: `insert into ${s}.users values (1, 'ann')`,
        check: (d) => {
          expect(upSql(d)).toContain(`"at_utc" timestamp without time zone DEFAULT (now() AT TIME ZONE 'utc'::text)`);
          expect(upSql(d)).toContain(`ADD COLUMN "c_sort" text DEFAULT ('b'::text COLLATE "C")`);
        },
        afterUp: async (c) => expect((await c.query(`select "is_null", "is_in", "c_sort", "between" from ${s}.users`)).rows)
          .toEqual([{ is_null: true, is_in: true, c_sort: 'b', between: true }]),
      };
    },
  },
  {
    name: 'drops a column: warns, and its down adds it back empty with a comment',
    build: (s) => ({
      prev: snap(schema(s, { tables: [users(s, 'users', ['old_field'])] })),
      next: snap(schema(s, { tables: [users(s)] })),
      seed: `insert into ${s}.users values (1, 'ann', 'gone')`,
      check: (d) => {
        expect(d.warnings.join('\n')).toMatch(/"old_field" is dropped: the down migration adds it back empty/);
        expect(d.down.find((x) => x.sql.includes('ADD COLUMN'))!.comment).toMatch(/comes back empty, its values are not restored/);
      },
      afterDown: async (c) => expect((await c.query(`select name, old_field from ${s}.users`)).rows).toEqual([{ name: 'ann', old_field: null }]),
    }),
  },
  {
    name: 'renames a column (with a hint), keeping its values; default names that contain it follow',
    build: (s) => {
      const make = (c: string) => table(s, 'users', [col('id', 'integer', { notNull: true }), col(c, 'text')], {
        primaryKey: pk('users_pkey', 'id'), uniques: [unique(`users_${c}_unique`, [c])], indexes: [index(`users_${c}_index`, [c])],
      });
      return {
        prev: snap(schema(s, { tables: [make('name')] })),
        next: snap(schema(s, { tables: [make('full_name')] })),
        renames: ['users.name=users.full_name'],
        seed: `insert into ${s}.users values (1, 'Ann Lee')`,
        check: (d) => expect(kinds(d).sort()).toEqual(['rename-column', 'rename-constraint', 'rename-index']),
        afterUp: async (c) => expect((await c.query(`select full_name from ${s}.users`)).rows).toEqual([{ full_name: 'Ann Lee' }]),
        afterDown: async (c) => expect((await c.query(`select name from ${s}.users`)).rows).toEqual([{ name: 'Ann Lee' }]),
      };
    },
  },
  {
    name: 'widens types keeping values (int → bigint, varchar(10) → varchar(50), numeric(5,2) → numeric(9,2), varchar → text)',
    build: (s) => {
      const t = (types: string[]) => table(s, 't', types.map((ty, i) => col(`c${i}`, ty)));
      return {
        prev: snap(schema(s, { tables: [t(['integer', 'character varying(10)', 'numeric(5,2)', 'character varying(30)'])] })),
        next: snap(schema(s, { tables: [t(['bigint', 'character varying(50)', 'numeric(9,2)', 'text'])] })),
        seed: `insert into ${s}.t values (2147483647, 'abcdefghij', 123.45, 'x y')`,
        check: (d) => expect(d.up.filter((x) => x.sql.startsWith('DO'))).toEqual([]),
        afterUp: async (c) => expect((await c.query(`select c0::text, c1, c2::text, c3 from ${s}.t`)).rows).toEqual([
          { c0: '2147483647', c1: 'abcdefghij', c2: '123.45', c3: 'x y' },
        ]),
        afterDown: async (c) => expect((await c.query(`select c0::text, c1, c2::text, c3 from ${s}.t`)).rows).toEqual([
          { c0: '2147483647', c1: 'abcdefghij', c2: '123.45', c3: 'x y' },
        ]),
      };
    },
  },
  {
    name: 'changes a type with a USING cast that converts existing rows (text → integer)',
    build: (s) => ({
      prev: snap(schema(s, { tables: [table(s, 't', [col('qty', 'text')])] })),
      next: snap(schema(s, { tables: [table(s, 't', [col('qty', 'integer')])] })),
      seed: `insert into ${s}.t values ('42'), (null)`,
      check: (d) => {
        expect(upSql(d)).toContain(`TYPE integer USING "qty"::integer`);
        expect(d.hazards.map((x) => x.kind)).toContain('data-loss');
      },
      afterUp: async (c) => expect((await c.query(`select qty from ${s}.t order by qty`)).rows).toEqual([{ qty: 42 }, { qty: null }]),
    }),
  },
  {
    name: 'drops the default before a type change and sets it after (char(3) → text)',
    build: (s) => ({
      prev: snap(schema(s, { tables: [table(s, 't', [col('code', 'character(3)', { default: `'abc'::bpchar` })])] })),
      next: snap(schema(s, { tables: [table(s, 't', [col('code', 'text', { default: `'abc'::text` })])] })),
      check: (d) => {
        const sql = upSql(d);
        expect(sql.indexOf('DROP DEFAULT')).toBeLessThan(sql.indexOf('TYPE text'));
        expect(sql.indexOf('TYPE text')).toBeLessThan(sql.indexOf('SET DEFAULT'));
      },
    }),
  },
  {
    name: 'sets and drops defaults and NOT NULL',
    build: (s) => ({
      prev: snap(schema(s, { tables: [table(s, 't', [col('a', 'integer'), col('b', 'integer', { notNull: true, default: '1' })])] })),
      next: snap(schema(s, { tables: [table(s, 't', [col('a', 'integer', { notNull: true, default: '7' }), col('b', 'integer')])] })),
      seed: `insert into ${s}.t values (3, 4)`,
      check: (d) => expect(kinds(d).sort()).toEqual(['drop-column-default', 'drop-not-null', 'set-column-default', 'set-not-null']),
    }),
  },
  {
    name: 'adds, alters and drops an identity',
    build: (s) => ({
      prev: snap(schema(s, { tables: [table(s, 't', [
        col('a', 'integer', { notNull: true }),
        col('b', 'integer', { notNull: true, identity: identity('t_b_seq', { type: 'byDefault' }) }),
        col('c', 'bigint', { notNull: true, identity: identity('t_c_seq', { maxValue: '9223372036854775807' }) }),
      ])] })),
      next: snap(schema(s, { tables: [table(s, 't', [
        col('a', 'integer', { notNull: true, identity: identity('t_a_seq', { start: '100' }) }),
        col('b', 'integer', { notNull: true, identity: identity('t_b_seq', { type: 'always', increment: '5', cache: '10' }) }),
        col('c', 'bigint', { notNull: true }),
      ])] })),
      seed: `insert into ${s}.t (a) values (500)`,
      check: (d) => expect(kinds(d).sort()).toEqual(['add-identity', 'alter-identity', 'drop-identity']),
      afterUp: async (c) => {
        await c.exec(`insert into ${s}.t (c) values (1)`);
        expect((await c.query(`select max(a)::int as a from ${s}.t`)).rows).toEqual([{ a: 501 }]);
      },
    }),
  },
  {
    name: 'an identity widened to bigint with bounds integer cannot hold, and back',
    build: (s) => ({
      prev: snap(schema(s, { tables: [table(s, 't', [col('id', 'integer', { notNull: true, identity: identity('t_id_seq', { maxValue: '1000' }) })])] })),
      next: snap(schema(s, { tables: [table(s, 't', [col('id', 'bigint', { notNull: true, identity: identity('t_id_seq', { maxValue: '100000000000', cache: '5' }) })])] })),
      seed: `insert into ${s}.t default values`,
      check: (d) => expect(kinds(d).sort()).toEqual(['alter-column-type', 'alter-identity']),
    }),
  },
  {
    name: 'integer ↔ serial and serial → bigserial',
    build: (s) => ({
      prev: snap(schema(s, { tables: [table(s, 't', [col('a', 'integer', { notNull: true }), col('b', 'serial', { notNull: true }), col('c', 'serial', { notNull: true })])] })),
      next: snap(schema(s, { tables: [table(s, 't', [col('a', 'serial', { notNull: true }), col('b', 'integer', { notNull: true }), col('c', 'bigserial', { notNull: true })])] })),
      seed: `insert into ${s}.t (a) values (10)`,
      afterUp: async (c) => {
        await c.exec(`insert into ${s}.t (b) values (1)`);
        expect((await c.query(`select a from ${s}.t order by a`)).rows).toEqual([{ a: 10 }, { a: 11 }]);
      },
    }),
  },
  {
    name: 'changes a generated expression (dropped and added again, always STORED)',
    build: (s) => ({
      prev: snap(schema(s, { tables: [table(s, 't', [col('a', 'integer'), col('g', 'integer', { generated: { expression: 'a * 2' } })])] })),
      next: snap(schema(s, { tables: [table(s, 't', [col('a', 'integer'), col('g', 'integer', { generated: { expression: 'a * 3' } })])] })),
      seed: `insert into ${s}.t (a) values (5)`,
      check: (d) => expect(upSql(d)).toMatch(/GENERATED ALWAYS AS \(a \* 3\) STORED/),
      afterUp: async (c) => expect((await c.query(`select g from ${s}.t`)).rows).toEqual([{ g: 15 }]),
      afterDown: async (c) => expect((await c.query(`select g from ${s}.t`)).rows).toEqual([{ g: 10 }]),
    }),
  },
  {
    name: 'changes the type of a column a generated column reads (re-adds the generated column around it)',
    build: (s) => ({
      prev: snap(schema(s, { tables: [table(s, 't', [col('a', 'integer'), col('g', 'bigint', { generated: { expression: 'a + 1' } })])] })),
      next: snap(schema(s, { tables: [table(s, 't', [col('a', 'bigint'), col('g', 'bigint', { generated: { expression: 'a + 1' } })])] })),
      seed: `insert into ${s}.t (a) values (5)`,
      afterUp: async (c) => expect((await c.query(`select a::int, g::int from ${s}.t`)).rows).toEqual([{ a: 5, g: 6 }]),
    }),
  },
  {
    name: 'turns a generated column into a plain one keeping its values (DROP EXPRESSION)',
    build: (s) => ({
      prev: snap(schema(s, { tables: [table(s, 't', [col('a', 'integer'), col('g', 'integer', { generated: { expression: 'a * 2' } })])] })),
      next: snap(schema(s, { tables: [table(s, 't', [col('a', 'integer'), col('g', 'integer')])] })),
      seed: `insert into ${s}.t (a) values (4)`,
      check: (d) => expect(kinds(d)).toEqual(['drop-generated-expression']),
      afterUp: async (c) => expect((await c.query(`select g from ${s}.t`)).rows).toEqual([{ g: 8 }]),
    }),
  },
  {
    name: 'changes a collation and array columns',
    build: (s) => ({
      prev: snap(schema(s, { tables: [table(s, 't', [col('a', 'text'), col('tags', 'integer', { dimensions: 1 })])] })),
      next: snap(schema(s, { tables: [table(s, 't', [col('a', 'text', { collation: 'C' }), col('tags', 'bigint', { dimensions: 1 })])] })),
      seed: `insert into ${s}.t values ('x', '{1,2}')`,
      afterUp: async (c) => expect((await c.query(`select tags::text from ${s}.t`)).rows).toEqual([{ tags: '{1,2}' }]),
    }),
  },
  {
    name: 'a view reading a column whose type changes is dropped and created again',
    build: (s) => ({
      prev: snap(schema(s, { tables: [table(s, 't', [col('a', 'integer')])], views: [view(s, 'v', `select a from ${s}.t`)] })),
      next: snap(schema(s, { tables: [table(s, 't', [col('a', 'bigint')])], views: [view(s, 'v', `select a from ${s}.t`)] })),
      check: (d) => expect(kinds(d).sort()).toEqual(['alter-column-type', 'create-view', 'drop-view']),
    }),
  },
  {
    name: 'views that read the table but not the dropped column stay (a column list, count(*), a whole-row reference, a materialized view)',
    build: (s) => {
      const views = [
        view(s, 'v_cols', `select a, b from ${s}.t`),
        view(s, 'v_count', `select count(*) as n from ${s}.t`),
        view(s, 'v_row', `select row_to_json(x) as j from ${s}.t x`),
        view(s, 'mv_cols', `select a from ${s}.t`, { materialized: true }),
      ];
      return {
        prev: snap(schema(s, { tables: [table(s, 't', [col('a', 'integer'), col('b', 'text'), col('c', 'text')])], views })),
        next: snap(schema(s, { tables: [table(s, 't', [col('a', 'integer'), col('b', 'text')])], views })),
        seed: `insert into ${s}.t values (1, 'x', 'y')`,
        check: (d) => expect(kinds(d)).toEqual(['drop-column']),
        afterUp: async (c) => expect((await c.query(`select j::text from ${s}.v_row`)).rows).toEqual([{ j: '{"a":1,"b":"x"}' }]),
      };
    },
  },
  {
    name: 'a type change rebuilds the views that read the column or every column (*), and only those',
    build: (s) => {
      const views = [view(s, 'v_a', `select a from ${s}.t`), view(s, 'v_b', `select b from ${s}.t`), view(s, 'v_star', `select * from ${s}.t`)];
      return {
        prev: snap(schema(s, { tables: [table(s, 't', [col('a', 'integer'), col('b', 'integer')])], views })),
        next: snap(schema(s, { tables: [table(s, 't', [col('a', 'integer'), col('b', 'bigint')])], views })),
        seed: `insert into ${s}.t values (1, 2)`,
        check: (d) => {
          const rebuilt = d.changes.filter((c) => c.kind === 'drop-view').map((c) => (c as { view: { name: string } }).view.name).sort();
          expect(rebuilt).toEqual(['v_b', 'v_star']);
        },
      };
    },
  },
  {
    name: 'adds a NOT NULL column with a check and a default to a table with rows',
    build: (s) => ({
      prev: snap(schema(s, { tables: [users(s)] })),
      next: snap(schema(s, { tables: [table(s, 'users', [col('id', 'integer', { notNull: true }), col('name', 'text'), col('tier', 'integer', { notNull: true, default: '1' })], {
        primaryKey: pk('users_pkey', 'id'), checks: [check('users_tier_check', 'tier >= 1 AND tier <= 5')],
      })] })),
      seed: `insert into ${s}.users values (1, 'a')`,
      check: (d) => expect(downSql(d)).toContain('DROP CONSTRAINT "users_tier_check"'),
    }),
  },
  {
    name: 'converts a text column to an enum (and back)',
    build: (s) => ({
      prev: snap(schema(s, { enums: [enumOf(s, 'mood', ['happy', 'sad'])], tables: [table(s, 't', [col('m', 'text')])] })),
      next: snap(schema(s, { enums: [enumOf(s, 'mood', ['happy', 'sad'])], tables: [table(s, 't', [col('m', 'mood', { typeSchema: s })])] })),
      seed: `insert into ${s}.t values ('sad')`,
      afterUp: async (c) => expect((await c.query(`select m::text from ${s}.t`)).rows).toEqual([{ m: 'sad' }]),
    }),
  },
];

