import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStrataError, type StrataError } from '@strata/core';
import type { DatabaseClient } from '@strata/db';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { runDataMigrations, type RunDataMigrationsOptions } from './run-data-migrations.js';
import { dataMigrationStatus } from './data-status.js';
import { DATA_LOCK_KEY } from './data-lock.js';
import type { BatchProgress } from './types.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** A fresh data-migration directory; `node_modules` points at this package's, so files can import drizzle-orm. */
function migrationsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-data-'));
  symlinkSync(join(packageDir, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function writeMigration(dir: string, name: string, up: string, head = ''): string {
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, `import { defineDataMigration } from '@strata/data';\n${head}\nexport default defineDataMigration({\n  description: 'test ${name}',\n  async up(ctx) {\n${up}\n  },\n});\n`);
  return file;
}

async function failureOf(p: Promise<unknown>): Promise<StrataError> {
  const e = await p.then(() => null, (x: unknown) => x);
  if (!isStrataError(e)) throw new Error(`expected a StrataError, got ${String(e)}`);
  return e;
}

describeBackends('runDataMigrations', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  const run = (dir: string, extra: Partial<RunDataMigrationsOptions> = {}) => runDataMigrations({ db, dir, ...extra });
  const counts = async (table: string) =>
    (await db.query<{ total: string; once: string; untouched: string; filled: string }>(
      `select count(*)::int8 as total, count(*) filter (where n = 1)::int8 as once, count(*) filter (where n = 0)::int8 as untouched,
              count(*) filter (where full_name is not distinct from name)::int8 as filled from ${table}`,
    )).rows[0]!;
  const statusOf = async (dir: string, name: string) => (await dataMigrationStatus({ db, dir })).find((m) => m.name === name)!;
  const makeUsers = async (table: string, rows: number) =>
    db.exec(`create table ${table} (id int primary key, name text not null, full_name text, n int not null default 0);
             insert into ${table} (id, name) select g, 'user ' || g from generate_series(1, ${rows}) g`);

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
  });
  afterAll(async () => tdb?.dispose());

  it("runs the guide's example (full_name from name) once, in batches, and never again", async () => {
    await makeUsers('users', 10_000);
    const dir = migrationsDir();
    writeMigration(dir, '20250101000000_backfill_full_name', `
    await ctx.batch({ table: 'users', size: 1000 }, (tx, { ids }) =>
      tx.query('update users set full_name = name, n = n + 1 where id = any($1)', [ids]));`);
    const progress: BatchProgress[] = [];
    const report = await run(dir, { onProgress: (p) => progress.push(p) });
    expect(report.ran.map((m) => [m.name, m.rows, m.resumed])).toEqual([['20250101000000_backfill_full_name', 10_000, false]]);
    expect(report.ran[0]!.walks).toMatchObject([{ name: 'public.users', table: '"public"."users"', batches: 10, rows: 10_000, changed: 10_000, skipped: false }]);
    expect(await counts('users')).toEqual({ total: '10000', once: '10000', untouched: '0', filled: '10000' });
    expect(progress.map((p) => p.rowsDone)).toEqual([1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000, 10_000]);
    expect(progress.every((p) => p.total === 10_000)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ done: true, etaMs: 0 });

    const status = await dataMigrationStatus({ db, dir });
    expect(status).toMatchObject([{ name: '20250101000000_backfill_full_name', state: 'done', rows: 10_000, checksumChanged: false, error: null }]);
    expect(status[0]!.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const again = await run(dir);
    expect(again.ran).toEqual([]);
    expect(again.done).toEqual(['20250101000000_backfill_full_name']);
    expect((await counts('users')).once).toBe('10000');
  });

  it('stops at a failing batch naming the migration and the batch, keeps earlier batches, then resumes exactly there', async () => {
    await makeUsers('fail_t', 5000);
    const dir = migrationsDir();
    const name = '20250102000000_fails_in_batch_3';
    // Row 2500 divides by zero: batch 3 (ids 2001…3000) fails.
    writeMigration(dir, name, `
    await ctx.batch({ table: 'fail_t', size: 1000 }, (tx, { ids }) =>
      tx.query('update fail_t set n = n + 1, full_name = name || (1 / (id - 2500))::text where id = any($1)', [ids]));`);
    const e = await failureOf(run(dir));
    expect(e.code).toBe('DATA_MIGRATION_FAILED');
    expect(e.message).toContain(`${name}: batch 3 of "public"."fail_t" (id 2001 … 3000, 1000 rows) failed: division by zero`);
    expect(e.details.join('\n')).toContain('2 earlier batches (2000 rows) stay committed; the checkpoint stays after id 2000');
    expect(e.hint).toContain('resumes with batch 3');
    expect(await counts('fail_t')).toMatchObject({ once: '2000', untouched: '3000' });
    const failed = await statusOf(dir, name);
    expect(failed).toMatchObject({ state: 'failed', rows: 2000, walks: { 'public.fail_t': { last: [2000], batches: 2, rows: 2000, done: false } } });
    expect(failed.error).toContain('batch 3');

    // A second failing run leaves the checkpoint where it was.
    await failureOf(run(dir));
    expect((await statusOf(dir, name)).walks['public.fail_t']).toMatchObject({ last: [2000], batches: 2 });

    writeMigration(dir, name, `
    await ctx.batch({ table: 'fail_t', size: 1000 }, (tx, { ids }) =>
      tx.query('update fail_t set n = n + 1, full_name = name where id = any($1)', [ids]));`);
    const logs: string[] = [];
    const report = await run(dir, { onLog: (_l, _m, msg) => logs.push(msg) });
    expect(report.ran[0]).toMatchObject({ name, resumed: true, rows: 5000 });
    expect(report.ran[0]!.walks[0]).toMatchObject({ resumedAfter: 2000, batches: 5 });
    expect(logs.join('\n')).toContain('resuming after id 2000 with batch 3');
    expect(await counts('fail_t')).toMatchObject({ total: '5000', once: '5000', untouched: '0' });
    expect(await statusOf(dir, name)).toMatchObject({ state: 'done', error: null, checksumChanged: false });
  });

  it('dry run changes nothing and reports the rows each batch would touch', async () => {
    await makeUsers('dry_t', 2500);
    const dir = migrationsDir();
    writeMigration(dir, '20250103000000_dry', `
    await ctx.step('note', (tx) => tx.query("update dry_t set name = 'x' where id = 1"));
    await ctx.batch({ table: 'dry_t', size: 1000, where: 'id % 2 = 0' }, (tx, { from, to }) =>
      tx.query('update dry_t set full_name = name, n = n + 1 where id between $1 and $2 and id % 2 = 0', [from, to]));`);
    const before = (await db.query(`select md5(string_agg(dry_t::text, ',' order by id)) as h from dry_t`)).rows[0];
    const report = await run(dir, { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.ran[0]!.batches!.map((b) => [b.batch, b.from, b.to, b.rows, b.changed])).toEqual([
      [1, 2, 2000, 1000, 1000],
      [2, 2002, 2500, 250, 250],
    ]);
    expect((await db.query(`select md5(string_agg(dry_t::text, ',' order by id)) as h from dry_t`)).rows[0]).toEqual(before);
    expect((await db.query(`select count(*)::int4 as n from strata.data_migrations where name = '20250103000000_dry'`)).rows[0]).toEqual({ n: 0 });
    expect((await statusOf(dir, '20250103000000_dry')).state).toBe('pending');
  });

  it('walks a composite key over quoted names (schema and table with quotes, dots, spaces, capitals, ; and --)', async () => {
    await db.exec(`create schema "Odd ""Schema""";
      create table "Odd ""Schema"""."we.ird; --T" ("Tenant" int not null, "id" int not null, "select" text, n int not null default 0, primary key ("Tenant", "id"));
      insert into "Odd ""Schema"""."we.ird; --T" ("Tenant", "id") select t, i from generate_series(1, 7) t, generate_series(1, 300) i`);
    const dir = migrationsDir();
    writeMigration(dir, '20250104000000_composite', `
    const seen: number[] = [];
    const s = await ctx.batch({ table: '"Odd ""Schema"""."we.ird; --T"', size: 500 }, async (tx, b) => {
      seen.push(b.rows);
      await tx.query('update "Odd ""Schema"""."we.ird; --T" set n = n + 1, "select" = $3 where ("Tenant", "id") in (select * from unnest($1::int[], $2::int[]))', [...b.columns, 'b' + b.index]);
    });
    ctx.log.info(JSON.stringify({ seen, from: s.resumedAfter, batches: s.batches }));
    await ctx.batch({ table: { schema: 'Odd "Schema"', name: 'we.ird; --T' }, key: ['Tenant', 'id'], name: 'again', size: 1000 }, async (tx, b) => {
      if (b.index === 1) ctx.log.info(JSON.stringify({ from: b.from, to: b.to }));
    });`);
    const logs: string[] = [];
    await run(dir, { onLog: (_l, _m, msg) => logs.push(msg) });
    expect(JSON.parse(logs[0]!)).toEqual({ seen: [500, 500, 500, 500, 100], from: null, batches: 5 });
    expect(JSON.parse(logs[1]!)).toEqual({ from: [1, 1], to: [4, 100] });
    const r = await db.query<{ n: number; c: string }>(`select n, count(*)::int8 as c from "Odd ""Schema"""."we.ird; --T" group by n`);
    expect(r.rows).toEqual([{ n: 1, c: '2100' }]);
  });

  it('walks int8, uuid and text keys (any collation order) and visits every row once', async () => {
    await db.exec(`create table k_big (id int8 primary key, n int not null default 0);
      insert into k_big select 9007199254740000 + g, 0 from generate_series(1, 25) g;
      create table k_uuid (id uuid primary key, n int not null default 0);
      insert into k_uuid select md5(g::text)::uuid, 0 from generate_series(1, 25) g;
      create table k_text (code text collate "C" primary key, n int not null default 0);
      insert into k_text values ('a', 0), ('B', 0), ('ä', 0), ('a b', 0), ('a''b', 0), ('Z', 0), ('', 0), ('zz', 0), ('😀', 0);`);
    const dir = migrationsDir();
    writeMigration(dir, '20250104500000_key_types', `
    for (const table of ['k_big', 'k_uuid', 'k_text']) {
      await ctx.batch({ table, size: 4 }, (tx, { ids }) =>
        tx.query(\`update \${table} set n = n + 1 where \${table === 'k_text' ? 'code' : 'id'} = any($1)\`, [ids]));
    }`);
    const report = await run(dir);
    expect(report.ran[0]!.walks.map((w) => [w.name, w.rows, w.changed])).toEqual([['public.k_big', 25, 25], ['public.k_uuid', 25, 25], ['public.k_text', 9, 9]]);
    for (const t of ['k_big', 'k_uuid', 'k_text']) {
      expect((await db.query(`select count(*) filter (where n = 1)::int4 as once, count(*)::int4 as total from ${t}`)).rows[0]).toEqual({ once: t === 'k_text' ? 9 : 25, total: t === 'k_text' ? 9 : 25 });
    }
    const cp = await statusOf(dir, '20250104500000_key_types');
    expect(cp.walks['public.k_big']!.last).toEqual(['9007199254740025']);
  });

  it('finds a table and key named past 63 bytes the way PostgreSQL truncates them', async () => {
    const long = 'ä'.repeat(40); // 80 bytes: PostgreSQL keeps 31 characters (62 bytes)
    await db.exec(`create table "${long}" ("${long}_id" int primary key, n int not null default 0); insert into "${long}" select generate_series(1, 5), 0`);
    const dir = migrationsDir();
    writeMigration(dir, '20250104600000_long_names', `
    const s = await ctx.batch({ table: ${JSON.stringify(long)}, key: ${JSON.stringify(`${long}_id`)}, size: 2 }, (tx, { ids }) =>
      tx.query('update "${'ä'.repeat(31)}" set n = n + 1 where "${'ä'.repeat(31)}" = any($1)', [ids]));
    ctx.log.info(s.name);`);
    const logs: string[] = [];
    await run(dir, { onLog: (_l, _m, msg) => logs.push(msg) });
    expect(logs).toEqual([`public.${'ä'.repeat(31)}`]);
    expect((await db.query(`select count(*)::int4 as n from "${long}" where n = 1`)).rows[0]).toEqual({ n: 5 });
  });

  it('refuses a key that is not unique and not null, and a table without a primary key, naming them', async () => {
    await db.exec(`create table nokey_t (id int, email text); create table nullable_t (id int primary key, code int unique);`);
    const dir = migrationsDir();
    writeMigration(dir, '20250105000000_no_pk', `await ctx.batch({ table: 'nokey_t' }, async () => {});`);
    const e1 = await failureOf(run(dir));
    expect(e1.message).toContain('20250105000000_no_pk failed: batch: "public"."nokey_t" has no primary key to walk by');
    const dir2 = migrationsDir();
    writeMigration(dir2, '20250105000001_not_unique', `await ctx.batch({ table: 'nullable_t', key: 'code' }, async () => {});`);
    const e2 = await failureOf(run(dir2));
    expect(e2.message).toContain('cannot walk "public"."nullable_t" by ("code"): "code" may be null');
    const dir3 = migrationsDir();
    writeMigration(dir3, '20250105000002_no_table', `await ctx.batch({ table: 'nowhere' }, async () => {});`);
    expect((await failureOf(run(dir3))).message).toContain('table "nowhere" not found on the search_path');
  });

  it('refuses walks started side by side or one inside another (they share one connection)', async () => {
    await db.exec(`create table par_t (id int primary key); insert into par_t select generate_series(1, 10)`);
    const dir = migrationsDir();
    writeMigration(dir, '20250105500000_parallel', `
    await Promise.all([ctx.batch({ table: 'par_t' }, async () => {}), ctx.batch({ table: 'par_t', name: 'b' }, async () => {})]);`);
    expect((await failureOf(run(dir))).message).toContain('ctx.batch was called while the walk "(starting)" is running');
    const dir2 = migrationsDir();
    writeMigration(dir2, '20250105500001_nested', `
    await ctx.batch({ table: 'par_t' }, async () => { await ctx.batch({ table: 'par_t', name: 'inner' }, async () => {}); });`);
    expect((await failureOf(run(dir2))).message).toContain('ctx.batch was called while the walk "public.par_t" is running');
  });

  it('gives migrations drizzle-orm on its connection, with joined columns of the same name kept apart', async () => {
    await db.exec(`create table d_users (id int primary key, name text not null, full_name text);
      create table d_posts (id int primary key, user_id int not null references d_users, title text not null);
      insert into d_users select g, 'u' || g from generate_series(1, 30) g;
      insert into d_posts select g + 100, g, 'p' || g from generate_series(1, 30) g;`);
    const dir = migrationsDir();
    writeMigration(dir, '20250106000000_drizzle', `
    const joined = await ctx.db.select({ uid: users.id, pid: posts.id }).from(users).innerJoin(posts, eq(posts.userId, users.id)).where(eq(users.id, 3));
    ctx.log.info(JSON.stringify(joined));
    await ctx.batch({ table: users, size: 7 }, async (tx, { ids }) => {
      await tx.db.update(users).set({ fullName: sql\`\${users.name} || '!'\` }).where(inArray(users.id, ids as number[]));
    });
    await expect(ctx.db.transaction(async () => {}));
    async function expect(p: Promise<unknown>) { try { await p; } catch (e) { ctx.log.info((e as Error).message); } }`,
    `import { pgTable, integer, text } from 'drizzle-orm/pg-core';
import { eq, inArray, sql } from 'drizzle-orm';
const users = pgTable('d_users', { id: integer('id').primaryKey(), name: text('name').notNull(), fullName: text('full_name') });
const posts = pgTable('d_posts', { id: integer('id').primaryKey(), userId: integer('user_id').notNull(), title: text('title').notNull() });`);
    const logs: string[] = [];
    const report = await run(dir, { onLog: (_l, _m, msg) => logs.push(msg) });
    expect(JSON.parse(logs[0]!)).toEqual([{ uid: 3, pid: 103 }]);
    expect(logs[1]).toContain('ctx.db.transaction() is not available');
    expect(report.ran[0]!.walks[0]).toMatchObject({ batches: 5, rows: 30, changed: 30 });
    const r = await db.query(`select count(*)::int4 as n from d_users where full_name = name || '!'`);
    expect(r.rows[0]).toEqual({ n: 30 });
  });

  it('runs a step once, even when the migration fails after it and is run again', async () => {
    await db.exec('create table step_t (v text)');
    const dir = migrationsDir();
    const name = '20250107000000_step';
    writeMigration(dir, name, `
    await ctx.step('insert once', (tx) => tx.sql\`insert into step_t values (\${'once'})\`);
    await ctx.query('select 1 from nowhere_table');`);
    const e = await failureOf(run(dir));
    expect(e.message).toContain(`${name} failed: relation "nowhere_table" does not exist`);
    expect(e.details.join('\n')).toMatch(new RegExp(`at .*${name}\\.ts:\\d+:\\d+`));
    writeMigration(dir, name, `
    await ctx.step('insert once', (tx) => tx.sql\`insert into step_t values (\${'once'})\`);
    await ctx.sql\`insert into step_t values (\${'after'})\`;`);
    await run(dir);
    const r = await db.query('select v from step_t order by v');
    expect(r.rows).toEqual([{ v: 'after' }, { v: 'once' }]);
  });

  it('allows one data run at a time', async () => {
    const dir = migrationsDir();
    writeMigration(dir, '20250108000000_locked', `ctx.log.info('ran');`);
    const lock = await db.acquireMigrationLock({ key: DATA_LOCK_KEY });
    try {
      const e = await failureOf(run(dir, { lockWaitMs: 300 }));
      expect(e.code).toBe('LOCK_TIMEOUT');
      expect(e.message).toContain('another `strata data run` held the data-migration lock');
    } finally {
      await lock.release();
    }
    expect((await run(dir)).ran).toHaveLength(1);
  });

  it("reads a run under a lock of its own (a tenant's) as running while that lock is held, interrupted once it is free", async () => {
    const dir = migrationsDir();
    writeMigration(dir, '20250108100000_tenant', `ctx.log.info('ran');`);
    const own = { historySchema: 'strata', historyTable: 'data_migrations__t1', lockKey: 0x5354524154410001n };
    expect((await run(dir, own)).ran).toHaveLength(1);
    // As a run killed half-way leaves it.
    await db.exec(`update strata.data_migrations__t1 set status = 'running', finished_at = null`);
    const stateWith = async (o: { lockKey?: bigint }) => (await dataMigrationStatus({ db, dir, historySchema: own.historySchema, historyTable: own.historyTable, ...o }))[0]!.state;
    const lock = await db.acquireMigrationLock({ key: own.lockKey });
    try {
      // An embedded database has one process and no advisory lock another session could hold:
      // a row left running there is always an interrupted run.
      expect(await stateWith({ lockKey: own.lockKey })).toBe(backend === 'postgres' ? 'running' : 'interrupted');
      // The data lock is free: read with it, the same row looks interrupted (what fleet runs reported).
      expect(await stateWith({})).toBe('interrupted');
    } finally {
      await lock.release();
    }
    expect(await stateWith({ lockKey: own.lockKey })).toBe('interrupted');
  });

  it('reports a finished migration whose file changed, without running it again, and history without a file', async () => {
    const dir = migrationsDir();
    const file = writeMigration(dir, '20250109000000_once', `await ctx.query("insert into step_t values ('changed-test')");`);
    await run(dir);
    writeFileSync(file, `${'// edited\n'}${(await import('node:fs')).readFileSync(file, 'utf8')}`);
    const warnings: string[] = [];
    const report = await run(dir, { onLog: (level, _m, msg) => { if (level === 'warn') warnings.push(msg); } });
    expect(report.ran).toEqual([]);
    expect(report.changed).toEqual([{ name: '20250109000000_once', file }]);
    expect(warnings[0]).toContain('changed after it finished; it is not run again');
    expect((await db.query(`select count(*)::int4 as n from step_t where v = 'changed-test'`)).rows[0]).toEqual({ n: 1 });
    const status = await dataMigrationStatus({ db, dir });
    expect(status.find((s) => s.name === '20250109000000_once')).toMatchObject({ state: 'done', checksumChanged: true });
    // Migrations of the other tests are in the history but not in this directory.
    expect(status.find((s) => s.name === '20250101000000_backfill_full_name')).toMatchObject({ file: null, state: 'done' });
    expect(report.missing).toContain('20250101000000_backfill_full_name');
  });

  it('runs only the named migration, by its name without the timestamp', async () => {
    await db.exec('create table only_t (v text)');
    const dir = migrationsDir();
    writeMigration(dir, '20250110000000_first', `await ctx.query("insert into only_t values ('first')");`);
    writeMigration(dir, '20250110000001_second', `await ctx.query("insert into only_t values ('second')");`);
    const report = await run(dir, { only: 'second' });
    expect(report.ran.map((m) => m.name)).toEqual(['20250110000001_second']);
    expect((await db.query('select v from only_t')).rows).toEqual([{ v: 'second' }]);
    const e = await failureOf(run(dir, { only: 'third' }));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.hint).toContain('20250110000000_first');
  });
});
