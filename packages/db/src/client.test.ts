import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { QueryError } from './query-error.js';
import type { DatabaseClient } from './client.js';

describeBackends('DatabaseClient', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
  });
  afterAll(async () => tdb?.dispose());

  it('returns the same value shapes on both drivers', async () => {
    const r = await db.query(
      `select 1::int4 as i4, 2::int2 as i2, 9007199254740993::int8 as i8, 1.5::float8 as f8, 12.30::numeric(5,2) as num,
              true as b, '{"a":[1]}'::jsonb as jb, '{"x":1}'::json as j, '2020-01-02'::date as d,
              '2020-01-02 03:04:05'::timestamp as ts, array[1,2]::int[] as arr, null::text as n, 'x'::text as t`,
    );
    expect(r.rows[0]).toEqual({
      i4: 1, i2: 2, i8: '9007199254740993', f8: 1.5, num: '12.30', b: true, jb: { a: [1] }, j: { x: 1 }, d: '2020-01-02',
      ts: '2020-01-02 03:04:05', arr: '{1,2}', n: null, t: 'x',
    });
    expect(r.fields.map((f) => f.name)).toContain('i8');
  });

  it('runs parameterised queries and multi-statement scripts', async () => {
    await db.exec(`create table "we""ird tbl" (id int primary key, "select" text); insert into "we""ird tbl" values (1, 'a'), (2, 'b');`);
    const r = await db.query<{ id: number; select: string }>(`select * from "we""ird tbl" where id = $1`, [2]);
    expect(r.rows).toEqual([{ id: 2, select: 'b' }]);
    const u = await db.query(`update "we""ird tbl" set "select" = $1`, ['z']);
    expect(u.rowCount).toBe(2);
  });

  it('rolls a failed transaction back, DDL included', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.exec('create table t_rollback (id int)');
        await tx.exec('insert into nowhere values (1)');
      }),
    ).rejects.toBeInstanceOf(QueryError);
    const r = await db.query(`select to_regclass('t_rollback') as r`);
    expect(r.rows[0]).toEqual({ r: null });
  });

  it('uses savepoints for nested transactions', async () => {
    await db.exec('create table t_nested (v text)');
    await db.transaction(async (tx) => {
      await tx.query(`insert into t_nested values ('outer')`);
      await expect(tx.transaction(async (inner) => {
        await inner.query(`insert into t_nested values ('inner')`);
        throw new Error('boom');
      })).rejects.toThrow('boom');
      expect(tx.inTransaction).toBe(true);
    });
    const r = await db.query('select v from t_nested');
    expect(r.rows).toEqual([{ v: 'outer' }]);
  });

  it('keeps PostgreSQL error fields on a QueryError', async () => {
    const e = await db.query('select * from missing_table_x').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(QueryError);
    expect((e as QueryError).pg.code).toBe('42P01');
    expect((e as QueryError).code).toBe('QUERY_FAILED');
    expect((e as QueryError).message).toMatch(/missing_table_x/);
  });

  it('holds one session for a unit of work', async () => {
    const pids = await db.session(async (s) => {
      await s.exec(`set application_name = 'strata-test'`);
      const r = await s.query<{ a: string }>(`select current_setting('application_name') as a`);
      return r.rows[0]!.a;
    });
    expect(pids).toBe('strata-test');
  });

  it('takes and releases the migration lock', async () => {
    const lock = await db.acquireMigrationLock({ waitMs: 1000 });
    await lock.session.query('select 1');
    let waited = false;
    const second = db.acquireMigrationLock({ waitMs: 300, onWait: () => (waited = true) });
    await expect(second).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
    expect(waited).toBe(true);
    await lock.release();
    const again = await db.acquireMigrationLock({ waitMs: 1000 });
    await again.release();
  });

  it('reports the server version', async () => {
    const info = await db.serverInfo();
    expect(info.versionNum).toBeGreaterThanOrEqual(130000);
    expect(info.version).toMatch(backend === 'pglite' ? /PGlite/ : /PostgreSQL/);
  });
});

describe('migration lock across processes [postgres]', () => {
  it('excludes a second client while held, by polling', async () => {
    const tdb = await createTestDatabase('postgres');
    const a = await tdb.client();
    const { createPgClient } = await import('./pg-client.js');
    const b = await createPgClient(tdb.url);
    try {
      const lock = await a.acquireMigrationLock();
      let holder: number | null = null;
      await expect(b.acquireMigrationLock({ waitMs: 300, onWait: (i) => (holder = i.holderPid) })).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
      expect(holder).toBeTypeOf('number');
      const pending = b.acquireMigrationLock({ waitMs: 5000 });
      await new Promise((r) => setTimeout(r, 200));
      await lock.release();
      const lockB = await pending;
      await lockB.release();
    } finally {
      await b.close();
      await tdb.dispose();
    }
  });
});

/** Runs an ESM TypeScript snippet in a separate Node process (through tsx), without stdin. */
function runScript(code: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'strata-script-')), 'script.mts');
  writeFileSync(file, code);
  const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
  return spawnSync(tsx, [file], { encoding: 'utf8', timeout: 30_000, input: '' });
}

describe('embedded database in a process', () => {
  it('lets the process exit promptly after use, without process.exit', async () => {
    const tdb = await createTestDatabase('pglite');
    const script = `
      import { createPgliteClient } from ${JSON.stringify(fileURLToPath(new URL('./index.ts', import.meta.url)))};
      const db = await createPgliteClient(${JSON.stringify(tdb.url.slice('pglite:'.length))});
      await db.query('select 1');
      await db.close();
      console.log('closed');
    `;
    const r = runScript(script);
    expect(r.error).toBeUndefined(); // a hang would end in ETIMEDOUT here
    expect(r.signal).toBeNull();
    expect(r.stdout).toContain('closed');
    expect(r.status).toBe(0);
    await tdb.dispose();
  });

  it('refuses a second process on the same directory and names the holder', async () => {
    const tdb = await createTestDatabase('pglite');
    const dir = tdb.url.slice('pglite:'.length);
    const first = await tdb.client();
    const { acquireDirLock } = await import('./dir-lock.js');
    const { readDirLock } = await import('./dir-lock.js');
    expect(readDirLock(dir)?.pid).toBe(process.pid);
    // Same process holds it: a second acquire from here is refused too (not silently shared).
    const script = `
      import { openDatabase } from ${JSON.stringify(fileURLToPath(new URL('./index.ts', import.meta.url)))};
      try { await openDatabase(${JSON.stringify(tdb.url)}); console.log('opened'); } catch (e) { console.log(e.code + ': ' + e.message); }
    `;
    const r = runScript(script);
    expect(r.stdout).toContain('DATABASE_LOCKED');
    expect(r.stdout).toContain(`process ${process.pid}`);
    expect(acquireDirLock).toBeTypeOf('function');
    await first.close();
    expect(readDirLock(dir)).toBeNull();
    await tdb.dispose();
  });
});
