import { describe, expect, it } from 'vitest';
import type { DatabaseClient } from '@strata/db';
import { describeBackends } from '@strata/testing';
import { diffSnapshots, renderMigration, summarize, PART_MARKER } from '../src/index.js';
import { col, fk, index, pk, schema, snap, table, unique } from './build.js';
import { runCases, useHarness } from './cases.js';
import { build, dropSchemas, expectSameCatalog } from './harness.js';
import { CASES, partsOf } from './lock-safe.cases.js';
import { applyFile, splitParts } from './migration-parts.js';

const t = (s: string, extras: Parameters<typeof table>[3] = {}) =>
  table(s, 't', [col('id', 'integer', { notNull: true }), col('a', 'text'), col('b', 'integer')], extras);

/** Runs a file's parts and returns the index of the part that failed with its error (or null). */
async function applyUntilFailure(c: DatabaseClient, file: string, from = 0): Promise<{ part: number; error: Error } | null> {
  try {
    await applyFile(c, file, from);
    return null;
  } catch (e) {
    return { part: (e as { failedPart: number }).failedPart, error: e as Error };
  }
}

describeBackends('lock-safe plans', (backend) => {
  const harness = useHarness(backend);
  describe('every recipe: same catalog as a fresh build, rows kept, the down restores the catalog', () => runCases(harness, 'ls', CASES));

  // The same migration drops an index CONCURRENTLY outside a transaction, where nothing is undone:
  // the guard runs before that drop (found replaying PageSpace's history, where the drop came first
  // and the stopped migration left the index dropped).
  it('duplicates under a new unique stop the migration before anything changes', async () => {
    const h = harness();
    const s = 'ls_dup_first';
    await dropSchemas(h.migrated, [s]);
    const prev = snap(schema(s, { tables: [t(s, { indexes: [index('t_b_index', ['b'])] })] }));
    await build(h.migrated, prev);
    await h.migrated.exec(`insert into ${s}.t values (1, 'x', 1), (2, 'x', 2), (3, null, 3), (4, null, 4)`);
    const diff = await diffSnapshots(prev, snap(schema(s, { tables: [t(s, { uniques: [unique('t_a_unique', ['a'])] })] })));
    const failed = await applyUntilFailure(h.migrated, renderMigration(diff.upParts));
    expect(failed?.part).toBe(0);
    expect(failed?.error.message).toMatch(/cannot add unique "t_a_unique" on table "ls_dup_first"\."t": several rows hold the key x/);
    await dropSchemas(h.fresh, [s]);
    await build(h.fresh, prev);
    await h.fresh.exec(`insert into ${s}.t values (1, 'x', 1), (2, 'x', 2), (3, null, 3), (4, null, 4)`);
    await expectSameCatalog(h, [s], 'nothing changed', diff.up);
    await dropSchemas(h.migrated, [s]);
    await dropSchemas(h.fresh, [s]);
  });

  // The part also drops an index, committed before the build failed: the rerun starts the part
  // again from its first statement, so that drop must be safe to run twice (IF EXISTS).
  it('duplicates written while the migration runs: the build fails naming the key and leaves an INVALID index; once the rows are fixed, the rerun (INVALID index dropped, resumed at that part) reaches the fresh build', async () => {
    const h = harness();
    const s = 'ls_dup_mid';
    await dropSchemas(h.migrated, [s]);
    await dropSchemas(h.fresh, [s]);
    const prev = snap(schema(s, { tables: [t(s, { indexes: [index('t_b_index', ['b'])] })] }));
    const next = snap(schema(s, { tables: [t(s, { uniques: [unique('t_a_unique', ['a'])] })] }));
    await build(h.migrated, prev);
    await h.migrated.exec(`insert into ${s}.t select i, 'v' || i, i from generate_series(1, 1000) i`);
    const diff = await diffSnapshots(prev, next);
    const file = renderMigration(diff.upParts);
    expect(splitParts(file).map((p) => p.transactional)).toEqual([false, true]);
    let failed: { part: number; error: Error } | null = null;
    try {
      // The guard (statement 0) passes, the index is dropped (1); a writer adds a duplicate before the build (2).
      await applyFile(h.migrated, file, 0, async (part, statement) => {
        if (part === 0 && statement === 2) await h.migrated.exec(`insert into ${s}.t values (1001, 'v7', 0)`);
      });
    } catch (e) {
      failed = { part: (e as { failedPart: number }).failedPart, error: e as Error };
    }
    expect(failed?.part).toBe(0);
    expect(failed?.error.message).toMatch(/could not create unique index "t_a_unique"/);
    expect((await h.migrated.query(`select indisvalid from pg_index where indexrelid = '${s}.t_a_unique'::regclass`)).rows).toEqual([{ indisvalid: false }]);
    // The fix, then what the runner's rerun does: drop the INVALID index of that name, resume at the failed part.
    await h.migrated.exec(`delete from ${s}.t where id = 1001`);
    await h.migrated.exec(`drop index concurrently ${s}.t_a_unique`);
    expect(await applyUntilFailure(h.migrated, file, failed!.part)).toBeNull();
    await build(h.fresh, next);
    await expectSameCatalog(h, [s], 'after the rerun: same catalog as a fresh build', diff.up);
    expect((await h.migrated.query(`select count(*)::int as n from ${s}.t`)).rows).toEqual([{ n: 1000 }]);
    await dropSchemas(h.migrated, [s]);
    await dropSchemas(h.fresh, [s]);
  });

  // Found replaying schema histories: a part outside a transaction building two indexes, interrupted
  // after the first was built, failed on every rerun (relation already exists).
  it('a part building several indexes CONCURRENTLY, interrupted after the first one: the rerun from its start reaches the fresh build', async () => {
    const h = harness();
    const s = 'ls_cic_rerun';
    await dropSchemas(h.migrated, [s]);
    await dropSchemas(h.fresh, [s]);
    const prev = snap(schema(s, { tables: [t(s)] }));
    const next = snap(schema(s, { tables: [t(s, { indexes: [index('t_a_idx', ['a']), index('t_b_idx', ['b'])] })] }));
    await build(h.migrated, prev);
    await h.migrated.exec(`insert into ${s}.t select i, 'v' || i, i from generate_series(1, 100) i`);
    const diff = await diffSnapshots(prev, next);
    const file = renderMigration(diff.upParts);
    expect(splitParts(file).map((p) => p.transactional)).toEqual([false]);
    // What the interrupted run committed: the part's first statement.
    await h.migrated.exec(splitParts(file)[0]!.statements[0]!);
    expect(await applyUntilFailure(h.migrated, file)).toBeNull();
    await build(h.fresh, next);
    await expectSameCatalog(h, [s], 'after the rerun: same catalog as a fresh build', diff.up);
    await dropSchemas(h.migrated, [s]);
    await dropSchemas(h.fresh, [s]);
  });

  it('orphan rows under a new foreign key: VALIDATE fails naming the key after the NOT VALID constraint is committed; once fixed, resuming at that part reaches the fresh build', async () => {
    const h = harness();
    const s = 'ls_fk';
    await dropSchemas(h.migrated, [s]);
    await dropSchemas(h.fresh, [s]);
    const users = table(s, 'users', [col('id', 'integer', { notNull: true })], { primaryKey: pk('users_pkey', 'id') });
    const posts = (withFk: boolean) => table(s, 'posts', [col('user_id', 'integer')], withFk ? { foreignKeys: [fk('posts_user_id_users_id_fk', ['user_id'], [s, 'users'], ['id'])] } : {});
    const prev = snap(schema(s, { tables: [users, posts(false)] }));
    const next = snap(schema(s, { tables: [users, posts(true)] }));
    await build(h.migrated, prev);
    await h.migrated.exec(`insert into ${s}.users values (1); insert into ${s}.posts values (1), (42)`);
    const diff = await diffSnapshots(prev, next);
    const file = renderMigration(diff.upParts);
    expect(file).toContain(`\n${PART_MARKER}\n`);
    const failed = await applyUntilFailure(h.migrated, file);
    expect(failed?.part).toBe(1);
    expect(failed?.error.message).toMatch(/posts_user_id_users_id_fk/);
    // New rows are already checked by the NOT VALID constraint.
    await expect(h.migrated.exec(`insert into ${s}.posts values (43)`)).rejects.toThrow(/posts_user_id_users_id_fk/);
    await h.migrated.exec(`delete from ${s}.posts where user_id = 42`);
    expect(await applyUntilFailure(h.migrated, file, failed!.part)).toBeNull();
    await build(h.fresh, next);
    await expectSameCatalog(h, [s], 'after the rerun: same catalog as a fresh build', diff.up);
    await dropSchemas(h.migrated, [s]);
    await dropSchemas(h.fresh, [s]);
  });
});

