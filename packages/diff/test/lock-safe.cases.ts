import { expect } from 'vitest';
import type { Diff } from '../src/index.js';
import { check, col, fk, index, pk, schema, snap, table, unique } from './build.js';
import type { Case } from './cases.js';

/** The SQL of each part of the up (or down) migration, for asserting where each step of a recipe goes. */
export const partsOf = (parts: Diff['upParts']) => parts.map((p) => ({ tx: p.transactional, sql: p.statements.map((s) => s.sql) }));
const recipes = (d: Diff) => d.plans.map((p) => p.recipe);
const rows = (n: number, values: (i: number) => string) => Array.from({ length: n }, (_, i) => values(i + 1)).join(', ');

const t = (s: string, extras: Parameters<typeof table>[3] = {}, cols = [col('id', 'integer', { notNull: true }), col('a', 'text'), col('b', 'integer')]) =>
  table(s, 't', cols, extras);
const seedT = (s: string) => `insert into ${s}.t values ${rows(500, (i) => `(${i}, 'v${i}', ${i % 7})`)}`;
const kept = (s: string) => async (c: import('@strata/db').DatabaseClient) => {
  expect((await c.query(`select count(*)::int as n, sum(id)::int as s, count(distinct a)::int as d from ${s}.t`)).rows).toEqual([{ n: 500, s: 125250, d: 500 }]);
};

