import { expect } from 'vitest';
import { check, col, el, fk, index, pk, schema, snap, table, unique } from './build.js';
import { kinds, upSql, type Case } from './cases.js';

const t = (s: string, extras: Parameters<typeof table>[3] = {}, cols = ['a', 'b']) =>
  table(s, 't', [col('id', 'integer', { notNull: true }), ...cols.map((c) => col(c, 'text'))], extras);

export const CASES: Case[] = [
  {
    name: 'adds, drops and changes a primary key',
    build: (s) => ({
      prev: snap(schema(s, { tables: [table(s, 't', [col('id', 'integer', { notNull: true }), col('k', 'integer', { notNull: true })], { primaryKey: pk('t_pkey', 'id') })] })),
      next: snap(schema(s, { tables: [table(s, 't', [col('id', 'integer', { notNull: true }), col('k', 'integer', { notNull: true })], { primaryKey: pk('t_id_k_pk', 'id', 'k') })] })),
      seed: `insert into ${s}.t values (1, 1), (2, 1)`,
      check: (d) => expect(kinds(d).sort()).toEqual(['add-primary-key', 'drop-primary-key']),
    }),
  },
  {
    name: 'adds a primary key on a nullable column (NOT NULL set first)',
    build: (s) => ({
      prev: snap(schema(s, { tables: [table(s, 't', [col('id', 'integer')])] })),
      next: snap(schema(s, { tables: [table(s, 't', [col('id', 'integer', { notNull: true })], { primaryKey: pk('t_pkey', 'id') })] })),
      seed: `insert into ${s}.t values (1)`,
    }),
  },
  {
    name: 'adds, drops, changes and renames unique constraints',
    build: (s) => ({
      prev: snap(schema(s, { tables: [t(s, { uniques: [unique('t_a_unique', ['a']), unique('t_b_unique', ['b']), unique('old_name', ['a', 'b'])] })] })),
      next: snap(schema(s, { tables: [t(s, { uniques: [unique('t_a_unique', ['a'], true), unique('t_ab_key', ['a', 'b']), unique('t_id_unique', ['id'])] })] })),
      check: (d) => expect(kinds(d).sort()).toEqual(['add-unique', 'add-unique', 'drop-unique', 'drop-unique', 'rename-constraint']),
    }),
  },
  {
    // A table an earlier Strata built: the repeat was added with ALTER TABLE, so the database has both.
    // The code's snapshot now keeps one (as CREATE TABLE): the other goes, and the foreign key
    // that used its index is moved over; the rows stay.
    name: 'drops a unique constraint that repeats another one, explained, with the foreign key on its index rebuilt',
    build: (s) => {
      const refs = (extras = {}) => table(s, 'r', [col('a', 'text')], { foreignKeys: [fk('r_a_fk', ['a'], [s, 't'], ['a'])], ...extras });
      return {
        prev: snap(schema(s, { tables: [t(s, { uniques: [unique('aa_first_by_name', ['a']), unique('zz_kept', ['a']), unique('t_ab_nnd', ['a', 'b'], true), unique('t_ab_nnd2', ['a', 'b'], true)] }), refs()] })),
        next: snap(schema(s, { tables: [t(s, { uniques: [unique('zz_kept', ['a']), unique('t_ab_nnd', ['a', 'b'], true)] }), refs()] })),
        seed: `insert into ${s}.t values (1, 'x', 'y'); insert into ${s}.r values ('x')`,
        check: (d) => {
          const drops = d.changes.filter((c) => c.kind === 'drop-unique').map((c) => [c.unique.name, c.reason]);
          expect(drops).toEqual([
            ['aa_first_by_name', 'redundant: "zz_kept" enforces the same UNIQUE ("a")'],
            ['t_ab_nnd2', 'redundant: "t_ab_nnd" enforces the same UNIQUE NULLS NOT DISTINCT ("a", "b")'],
          ]);
          expect(kinds(d).filter((k) => k.endsWith('foreign-key'))).toEqual(['drop-foreign-key', 'add-foreign-key']);
          // The migration file says why above the statement.
          expect(d.up.find((st) => st.sql.endsWith('DROP CONSTRAINT "aa_first_by_name"'))?.comment).toBe('redundant: "zz_kept" enforces the same UNIQUE ("a")');
        },
      };
    },
  },
  {
    // Found replaying rybbit's history: dropping sites.domain's unique rebuilt every foreign key to
    // sites(site_id), a full validation scan of each referencing table for nothing.
    name: 'drops a unique constraint and a unique index, rebuilding only the foreign keys that reference their columns',
    build: (s) => {
      const refs = table(s, 'r', [col('id', 'integer'), col('a', 'text'), col('b', 'text')], {
        foreignKeys: [fk('r_id_fk', ['id'], [s, 't'], ['id']), fk('r_a_fk', ['a'], [s, 't'], ['a']), fk('r_ba_fk', ['b', 'a'], [s, 't'], ['b', 'a'])],
      });
      const keys = { primaryKey: pk('t_pkey', 'id') };
      return {
        prev: snap(schema(s, { tables: [t(s, { ...keys, uniques: [unique('t_a_unique', ['a'])], indexes: [index('t_ab_idx', [el('a'), el('b')], { unique: true })] }), refs] })),
        next: snap(schema(s, { tables: [t(s, { ...keys, uniques: [unique('t_a_key', ['a'], true)], indexes: [index('t_ba_idx', [el('b'), el('a')], { unique: true })] }), refs] })),
        seed: `insert into ${s}.t values (1, 'x', 'y'); insert into ${s}.r values (1, 'x', 'y')`,
        check: (d) => {
          const rebuilt = d.changes.flatMap((c) => (c.kind === 'drop-foreign-key' || c.kind === 'add-foreign-key' ? [`${c.kind} ${c.foreignKey.name}`] : []));
          expect(rebuilt.sort()).toEqual(['add-foreign-key r_a_fk', 'add-foreign-key r_ba_fk', 'drop-foreign-key r_a_fk', 'drop-foreign-key r_ba_fk']);
        },
      };
    },
  },
  {
    name: 'adds, drops and changes checks on a table holding rows',
    build: (s) => ({
      prev: snap(schema(s, { tables: [t(s, { checks: [check('t_a_check', `a <> ''`), check('t_b_check', 'length(b) < 10')] })] })),
      next: snap(schema(s, { tables: [t(s, { checks: [check('t_a_check', `a <> 'x'`), check('t_id_check', 'id > 0')] })] })),
      seed: `insert into ${s}.t values (1, 'a', 'b')`,
    }),
  },
  {
    name: 'adds foreign keys between tables holding rows, and changes their actions',
    build: (s) => {
      const users = table(s, 'users', [col('id', 'integer', { notNull: true })], { primaryKey: pk('users_pkey', 'id') });
      const posts = (f: Parameters<typeof fk>[4] | null) => table(s, 'posts', [col('id', 'integer', { notNull: true }), col('user_id', 'integer')], {
        primaryKey: pk('posts_pkey', 'id'), foreignKeys: f ? [fk('posts_user_id_users_id_fk', ['user_id'], [s, 'users'], ['id'], f)] : [],
      });
      return {
        prev: snap(schema(s, { tables: [users, posts({})] })),
        next: snap(schema(s, { tables: [users, posts({ onDelete: 'cascade', onUpdate: 'set null' })] })),
        seed: `insert into ${s}.users values (1); insert into ${s}.posts values (1, 1)`,
        check: (d) => expect(upSql(d)).toContain('ON DELETE CASCADE ON UPDATE SET NULL'),
      };
    },
  },
  {
    name: 'creates two tables whose foreign keys form a cycle, and drops them',
    build: (s) => {
      const a = table(s, 'a', [col('id', 'integer', { notNull: true }), col('b_id', 'integer')], {
        primaryKey: pk('a_pkey', 'id'), foreignKeys: [fk('a_b_id_b_id_fk', ['b_id'], [s, 'b'], ['id'])],
      });
      const b = table(s, 'b', [col('id', 'integer', { notNull: true }), col('a_id', 'integer')], {
        primaryKey: pk('b_pkey', 'id'), foreignKeys: [fk('b_a_id_a_id_fk', ['a_id'], [s, 'a'], ['id'])],
      });
      return { prev: snap(schema(s)), next: snap(schema(s, { tables: [a, b] })) };
    },
  },
  {
    name: 'widens a referenced key and its foreign key column together (foreign key rebuilt around it)',
    build: (s) => {
      const make = (ty: string) => [
        table(s, 'users', [col('id', ty, { notNull: true })], { primaryKey: pk('users_pkey', 'id') }),
        table(s, 'posts', [col('user_id', ty)], { foreignKeys: [fk('posts_user_id_users_id_fk', ['user_id'], [s, 'users'], ['id'])] }),
      ];
      return {
        prev: snap(schema(s, { tables: make('integer') })),
        next: snap(schema(s, { tables: make('bigint') })),
        seed: `insert into ${s}.users values (7); insert into ${s}.posts values (7)`,
        afterUp: async (c) => expect((await c.query(`select user_id::int as u from ${s}.posts`)).rows).toEqual([{ u: 7 }]),
      };
    },
  },
  {
    name: 'changes a referenced key from uuid to text (foreign keys dropped first, added after)',
    build: (s) => {
      const make = (ty: string) => [
        table(s, 'users', [col('id', ty, { notNull: true })], { primaryKey: pk('users_pkey', 'id') }),
        table(s, 'posts', [col('user_id', ty)], { foreignKeys: [fk('posts_user_id_users_id_fk', ['user_id'], [s, 'users'], ['id'])] }),
      ];
      return {
        prev: snap(schema(s, { tables: make('uuid') })),
        next: snap(schema(s, { tables: make('text') })),
        seed: `insert into ${s}.users values ('00000000-0000-0000-0000-000000000001'); insert into ${s}.posts values ('00000000-0000-0000-0000-000000000001')`,
      };
    },
  },
  {
    name: 'creates, drops and changes indexes of every shape',
    build: (s) => ({
      prev: snap(schema(s, { tables: [table(s, 't', [col('a', 'text'), col('b', 'integer'), col('tags', 'text', { dimensions: 1 })], {
        indexes: [index('t_a_index', ['a']), index('t_b_index', ['b']), index('t_old', ['b'], { where: 'b > 0' })],
      })] })),
      next: snap(schema(s, { tables: [table(s, 't', [col('a', 'text'), col('b', 'integer'), col('tags', 'text', { dimensions: 1 })], {
        indexes: [
          index('t_a_index', [el('lower(a)', { expression: true })]),
          index('t_b_index', [el('b', { desc: true, nullsFirst: false })], { unique: true, nullsNotDistinct: true, with: { fillfactor: '70' } }),
          index('t_tags_index', ['tags'], { method: 'gin' }),
          index('t_a_pattern', [el('a', { opclass: 'text_pattern_ops', collation: 'C' })], { where: `a <> ''` }),
        ],
      })] })),
      seed: `insert into ${s}.t values ('x', 1, '{a}')`,
    }),
  },
  {
    name: 'renames an index whose definition is unchanged',
    build: (s) => ({
      prev: snap(schema(s, { tables: [t(s, { indexes: [index('t_a_idx', ['a'])] })] })),
      next: snap(schema(s, { tables: [t(s, { indexes: [index('t_a_index', ['a'])] })] })),
      check: (d) => expect(kinds(d)).toEqual(['rename-index']),
    }),
  },
  {
    name: 'builds an index CONCURRENTLY on an existing table in a part of its own, outside a transaction',
    build: (s) => ({
      prev: snap(schema(s, { tables: [t(s)] })),
      next: snap(schema(s, { tables: [t(s, { indexes: [index('t_a_index', ['a'], { concurrently: true })] }, ['a', 'b', 'c'])] })),
      seed: `insert into ${s}.t values (1, 'x', 'y')`,
      check: (d) => {
        expect(d.upParts.map((p) => p.transactional)).toEqual([true, false]);
        expect(d.upParts[1]!.statements.map((x) => x.sql)).toEqual([`CREATE INDEX CONCURRENTLY IF NOT EXISTS "t_a_index" ON "${s}"."t" USING btree ("a")`]);
        expect(d.upParts[0]!.statements.map((x) => x.sql).join('\n')).not.toContain('INDEX');
        expect(d.hazards.map((h) => h.kind)).not.toContain('blocking-index-build');
      },
    }),
  },
  {
    name: 'builds an index on a new table plainly even when it asks for CONCURRENTLY',
    build: (s) => ({
      prev: snap(schema(s)),
      next: snap(schema(s, { tables: [t(s, { indexes: [index('t_a_index', ['a'], { concurrently: true })] })] })),
      check: (d) => {
        expect(d.upParts).toHaveLength(1);
        expect(upSql(d)).not.toContain('CONCURRENTLY');
      },
    }),
  },
];

