import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as drizzleMigratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as drizzleMigratePglite } from 'drizzle-orm/pglite/migrator';
import type { DatabaseClient } from '@strata/db';
import { emptySnapshot } from '@strata/schema';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { latestSnapshot, migrate, readMigrationFolder, status, writeMigration } from '../src/index.js';
import { fixture, rejection } from './fixtures.js';

const WHEN = [1_700_000_000_000, 1_700_000_100_000];

/** A folder as drizzle-kit generate leaves it: journal, SQL with breakpoints, its own snapshots. */
function drizzleKitFolder(out: string, schema: string): void {
  mkdirSync(join(out, 'meta'), { recursive: true });
  writeFileSync(join(out, '0000_init.sql'), `CREATE SCHEMA "${schema}";\n--> statement-breakpoint\nCREATE TABLE "${schema}"."users" (\n\t"id" serial PRIMARY KEY NOT NULL\n);\n`);
  writeFileSync(join(out, '0001_names.sql'), `ALTER TABLE "${schema}"."users" ADD COLUMN "name" text;`);
  for (const i of [0, 1]) writeFileSync(join(out, `meta/000${i}_snapshot.json`), JSON.stringify({ version: '7', dialect: 'postgresql', tables: {} }));
  writeFileSync(join(out, 'meta/_journal.json'), JSON.stringify({
    version: '7', dialect: 'postgresql',
    entries: [
      { idx: 0, version: '7', when: WHEN[0], tag: '0000_init', breakpoints: true },
      { idx: 1, version: '7', when: WHEN[1], tag: '0001_names', breakpoints: true },
    ],
  }, null, 2));
}

describeBackends('adopting a drizzle-kit project', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
  });
  afterAll(async () => tdb?.dispose());

  /** Runs drizzle-orm's own migrator (what `drizzle-kit migrate` runs) on the test database. */
  async function drizzleKitMigrate(out: string): Promise<void> {
    if (backend === 'postgres') {
      const pool = new pg.Pool({ connectionString: tdb.url, max: 1 });
      try {
        await drizzleMigratePg(drizzlePg(pool), { migrationsFolder: out });
      } finally {
        await pool.end();
      }
    } else {
      await tdb.closeClient();
      const client = new PGlite(tdb.url.slice('pglite:'.length));
      try {
        await drizzleMigratePglite(drizzlePglite(client), { migrationsFolder: out });
      } finally {
        await client.close();
      }
      db = await tdb.client();
    }
  }

  it('recognises what drizzle-kit applied, applies only newer Strata migrations, and records the drizzle-kit ones once', async () => {
    let fx = fixture(db);
    drizzleKitFolder(fx.out, fx.schema);
    await drizzleKitMigrate(fx.out);
    fx = { ...fixture(db), out: fx.out, schema: fx.schema } as typeof fx;
    const opts = (more = {}) => ({ ...fx.opts(more), drizzleHistory: undefined });

    const before = await status(db, readMigrationFolder(fx.out), opts());
    expect(before.migrations.map((m) => [m.name, m.state, m.appliedBy])).toEqual([['0000_init', 'applied', 'drizzle-kit'], ['0001_names', 'applied', 'drizzle-kit']]);
    expect(before.pending).toEqual([]);
    expect(before.migrations[1]!.appliedAt).toBe(new Date(WHEN[1]!).toISOString());
    expect((await migrate(db, readMigrationFolder(fx.out), opts({ dryRun: true }))).planned).toEqual([]);

    const next = writeMigration(fx.out, { name: 'add email', up: `ALTER TABLE "${fx.schema}"."users" ADD COLUMN "email" text;`, down: null, snapshot: emptySnapshot() });
    const folder = readMigrationFolder(fx.out);
    expect(folder.problems).toEqual([]);
    expect(folder.migrations.at(-1)!.meta!.parent).toBe('0001_names');
    expect(latestSnapshot(folder)).toMatchObject({ kind: 'strata', name: next.name });

    const r = await migrate(db, folder, opts());
    expect(r.importedFromDrizzleKit).toEqual(['0000_init', '0001_names']);
    expect(r.applied.map((m) => m.name)).toEqual([next.name]);
    expect(fx.events).toContainEqual({ type: 'drizzle-history-imported', names: ['0000_init', '0001_names'] });
    const rows = await fx.applied();
    expect(rows.map((x) => x.name)).toEqual(['0000_init', '0001_names', next.name]);
    expect(rows[0]!.applied_by).toMatch(/^drizzle-kit \(recognised by strata /);
    const cols = await db.query<{ c: string }>(`select column_name::text as c from information_schema.columns where table_schema = $1 and table_name = 'users' order by ordinal_position`, [fx.schema]);
    expect(cols.rows.map((x) => x.c)).toEqual(['id', 'name', 'email']);
    // drizzle-kit's own history is left as it was.
    expect((await db.query('select count(*)::int as n from drizzle.__drizzle_migrations')).rows).toEqual([{ n: 2 }]);
    const again = await migrate(db, readMigrationFolder(fx.out), opts());
    expect([again.applied, again.importedFromDrizzleKit]).toEqual([[], []]);
  });

  it('applies drizzle-kit migrations that drizzle-kit never applied, and refuses an applied one that was edited', async () => {
    // A fresh database: nothing applied by drizzle-kit; Strata applies the journal itself.
    const fx = fixture(db);
    drizzleKitFolder(fx.out, fx.schema);
    const opts = fx.opts({ drizzleHistory: { schema: `none_${fx.schema}`, table: '__drizzle_migrations' } });
    expect((await migrate(db, readMigrationFolder(fx.out), opts)).applied.map((m) => m.name)).toEqual(['0000_init', '0001_names']);
    appendFileSync(join(fx.out, '0001_names.sql'), '\nALTER TABLE x ADD COLUMN y int;');
    const e = await rejection(migrate(db, readMigrationFolder(fx.out), opts));
    expect(e.code).toBe('INTEGRITY_MISMATCH');
    expect(e.details[0]).toMatch(/^0001_names\.sql: edited after it was applied/);
  });
});
