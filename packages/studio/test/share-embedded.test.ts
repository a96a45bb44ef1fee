import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { lockPathFor, readDirLock } from '@strata/db';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { shareEmbedded, type SharedEmbedded } from '@strata/studio';
import { secondProcess } from './helpers.js';

describeBackends('another process while the studio holds the database', (backend) => {
  let tdb: TestDatabase;
  let shared: SharedEmbedded | null;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    const db = await tdb.client();
    await db.exec('create table public.notes (id serial primary key, body text not null)');
    shared = await shareEmbedded(db);
  });
  afterAll(async () => {
    await shared?.close();
    await tdb?.dispose();
  });

  it('opens the database with openDatabase(url), writes, and the studio sees the write', async () => {
    const client = shared?.client ?? (await tdb.client());
    const r = await secondProcess(tdb.url, `insert into public.notes (body) values ('from another process') returning id, body`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.out?.rows).toEqual([{ id: 1, body: 'from another process' }]);
    if (backend === 'pglite') expect(r.out?.displayUrl).toMatch(/served by process \d+/);
    expect((await client.query('select body from public.notes')).rows).toEqual([{ body: 'from another process' }]);
  });

  it(backend === 'pglite' ? 'advertises the socket in the directory lock' : 'has nothing to share on a server', () => {
    if (backend === 'postgres') {
      expect(shared).toBeNull();
      return;
    }
    const dir = tdb.url.slice('pglite:'.length);
    expect(readDirLock(dir)?.serveUrl).toBe(shared!.serveUrl);
    expect(shared!.serveUrl).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
  });
});

describe('shareEmbedded', () => {
  let tdb: TestDatabase;
  let shared: SharedEmbedded;
  beforeAll(async () => {
    tdb = await createTestDatabase('pglite');
    shared = (await shareEmbedded(await tdb.client()))!;
  });
  afterAll(async () => {
    await shared?.close();
    await tdb?.dispose();
  });

  it("keeps each client's parameterised queries and transactions apart on PGlite's single backend", async () => {
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: shared.serveUrl, max: 1 }));
    try {
      await pools[0]!.query('create table public.counter (id int primary key, n int not null)');
      await pools[0]!.query('insert into public.counter values (1, 0)');
      const work = pools.flatMap((pool, p) =>
        Array.from({ length: 25 }, async (_, i) => {
          const echo = await pool.query('select $1::int as a, $2::text as b', [p * 100 + i, `client ${p}`]);
          expect(echo.rows).toEqual([{ a: p * 100 + i, b: `client ${p}` }]);
          const c = await pool.connect();
          try {
            await c.query('begin');
            const { rows } = await c.query('select n from public.counter where id = $1', [1]);
            await c.query('update public.counter set n = $1 where id = $2', [rows[0].n + 1, 1]);
            await c.query('commit');
          } finally {
            c.release();
          }
        }),
      );
      await Promise.all(work);
      expect((await shared.client.query('select n from public.counter')).rows).toEqual([{ n: 100 }]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('stops advertising and serving when closed', async () => {
    const other = await createTestDatabase('pglite');
    const s = (await shareEmbedded(await other.client()))!;
    const dir = other.url.slice('pglite:'.length);
    expect(readDirLock(dir)?.serveUrl).toBe(s.serveUrl);
    await s.close();
    expect(JSON.parse(readFileSync(lockPathFor(dir), 'utf8')).serveUrl).toBeUndefined();
    const probe = new pg.Client({ connectionString: s.serveUrl, connectionTimeoutMillis: 2000 });
    await expect(probe.connect()).rejects.toThrow();
    await other.dispose();
    expect(existsSync(lockPathFor(dir))).toBe(false);
  });
});
