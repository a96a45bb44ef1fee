import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgClient, type DatabaseClient } from '@strata/db';
import { createTestDatabase, type TestDatabase } from '@strata/testing';
import { ensureHistoryTable, migrate, MigrationFailedError, type RunnerEvent } from '../src/index.js';
import { fixture, rejection } from './fixtures.js';

// These need several server sessions at once (a second connection holding a lock, several
// runners racing), which embedded PGlite does not have: its directory belongs to one process
// and its single connection serialises all work (see the lock-wait test of migrate.test.ts).
describe('migrate against other sessions [postgres]', () => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  const extra: DatabaseClient[] = [];
  beforeAll(async () => {
    tdb = await createTestDatabase('postgres');
    db = await tdb.client();
  });
  afterAll(async () => {
    for (const c of extra) await c.close();
    await tdb?.dispose();
  });
  const another = async () => {
    const c = await createPgClient(tdb.url);
    extra.push(c);
    return c;
  };

  it('history tables of different names created at once in one new schema (tenants of a fleet): every one is made', async () => {
    const schema = `h_race_${process.pid}_${Date.now()}`;
    const clients = await Promise.all(Array.from({ length: 6 }, () => another()));
    // Different tables take different migration locks, so nothing serialises the CREATE SCHEMAs.
    const made = await Promise.all(clients.map((c, i) => ensureHistoryTable(c, { schema, table: `migrations_${i}` })));
    expect(made.map((m) => m.change)).toEqual(Array(6).fill('created'));
    const tables = await db.query<{ n: number }>('select count(*)::int as n from pg_tables where schemaname = $1', [schema]);
    expect(tables.rows[0]!.n).toBe(6);
    await db.exec(`drop schema "${schema}" cascade`);
  });

  it('retries a part that fails on lock_timeout as a whole transaction, with backoff and a message naming the blocker', async () => {
    const fx = fixture(db, { lockTimeoutMs: 100 });
    await db.exec(`create schema "${fx.schema}"; create table "${fx.schema}".busy (id int)`);
    fx.add('alter_busy', 'create table ${s}.before_it (id int);\n--> statement-breakpoint\nalter table ${s}.busy add column extra int;');
    const holder = await another();
    let release!: () => void;
    let holderPid = 0;
    const held = holder.transaction(async (tx) => {
      holderPid = (await tx.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      await tx.exec(`lock table "${fx.schema}".busy in access exclusive mode`);
      await new Promise<void>((r) => (release = r));
    });
    await new Promise((r) => setTimeout(r, 100));
    const run = migrate(db, fx.folder(), fx.opts());
    // Let it time out at least twice, then let go of the lock.
    while (fx.events.filter((e) => e.type === 'lock-retry').length < 2) await new Promise((r) => setTimeout(r, 50));
    release();
    await held;
    const r = await run;
    expect(r.applied).toHaveLength(1);
    const retries = fx.events.filter((e): e is Extract<RunnerEvent, { type: 'lock-retry' }> => e.type === 'lock-retry');
    expect(retries[0]).toMatchObject({ name: r.applied[0]!.name, part: 1, parts: 1, attempt: 1, lockTimeoutMs: 100, budgetMs: 60_000 });
    // Backoff doubles (with jitter: each delay is between half and all of 100, 200, 400… ms).
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(50);
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(100);
    expect(retries[1]!.delayMs).toBeGreaterThanOrEqual(100);
    expect(retries[1]!.delayMs).toBeLessThanOrEqual(200);
    // The holder was seen and named: its pid, the table it held.
    expect(retries.some((e) => e.blockers.some((b) => b.pid === holderPid))).toBe(true);
    // The statement before the retried one ran again in the retried transaction, and exactly once.
    expect(await fx.tables()).toEqual(['before_it', 'busy']);
  });

  it('gives up when lockBudgetMs is used up, with the lock_timeout error naming the blocker, rolling the migration back', async () => {
    const fx = fixture(db, { lockTimeoutMs: 50, lockBudgetMs: 300 });
    await db.exec(`create schema "${fx.schema}"; create table "${fx.schema}".busy (id int)`);
    fx.add('alter_busy', 'create table ${s}.before_it (id int);\n--> statement-breakpoint\nalter table ${s}.busy add column extra int;');
    const holder = await another();
    let release!: () => void;
    const held = holder.transaction(async (tx) => {
      await tx.exec(`lock table "${fx.schema}".busy in access exclusive mode`);
      await new Promise<void>((r) => (release = r));
    });
    await new Promise((r) => setTimeout(r, 100));
    const e = (await rejection(migrate(db, fx.folder(), fx.opts()))) as MigrationFailedError;
    release();
    await held;
    expect(e).toBeInstanceOf(MigrationFailedError);
    expect(e.pg?.code).toBe('55P03');
    expect(e.message).toContain('canceling statement due to lock timeout');
    // The statement waiting for the lock is named (the part ran one statement at a time to find it).
    expect([e.statement, e.line]).toEqual([2, 3]);
    expect(e.hint).toMatch(/lockBudgetMs/);
    const retries = fx.events.filter((x) => x.type === 'lock-retry');
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(await fx.tables()).toEqual(['busy']);
  });

  it('cancels a statement that runs longer than statement_timeout', async () => {
    const fx = fixture(db, { statementTimeoutMs: 200 });
    fx.add('slow', 'create schema ${s};\n--> statement-breakpoint\nselect pg_sleep(5);');
    const e = (await rejection(migrate(db, fx.folder(), fx.opts()))) as MigrationFailedError;
    expect(e.pg?.code).toBe('57014');
    expect(e.statement).toBe(2);
    expect((await db.query('select 1 from pg_namespace where nspname = $1', [fx.schema])).rows).toEqual([]);
  });

  it('applies every migration exactly once when several runners race, a CONCURRENTLY index among them', async () => {
    const fx = fixture(db);
    const names = [fx.add('m0', 'create schema ${s};\n--> statement-breakpoint\ncreate table ${s}.big as select g as id from generate_series(1, 50000) g;')];
    names.push(fx.add('slow_cic', '-- strata:no-transaction\nselect pg_sleep(0.5);\ncreate index concurrently big_id_idx on ${s}.big (id);'));
    for (let i = 2; i < 10; i++) names.push(fx.add(`m${i}`, `create table \${s}.t${i} (id int);`));
    const clients = await Promise.all([1, 2, 3, 4].map(() => another()));
    const results = await Promise.all(clients.map((c) => migrate(c, fx.folder(), fx.opts())));
    const applied = results.flatMap((r) => r.applied.map((m) => m.name)).sort();
    expect(applied).toEqual([...names].sort());
    expect((await fx.applied()).map((r) => r.name)).toEqual(names);
    expect(fx.events.filter((e) => e.type === 'waiting-for-lock').length).toBeGreaterThan(0);
    const idx = await db.query(`select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'big_id_idx'`);
    expect(idx.rows).toEqual([{ valid: true }]);
  });
});
