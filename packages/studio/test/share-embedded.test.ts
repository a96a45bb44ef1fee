import { existsSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { lockPathFor, readDirLock, servedUrl } from '@strata/db';
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
    const url = servedUrl(shared.serveUrl, readDirLock(tdb.url.slice('pglite:'.length))?.serveSecret);
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: url, max: 1 }));
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
    const secret = readDirLock(dir)?.serveSecret;
    expect(secret).toBeDefined();
    await s.close();
    expect(JSON.parse(readFileSync(lockPathFor(dir), 'utf8')).serveUrl).toBeUndefined();
    expect(JSON.parse(readFileSync(lockPathFor(dir), 'utf8')).serveSecret).toBeUndefined();
    const probe = new pg.Client({ connectionString: servedUrl(s.serveUrl, secret), connectionTimeoutMillis: 2000 });
    await expect(probe.connect()).rejects.toThrow();
    await other.dispose();
    expect(existsSync(lockPathFor(dir))).toBe(false);
  });
});

describe('the served embedded database requires its secret', () => {
  let tdb: TestDatabase;
  let shared: SharedEmbedded;
  let dir: string;
  beforeAll(async () => {
    tdb = await createTestDatabase('pglite');
    shared = (await shareEmbedded(await tdb.client()))!;
    dir = tdb.url.slice('pglite:'.length);
  });
  afterAll(async () => {
    await shared?.close();
    await tdb?.dispose();
  });

  const tableExists = async () => (await shared.client.query(`select to_regclass('public.intruder')::text as t`)).rows[0]!.t;
  const connectWith = async (connectionString: string) => {
    const c = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
    try {
      await c.connect();
      await c.query('create table public.intruder (id int)');
      return 'connected';
    } finally {
      await c.end().catch(() => {});
    }
  };

  it('keeps the secret in a lock file only its user can read (0600), never in the advertised URL', () => {
    const lock = lockPathFor(dir);
    expect(statSync(lock).mode & 0o777).toBe(0o600);
    const info = readDirLock(dir)!;
    expect(info.serveSecret).toMatch(/^[\w-]{43}$/);
    expect(info.serveUrl).toBe(shared.serveUrl);
    expect(shared.serveUrl).not.toContain(info.serveSecret!);
  });

  it('refuses a client without the password, or with a wrong one (28P01), and nothing it sends runs', async () => {
    await expect(connectWith(shared.serveUrl)).rejects.toThrow(/password/i);
    await expect(connectWith(servedUrl(shared.serveUrl, 'guessed'))).rejects.toMatchObject({ code: '28P01' });
    await expect(connectWith(servedUrl(shared.serveUrl, `${readDirLock(dir)!.serveSecret}x`))).rejects.toMatchObject({ code: '28P01' });
    expect(await tableExists()).toBeNull();
  });

  it('runs nothing a raw client sends before authenticating', async () => {
    const port = Number(new URL(shared.serveUrl).port);
    const startup = (() => {
      const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
      const b = Buffer.alloc(8);
      b.writeInt32BE(8 + params.length, 0);
      b.writeInt32BE(196608, 4);
      return Buffer.concat([b, params]);
    })();
    const query = (() => {
      const text = Buffer.from('create table public.intruder (id int)\0');
      const b = Buffer.alloc(5);
      b.write('Q', 0);
      b.writeInt32BE(4 + text.length, 1);
      return Buffer.concat([b, text]);
    })();
    const answer = await new Promise<Buffer>((resolve, reject) => {
      const sock = connect(port, '127.0.0.1');
      let got = Buffer.alloc(0);
      sock.on('data', (d) => (got = Buffer.concat([got, d])));
      sock.on('close', () => resolve(got));
      sock.on('error', reject);
      sock.write(Buffer.concat([startup, query]));
      setTimeout(() => sock.destroy(), 1500);
    });
    // The gate asked for SCRAM-SHA-256 (R, code 10), then refused the query as a malformed answer.
    expect(answer[0]).toBe('R'.charCodeAt(0));
    expect(answer.readInt32BE(5)).toBe(10);
    expect(await tableExists()).toBeNull();
  });

  it('lets a Strata process with the secret in (positive control)', async () => {
    const secret = readDirLock(dir)!.serveSecret;
    expect(await connectWith(servedUrl(shared.serveUrl, secret))).toBe('connected');
    expect(await tableExists()).toBe('intruder');
  });
});
