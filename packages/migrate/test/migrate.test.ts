import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { isStrataError } from '@strata/core';
import { emptySnapshot } from '@strata/schema';
import { rehash, writeMigration } from '@strata/runner';
import { createTestDatabase, type TestDatabase } from '@strata/testing';
import { startApp } from './app.js';

/** A migration folder with two migrations creating tables in a schema of their own. */
function folderWith(schema: string): string {
  const out = mkdtempSync(join(tmpdir(), 'strata-app-migrate-'));
  const snapshot = emptySnapshot();
  writeMigration(out, { name: 'init', up: `create schema "${schema}";\n--> statement-breakpoint\ncreate table "${schema}".users (id int primary key, name text not null);`, down: null, snapshot, now: new Date('2026-01-01T00:00:00Z') });
  writeMigration(out, { name: 'posts', up: `create table "${schema}".posts (id int primary key, user_id int references "${schema}".users(id));`, down: null, snapshot, now: new Date('2026-01-02T00:00:00Z') });
  return out;
}

interface Variant {
  name: string;
  /** The driver object an app would pass, and how to query and close it. */
  open(url: string): Promise<{ handle: unknown; query: (sql: string) => Promise<Record<string, unknown>[]>; close: () => Promise<void> }>;
}

const pglite = (wrap: boolean): Variant => ({
  name: wrap ? 'drizzle over a PGlite instance' : 'PGlite instance',
  async open(url) {
    const instance = new PGlite(url.slice('pglite:'.length));
    return { handle: wrap ? drizzlePglite(instance) : instance, query: async (sql) => (await instance.query<Record<string, unknown>>(sql)).rows, close: () => instance.close() };
  },
});
const pool = (wrap: boolean): Variant => ({
  name: wrap ? 'drizzle over a node-postgres Pool' : 'node-postgres Pool',
  async open(url) {
    const p = new pg.Pool({ connectionString: url, max: 3 });
    // As an app would: the test's DROP DATABASE … WITH (FORCE) ends idle connections.
    p.on('error', () => {});
    return { handle: wrap ? drizzlePg(p) : p, query: async (sql) => (await p.query(sql)).rows, close: () => p.end() };
  },
});
const client = (wrap: boolean): Variant => ({
  name: wrap ? 'drizzle over a node-postgres Client' : 'node-postgres Client',
  async open(url) {
    const c = new pg.Client({ connectionString: url });
    c.on('error', () => {});
    await c.connect();
    return { handle: wrap ? drizzlePg(c) : c, query: async (sql) => (await c.query(sql)).rows, close: () => c.end() };
  },
});

const CASES: { backend: 'pglite' | 'postgres'; variants: Variant[] }[] = [
  { backend: 'pglite', variants: [pglite(false), pglite(true)] },
  { backend: 'postgres', variants: [pool(false), pool(true), client(false), client(true)] },
];

for (const { backend, variants } of CASES) {
  for (const variant of variants) {
    describe(`runtime migrate() with a ${variant.name} [${backend}]`, () => {
      let tdb: TestDatabase;
      let app: Awaited<ReturnType<Variant['open']>>;
      const schema = `app_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      let out: string;
      beforeAll(async () => {
        tdb = await createTestDatabase(backend);
        app = await variant.open(tdb.url);
        out = folderWith(schema);
      });
      afterAll(async () => {
        await app?.close();
        await tdb?.dispose();
        if (out) rmSync(out, { recursive: true, force: true });
      });

      it('applies pending migrations once, records them in the history, and leaves the connection usable as it was', async () => {
        const before = await app.query('show search_path');
        const first = await startApp(app.handle as never, out);
        expect(first.applied.map((m) => m.name.replace(/^\d+_/, ''))).toEqual(['init', 'posts']);
        const tables = await app.query(`select table_name::text as t from information_schema.tables where table_schema = '${schema}' order by 1`);
        expect(tables.map((r) => r.t)).toEqual(['posts', 'users']);
        const history = await app.query('select name, checksum from strata.migrations order by id');
        expect(history.map((r) => String(r.name).replace(/^\d+_/, ''))).toEqual(['init', 'posts']);
        expect(history.every((r) => typeof r.checksum === 'string' && r.checksum.length > 0)).toBe(true);
        // The app's own connection is neither ended nor left with the runner's pinned settings.
        expect(await app.query('show search_path')).toEqual(before);
        const again = await startApp(app.handle as never, out);
        expect(again.applied).toEqual([]);
        expect(again.alreadyApplied).toBe(2);
      });

      it('refuses an edited applied migration with the CLI\'s INTEGRITY_MISMATCH error, running nothing', async () => {
        const first = (await app.query('select name from strata.migrations order by id limit 1'))[0]!.name as string;
        writeFileSync(join(out, `${first}.sql`), `create schema "${schema}";\n-- edited after it was applied\n`);
        rehash(out);
        writeMigration(out, { name: 'later', up: `create table "${schema}".later (id int);`, down: null, snapshot: emptySnapshot(), now: new Date('2026-01-03T00:00:00Z') });
        const e = await startApp(app.handle as never, out).then(() => null, (x: unknown) => x);
        expect(isStrataError(e) && e.code).toBe('INTEGRITY_MISMATCH');
        const later = await app.query(`select count(*)::int as n from information_schema.tables where table_schema = '${schema}' and table_name = 'later'`);
        expect(later[0]!.n).toBe(0);
      });

      it('fails a broken migration with MIGRATION_FAILED and leaves the database as before it', async () => {
        const broken = folderWith(`${schema}_b`);
        try {
          writeMigration(broken, { name: 'broken', up: `create table "${schema}_b".half (id int);\n--> statement-breakpoint\nselect * from "${schema}_b".no_such_table;`, down: null, snapshot: emptySnapshot(), now: new Date('2026-01-04T00:00:00Z') });
          await app.query('drop table strata.migrations');
          const e = await startApp(app.handle as never, broken).then(() => null, (x: unknown) => x);
          expect(isStrataError(e) && e.code).toBe('MIGRATION_FAILED');
          const half = await app.query(`select count(*)::int as n from information_schema.tables where table_schema = '${schema}_b' and table_name = 'half'`);
          expect(half[0]!.n).toBe(0);
          const names = await app.query('select name from strata.migrations order by id');
          expect(names.map((r) => String(r.name).replace(/^\d+_/, ''))).toEqual(['init', 'posts']);
        } finally {
          rmSync(broken, { recursive: true, force: true });
        }
      });
    });
  }
}

describe('runtime migrate() input errors', () => {
  it('names what it accepts when given something else', async () => {
    const out = folderWith('unused');
    try {
      const e = await startApp({ nope: true } as never, out).then(() => null, (x: unknown) => x);
      expect(isStrataError(e) && e.code).toBe('USAGE');
      expect((e as Error).message).toMatch(/node-postgres Pool or Client, a PGlite instance, or a drizzle database/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
