import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgClient, type DatabaseClient } from '@strata/db';
import { createTestDatabase, type TestDatabase } from '@strata/testing';
import { describeEvent, migrate, migrationLockKey, type RunnerEvent } from '../src/index.js';
import { fixture, rejection } from './fixtures.js';

type Retry = Extract<RunnerEvent, { type: 'lock-retry' }>;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// Lock contention needs several server sessions at once; embedded PGlite has one connection.
describe('the lock queue [postgres]', () => {
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

  /** A transaction on its own connection that runs `sql`, then holds its locks for `ms`. */
  async function holdFor(sql: string, ms: number): Promise<{ pid: number; done: Promise<number> }> {
    const c = await another();
    let pid!: number;
    let ready!: () => void;
    const started = new Promise<void>((r) => (ready = r));
    const done = c.transaction(async (tx) => {
      pid = (await tx.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      await tx.exec(sql);
      ready();
      await sleep(ms);
      return performance.now();
    });
    await started;
    return { pid, done };
  }

  /** Inserts in a loop on its own connection until `stop()`; returns the longest single insert, ms. */
  async function writer(table: string): Promise<{ stop: () => Promise<{ longestMs: number; writes: number }> }> {
    const c = await another();
    let running = true;
    let longestMs = 0;
    let writes = 0;
    const loop = (async () => {
      while (running) {
        const t0 = performance.now();
        await c.query(`insert into ${table} (id) values ($1)`, [writes]);
        longestMs = Math.max(longestMs, performance.now() - t0);
        writes++;
        await sleep(5);
      }
    })();
    return {
      stop: async () => {
        running = false;
        await loop;
        return { longestMs, writes };
      },
    };
  }

  it('with a 5-second reader open, an ALTER retries with the default lock_timeout: writers never stall long, it completes after the reader ends, and the warning names the reader', async () => {
    const fx = fixture(db, { lockTimeoutMs: undefined }); // the default, 100 ms
    await db.exec(`create schema "${fx.schema}"; create table "${fx.schema}".t (id int); insert into "${fx.schema}".t select g from generate_series(1, 1000) g`);
    fx.add('alter_t', 'alter table ${s}.t add column extra int;');
    const w = await writer(`"${fx.schema}".t`);
    await sleep(100);
    const reader = await holdFor(`select count(*) from "${fx.schema}".t`, 5000);
    const migrated = migrate(db, fx.folder(), fx.opts()).then((r) => ({ r, at: performance.now() }));
    const readerEnd = await reader.done;
    const { r, at } = await migrated;
    await sleep(100);
    const { longestMs, writes } = await w.stop();

    expect(r.applied).toHaveLength(1);
    expect(at).toBeGreaterThanOrEqual(readerEnd);
    // Each wait in the queue lasts lock_timeout (100 ms); 1 s is a generous bound (without the
    // short lock_timeout, writers stall for the reader's whole 5 s).
    expect(longestMs).toBeLessThan(1000);
    expect(writes).toBeGreaterThan(20);
    const retries = fx.events.filter((e): e is Retry => e.type === 'lock-retry');
    expect(retries.length).toBeGreaterThan(2);
    expect(retries.every((e) => e.lockTimeoutMs === 100 && e.budgetMs === 60_000)).toBe(true);
    const named = retries.find((e) => e.blockers.some((b) => b.pid === reader.pid));
    expect(named).toBeDefined();
    expect(named!.relation).toBe(`${fx.schema}.t`);
    const blocker = named!.blockers.find((b) => b.pid === reader.pid)!;
    expect(blocker).toMatchObject({ state: 'idle in transaction', query: `select count(*) from "${fx.schema}".t` });
    expect(blocker.heldMs).toBeGreaterThan(0);
    const text = describeEvent(named!);
    expect(text).toContain(`held by pid ${reader.pid} (idle in transaction for `);
    expect(text).toContain(`select count(*) from "${fx.schema}".t`);
    expect((await db.query(`select count(*)::int as n from information_schema.columns where table_schema = $1 and column_name = 'extra'`, [fx.schema])).rows).toEqual([{ n: 1 }]);
  });

  it('retries the whole part, never from a savepoint: a table altered earlier in the part does not stay locked while a later statement waits', async () => {
    const fx = fixture(db, { lockTimeoutMs: undefined });
    await db.exec(`create schema "${fx.schema}"; create table "${fx.schema}".a (id int); create table "${fx.schema}".b (id int)`);
    fx.add('alter_both', 'alter table ${s}.a add column x int;\n--> statement-breakpoint\nalter table ${s}.b add column y int;');
    const w = await writer(`"${fx.schema}".a`);
    await sleep(100);
    const reader = await holdFor(`select count(*) from "${fx.schema}".b`, 3000);
    const run = migrate(db, fx.folder(), fx.opts());
    await reader.done;
    expect((await run).applied).toHaveLength(1);
    const { longestMs } = await w.stop();
    // A savepoint retry would keep "a" locked (ACCESS EXCLUSIVE) for the reader's 3 s.
    expect(longestMs).toBeLessThan(1000);
    expect(fx.events.filter((e) => e.type === 'lock-retry').length).toBeGreaterThan(2);
  });

  it('runs VALIDATE CONSTRAINT and CREATE INDEX CONCURRENTLY with lock_timeout 0: they wait instead of failing, and a long wait names who holds the lock', async () => {
    const fx = fixture(db, { lockTimeoutMs: 50, lockBudgetMs: 0 });
    await db.exec(`create schema "${fx.schema}"; create table "${fx.schema}".t (id int); insert into "${fx.schema}".t values (1);
      alter table "${fx.schema}".t add constraint t_pos check (id > 0) not valid`);
    fx.add('checked', [
      'select 1;',
      '--> strata:part',
      'alter table ${s}.t validate constraint t_pos;',
      '--> strata:part no-transaction',
      'create index concurrently t_id_idx on ${s}.t (id);',
    ].join('\n'));
    // SHARE UPDATE EXCLUSIVE conflicts with VALIDATE and CREATE INDEX CONCURRENTLY, not with writers.
    const holder = await holdFor(`lock table "${fx.schema}".t in share update exclusive mode`, 2500);
    const r = await migrate(db, fx.folder(), fx.opts());
    await holder.done;
    expect(r.applied).toHaveLength(1);
    expect(fx.events.filter((e) => e.type === 'lock-retry')).toEqual([]);
    const waiting = fx.events.find((e): e is Extract<RunnerEvent, { type: 'lock-waiting' }> => e.type === 'lock-waiting');
    expect(waiting).toBeDefined();
    expect(waiting!.blockers.map((b) => b.pid)).toContain(holder.pid);
    expect(waiting!.part).toBe(2);
    // With lockBudgetMs 0, an ordinary ALTER waiting for the same lock fails at once.
    const fx2 = fixture(db, { lockTimeoutMs: 50, lockBudgetMs: 0 });
    await db.exec(`create schema "${fx2.schema}"; create table "${fx2.schema}".t (id int)`);
    fx2.add('alter_t', 'alter table ${s}.t add column c int;');
    const holder2 = await holdFor(`lock table "${fx2.schema}".t in share update exclusive mode`, 1000);
    const e = await rejection(migrate(db, fx2.folder(), fx2.opts()));
    await holder2.done;
    expect(e.code).toBe('MIGRATION_FAILED');
    expect(e.message).toContain('lock timeout');
    expect(e.details.join('\n')).toContain(`held by pid ${holder2.pid}`);
  });

  it('keys the migration lock per history table: two histories in one database migrate side by side', async () => {
    const a = fixture(db);
    const b = fixture(db);
    a.add('a', 'create schema ${s};');
    b.add('b', 'create schema ${s};');
    const held = await db.acquireMigrationLock({ key: migrationLockKey(a.history) });
    try {
      const t0 = performance.now();
      expect((await migrate(db, b.folder(), b.opts({ lockWaitMs: 5000 }))).applied).toHaveLength(1);
      expect(performance.now() - t0).toBeLessThan(4000);
      expect(b.events.filter((e) => e.type === 'waiting-for-lock')).toEqual([]);
      const e = await rejection(migrate(db, a.folder(), a.opts({ lockWaitMs: 300 })));
      expect(e.code).toBe('LOCK_TIMEOUT');
    } finally {
      await held.release();
    }
    expect((await migrate(db, a.folder(), a.opts())).applied).toHaveLength(1);
  });
});