describe('rewrites and the plain form', () => {
  const typed = (ty: string) => snap(schema('s', { tables: [table('s', 't', [col('id', 'integer', { notNull: true }), col('n', ty)])] }));

  it('a type change that rewrites the table is listed in diff.rewrites (no silent rewrite); binary-coercible ones are not', async () => {
    const d = await diffSnapshots(typed('integer'), typed('bigint'));
    expect(d.rewrites).toEqual([{
      table: { schema: 's', name: 't' }, column: 'n', from: 'integer', to: 'bigint',
      message: 'changing "s"."t"."n" from integer to bigint rewrites "s"."t" and its indexes, blocking writes for the whole rewrite',
    }]);
    expect(summarize(d)).toContain('! changing "s"."t"."n" from integer to bigint rewrites "s"."t" and its indexes, blocking writes for the whole rewrite');
    for (const [from, to] of [['character varying(10)', 'character varying(20)'], ['character varying(10)', 'text'], ['character varying(10)', 'character varying']]) {
      const widen = await diffSnapshots(typed(from!), typed(to!));
      expect(widen.rewrites, `${from} → ${to}`).toEqual([]);
      expect(widen.up.map((x) => x.sql), `${from} → ${to}`).toEqual([`ALTER TABLE "s"."t" ALTER COLUMN "n" TYPE ${to} USING "n"::${to}`]);
    }
  });

  it('unsafePlans writes the plain statements in one part, with their hazards', async () => {
    const prev = snap(schema('s', { tables: [t('s')] }));
    const next = snap(schema('s', { tables: [table('s', 't', [col('id', 'integer', { notNull: true }), col('a', 'text', { notNull: true }), col('b', 'integer')], {
      uniques: [unique('t_a_unique', ['a'])],
    })] }));
    const plain = await diffSnapshots(prev, next, { unsafePlans: true });
    expect(partsOf(plain.upParts)).toEqual([{ tx: true, sql: [expect.stringMatching(/^DO /), 'ALTER TABLE "s"."t" ALTER COLUMN "a" SET NOT NULL', 'ALTER TABLE "s"."t" ADD CONSTRAINT "t_a_unique" UNIQUE ("a")'] }]);
    expect(plain.plans).toEqual([]);
    expect(plain.hazards.map((h) => h.kind).sort()).toEqual(['blocking-index-build', 'blocking-lock', 'breaks-running-code']);
    const safe = await diffSnapshots(prev, next);
    expect(safe.plans.map((p) => p.recipe)).toEqual(['not-null-via-check', 'unique-using-index']);
    expect(summarize(safe)).toContain('lock-safe plans:');
    // Each recipe says in the file which it is and why.
    expect(renderMigration(safe.upParts)).toMatch(/-- lock-safe \(unique-using-index\): the index of unique "t_a_unique" is built CONCURRENTLY/);
  });
});