/** One case per recipe: prev → up = a fresh build of next (rows kept) → down = a fresh build of prev (see roundTrip). */
export const CASES: Case[] = [
  {
    name: 'index on an existing table: CREATE INDEX CONCURRENTLY in a part outside a transaction; the down drops it CONCURRENTLY',
    build: (s) => ({
      prev: snap(schema(s, { tables: [t(s)] })),
      next: snap(schema(s, { tables: [t(s, { indexes: [index('t_b_index', ['b']), index('t_a_index', ['a'], { unique: true })] })] })),
      seed: seedT(s), afterUp: kept(s), afterDown: kept(s),
      check: (d) => {
        // Guard then builds: nothing in between, so one part outside a transaction.
        expect(partsOf(d.upParts).map((p) => p.tx)).toEqual([false]);
        expect(d.upParts[0]!.statements.slice(1).map((x) => x.sql)).toEqual([
          `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "t_a_index" ON "${s}"."t" USING btree ("a")`,
          `CREATE INDEX CONCURRENTLY IF NOT EXISTS "t_b_index" ON "${s}"."t" USING btree ("b")`,
        ]);
        // The duplicate-key guard runs first, before anything changes.
        expect(d.upParts[0]!.statements.map((x) => x.sql).join('\n')).toMatch(/GROUP BY "a" HAVING count\(\*\) > 1/);
        // Down: a plain index is dropped CONCURRENTLY first; a unique one (a foreign key may use it) after the main part.
        expect(partsOf(d.downParts)).toEqual([{ tx: false, sql: [`DROP INDEX CONCURRENTLY IF EXISTS "${s}"."t_b_index"`, `DROP INDEX CONCURRENTLY IF EXISTS "${s}"."t_a_index"`] }]);
        expect(d.hazards.map((h) => h.kind)).not.toContain('blocking-index-build');
        expect(recipes(d)).toEqual(['concurrent-index', 'concurrent-index']);
      },
    }),
  },
  {
    name: 'a unique index referenced by a foreign key: the foreign key is dropped in the main part, the index CONCURRENTLY after it',
    build: (s) => {
      const parent = (withIndex: boolean) => table(s, 'parent', [col('code', 'text', { notNull: true })], withIndex ? { indexes: [index('parent_code_key', ['code'], { unique: true })] } : {});
      const child = (withFk: boolean) => table(s, 'child', [col('code', 'text')], withFk ? { foreignKeys: [fk('child_code_parent_code_fk', ['code'], [s, 'parent'], ['code'])] } : {});
      return {
        prev: snap(schema(s, { tables: [parent(true), child(true)] })),
        next: snap(schema(s, { tables: [parent(false), child(false)] })),
        seed: `insert into ${s}.parent values ('a'); insert into ${s}.child values ('a')`,
        check: (d) => {
          expect(partsOf(d.upParts)).toEqual([
            { tx: true, sql: [`ALTER TABLE "${s}"."child" DROP CONSTRAINT "child_code_parent_code_fk"`] },
            { tx: false, sql: [`DROP INDEX CONCURRENTLY IF EXISTS "${s}"."parent_code_key"`] },
          ]);
          // The down builds the index again first (guard, CONCURRENTLY), then adds the foreign key to it.
          expect(partsOf(d.downParts).map((p) => p.tx)).toEqual([false, true, true]);
        },
      };
    },
  },
  {
    name: 'foreign key on existing tables: ADD … NOT VALID, then VALIDATE in a transaction of its own',
    build: (s) => {
      const users = table(s, 'users', [col('id', 'integer', { notNull: true })], { primaryKey: pk('users_pkey', 'id') });
      const posts = (withFk: boolean) => table(s, 'posts', [col('id', 'integer', { notNull: true }), col('user_id', 'integer')], {
        primaryKey: pk('posts_pkey', 'id'), ...(withFk ? { foreignKeys: [fk('posts_user_id_users_id_fk', ['user_id'], [s, 'users'], ['id'], { onDelete: 'cascade' })] } : {}),
      });
      return {
        prev: snap(schema(s, { tables: [users, posts(false)] })),
        next: snap(schema(s, { tables: [users, posts(true)] })),
        seed: `insert into ${s}.users select generate_series(1, 300); insert into ${s}.posts select i, i from generate_series(1, 300) i`,
        afterUp: async (c) => expect((await c.query(`select count(*)::int as n from ${s}.posts`)).rows).toEqual([{ n: 300 }]),
        check: (d) => {
          expect(partsOf(d.upParts)).toEqual([
            { tx: true, sql: [`ALTER TABLE "${s}"."posts" ADD CONSTRAINT "posts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "${s}"."users" ("id") ON DELETE CASCADE NOT VALID`] },
            { tx: true, sql: [`ALTER TABLE "${s}"."posts" VALIDATE CONSTRAINT "posts_user_id_users_id_fk"`] },
          ]);
          expect(d.hazards.map((h) => h.kind)).not.toContain('blocking-lock');
          expect(recipes(d)).toEqual(['not-valid-then-validate']);
        },
      };
    },
  },
  {
    name: 'check on an existing table: ADD … NOT VALID, then VALIDATE in a transaction of its own',
    build: (s) => ({
      prev: snap(schema(s, { tables: [t(s)] })),
      next: snap(schema(s, { tables: [t(s, { checks: [check('t_b_check', 'b >= 0')] })] })),
      seed: seedT(s), afterUp: kept(s),
      check: (d) => expect(partsOf(d.upParts)).toEqual([
        { tx: true, sql: [`ALTER TABLE "${s}"."t" ADD CONSTRAINT "t_b_check" CHECK (b >= 0) NOT VALID`] },
        { tx: true, sql: [`ALTER TABLE "${s}"."t" VALIDATE CONSTRAINT "t_b_check"`] },
      ]),
    }),
  },
  {
    name: 'SET NOT NULL: a CHECK (… IS NOT NULL) NOT VALID, VALIDATE, SET NOT NULL, the check dropped',
    build: (s) => ({
      prev: snap(schema(s, { tables: [t(s)] })),
      next: snap(schema(s, { tables: [t(s, {}, [col('id', 'integer', { notNull: true }), col('a', 'text', { notNull: true }), col('b', 'integer')])] })),
      seed: seedT(s), afterUp: kept(s), afterDown: kept(s),
      check: (d) => {
        const parts = partsOf(d.upParts);
        expect(parts.map((p) => p.tx)).toEqual([false, true, true, true]);
        expect(parts[0]!.sql[0]).toMatch(/^DO \$strata\$[\s\S]*"a" IS NULL/);
        expect(parts.slice(1).map((p) => p.sql)).toEqual([
          [`ALTER TABLE "${s}"."t" ADD CONSTRAINT "t_a_strata_not_null" CHECK ("a" IS NOT NULL) NOT VALID`],
          [`ALTER TABLE "${s}"."t" VALIDATE CONSTRAINT "t_a_strata_not_null"`],
          [`ALTER TABLE "${s}"."t" ALTER COLUMN "a" SET NOT NULL`, `ALTER TABLE "${s}"."t" DROP CONSTRAINT "t_a_strata_not_null"`],
        ]);
        expect(d.hazards.map((h) => h.kind)).toEqual(['breaks-running-code']);
        expect(recipes(d)).toEqual(['not-null-via-check']);
      },
    }),
  },
  {
    name: 'UNIQUE on an existing table: a unique index built CONCURRENTLY, then ADD CONSTRAINT … USING INDEX',
    build: (s) => ({
      prev: snap(schema(s, { tables: [t(s)] })),
      next: snap(schema(s, { tables: [t(s, { uniques: [unique('t_a_unique', ['a']), unique('t_id_b_unique', ['id', 'b'], true)] })] })),
      seed: seedT(s), afterUp: kept(s), afterDown: kept(s),
      check: (d) => {
        const parts = partsOf(d.upParts);
        // The duplicate-key guards, then the builds, in one part outside a transaction; then the attach.
        expect(parts.map((p) => p.tx)).toEqual([false, true]);
        expect(parts[0]!.sql.slice(0, 2).every((x) => x.startsWith('DO $strata$'))).toBe(true);
        expect(parts[0]!.sql.slice(2)).toEqual([
          `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "t_a_unique" ON "${s}"."t" USING btree ("a")`,
          `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "t_id_b_unique" ON "${s}"."t" USING btree ("id", "b") NULLS NOT DISTINCT`,
        ]);
        expect(parts[1]!.sql).toEqual([
          `ALTER TABLE "${s}"."t" ADD CONSTRAINT "t_a_unique" UNIQUE USING INDEX "t_a_unique"`,
          `ALTER TABLE "${s}"."t" ADD CONSTRAINT "t_id_b_unique" UNIQUE USING INDEX "t_id_b_unique"`,
        ]);
        expect(recipes(d)).toEqual(['unique-using-index', 'unique-using-index']);
      },
    }),
  },
  {
    name: 'PRIMARY KEY on an existing table (nullable column): NOT NULL by the check recipe, index built CONCURRENTLY, USING INDEX; a new foreign key to it waits for the index',
    build: (s) => {
      const child = table(s, 'child', [col('t_id', 'integer')], { foreignKeys: [fk('child_t_id_t_id_fk', ['t_id'], [s, 't'], ['id'])] });
      return {
        prev: snap(schema(s, { tables: [t(s, {}, [col('id', 'integer'), col('a', 'text'), col('b', 'integer')]), table(s, 'child', [col('t_id', 'integer')])] })),
        next: snap(schema(s, { tables: [t(s, { primaryKey: pk('t_pkey', 'id') }), child] })),
        seed: `${seedT(s)}; insert into ${s}.child values (1), (2), (null)`, afterUp: kept(s), afterDown: kept(s),
        check: (d) => {
          const parts = partsOf(d.upParts);
          expect(parts.map((p) => p.tx)).toEqual([false, true, false, true, true, true]);
          expect(parts[2]!.sql).toEqual([`CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "t_pkey" ON "${s}"."t" USING btree ("id")`]);
          expect(parts[3]!.sql).toEqual([
            `ALTER TABLE "${s}"."child" ADD CONSTRAINT "child_t_id_t_id_fk" FOREIGN KEY ("t_id") REFERENCES "${s}"."t" ("id") NOT VALID`,
          ]);
          expect(parts[5]!.sql).toEqual([
            `ALTER TABLE "${s}"."t" ALTER COLUMN "id" SET NOT NULL`,
            `ALTER TABLE "${s}"."t" DROP CONSTRAINT "t_id_strata_not_null"`,
            `ALTER TABLE "${s}"."t" ADD CONSTRAINT "t_pkey" PRIMARY KEY USING INDEX "t_pkey"`,
          ]);
          expect(recipes(d)).toEqual(['not-null-via-check', 'primary-key-using-index', 'not-valid-then-validate']);
        },
      };
    },
  },
  {
    name: 'a new NOT NULL column with a volatile default: added without it, default set, rows filled in batches, NOT NULL by the check recipe',
    build: (s) => ({
      prev: snap(schema(s, { tables: [t(s)] })),
      next: snap(schema(s, { tables: [t(s, {}, [
        col('id', 'integer', { notNull: true }), col('a', 'text'), col('b', 'integer'),
        col('uid', 'uuid', { notNull: true, default: 'gen_random_uuid()' }), col('seen', 'timestamp with time zone', { default: 'clock_timestamp()' }),
      ])] })),
      seed: `insert into ${s}.t select i, 'v' || i, i % 7 from generate_series(1, 5000) i`,
      afterUp: async (c) => {
        expect((await c.query(`select count(*)::int as n, count(distinct uid)::int as u, count(seen)::int as seen from ${s}.t`)).rows)
          .toEqual([{ n: 5000, u: 5000, seen: 5000 }]);
        await c.exec(`insert into ${s}.t (id) values (0)`);
        expect((await c.query(`select (uid is not null and seen is not null) as filled from ${s}.t where id = 0`)).rows).toEqual([{ filled: true }]);
        await c.exec(`delete from ${s}.t where id = 0`);
      },
      check: (d) => {
        const parts = partsOf(d.upParts);
        expect(parts.map((p) => p.tx)).toEqual([true, false, true, true]);
        expect(parts[0]!.sql).toEqual([
          `ALTER TABLE "${s}"."t" ADD COLUMN "uid" uuid`,
          `ALTER TABLE "${s}"."t" ALTER COLUMN "uid" SET DEFAULT gen_random_uuid()`,
          `ALTER TABLE "${s}"."t" ADD CONSTRAINT "t_uid_strata_not_null" CHECK ("uid" IS NOT NULL) NOT VALID`,
          `ALTER TABLE "${s}"."t" ADD COLUMN "seen" timestamp with time zone`,
          `ALTER TABLE "${s}"."t" ALTER COLUMN "seen" SET DEFAULT clock_timestamp()`,
        ]);
        expect(parts[1]!.sql).toHaveLength(2);
        expect(parts[1]!.sql[0]).toMatch(/UPDATE "[^"]+"\."t" SET "uid" = DEFAULT WHERE ctid >= .* AND "uid" IS NULL;\n\s+COMMIT;/);
        expect(parts[3]!.sql).toEqual([`ALTER TABLE "${s}"."t" ALTER COLUMN "uid" SET NOT NULL`, `ALTER TABLE "${s}"."t" DROP CONSTRAINT "t_uid_strata_not_null"`]);
        expect(d.hazards.map((h) => h.kind)).not.toContain('table-rewrite');
        expect(recipes(d)).toEqual(['backfill-in-batches', 'backfill-in-batches']);
      },
    }),
  },
  {
    name: 'drops an index CONCURRENTLY before the main part; a changed index is dropped first and built again after it',
    build: (s) => ({
      prev: snap(schema(s, { tables: [t(s, { indexes: [index('t_b_index', ['b']), index('t_a_index', ['a'])] })] })),
      next: snap(schema(s, { tables: [t(s, { indexes: [index('t_a_index', ['a'], { where: 'b > 0' })] }, [col('id', 'integer', { notNull: true }), col('a', 'text'), col('b', 'integer'), col('c', 'text')])] })),
      seed: seedT(s), afterUp: kept(s), afterDown: kept(s),
      check: (d) => expect(partsOf(d.upParts)).toEqual([
        { tx: false, sql: [`DROP INDEX CONCURRENTLY IF EXISTS "${s}"."t_a_index"`, `DROP INDEX CONCURRENTLY IF EXISTS "${s}"."t_b_index"`] },
        { tx: true, sql: [`ALTER TABLE "${s}"."t" ADD COLUMN "c" text`] },
        { tx: false, sql: [`CREATE INDEX CONCURRENTLY IF NOT EXISTS "t_a_index" ON "${s}"."t" USING btree ("a") WHERE (b > 0)`] },
      ]),
    }),
  },
  {
    name: 'a renamed table and column: guards run after the main part, under the new names',
    build: (s) => ({
      prev: snap(schema(s, { tables: [t(s)] })),
      next: snap(schema(s, { tables: [table(s, 't2', [col('id', 'integer', { notNull: true }), col('a2', 'text', { notNull: true }), col('b', 'integer')], {
        uniques: [unique('t2_a2_unique', ['a2'])],
      })] })),
      renames: ['t=t2', 't.a=t2.a2'],
      seed: seedT(s),
      check: (d) => {
        const parts = partsOf(d.upParts);
        expect(parts.map((p) => p.tx)).toEqual([true, false, true, true, true]);
        expect(parts[1]!.sql[0]).toMatch(/FROM "[^"]+"\."t2" WHERE "a2" IS NOT NULL GROUP BY "a2"/);
        // The NOT NULL guard reads the table through an alias (so a column named like the guard's
        // variables cannot clash): the new table and column names must both appear.
        expect(parts[3]!.sql[0]).toMatch(/FROM "[^"]+"\."t2" AS (\S+) WHERE \1\."a2" IS NULL/);
      },
    }),
  },
];
