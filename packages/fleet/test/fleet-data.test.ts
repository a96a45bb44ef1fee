import { afterAll, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { dataHistoryOf, listTargets, runFleet } from '../src/index.js';
import { APP, makeProject } from './fixtures.js';

// The data package's node_modules, so a data-migration file can import drizzle-orm.
const dataModules = fileURLToPath(new URL('../../data/node_modules', import.meta.url));

/** Writes a data migration `<dir>/<name>.ts` whose `up` is `body` (after the `head` imports). */
function writeDataMigration(dir: string, name: string, body: string, head = ''): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.ts`), `import { defineDataMigration } from '@strata/data';\n${head}\nexport default defineDataMigration({\n  async up(ctx) {\n${body}\n  },\n});\n`);
}

/** A data directory next to the project, with drizzle-orm reachable from its files. */
function dataDir(projectDir: string): string {
  const dir = join(projectDir, 'data');
  mkdirSync(dir, { recursive: true });
  symlinkSync(dataModules, join(dir, 'node_modules'));
  return dir;
}

describeBackends('fleet: data run on every target', (backend) => {
  const made: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of made) await d.dispose();
  });

  it('a database per target: a broken one fails with its error, the rest run; the rerun does only what is left', async () => {
    const count = backend === 'postgres' ? 8 : 3;
    const p = await makeProject(APP('public'), 'public');
    for (let i = 0; i < count; i++) made.push(await createTestDatabase(backend));
    const dbs = made.slice(-count);
    const targets = await listTargets(dbs.map((d, i) => ({ url: d.url, name: `db${i}` })));
    for (const d of dbs) await d.closeClient();
    expect((await runFleet({ action: 'migrate', targets, folder: p.folder(), config: p.config, concurrency: 3 })).ok).toBe(true);
    for (const d of dbs) {
      await (await d.client()).exec(`INSERT INTO "public"."users" ("name") SELECT 'u' || g FROM generate_series(1, 25) g`);
      await d.closeClient();
    }
    const dir = dataDir(p.dir);
    writeDataMigration(dir, '20260701000000_mark_users', `    await ctx.batch({ table: 'users', size: 10 }, (tx, { ids }) => tx.query("update users set name = name || '!' where id = any($1)", [ids]));`);
    writeDataMigration(dir, '20260702000000_first_post', `    await ctx.step('post', (tx) => tx.query("insert into posts (id, user_id, title) select 1, min(id), 'hello' from users"));`);
    // The broken target: its posts table has a title too short for the second migration.
    const broken = dbs[1]!;
    await (await broken.client()).exec('ALTER TABLE "public"."posts" ADD CONSTRAINT "short" CHECK (length("title") < 3)');
    await broken.closeClient();

    // data status --all before anything ran: every target waits for both, nothing is wrong.
    const before = await runFleet({ action: 'data-status', targets, folder: p.folder(), config: p.config, dataDir: dir, concurrency: 3 });
    expect(before.ok).toBe(true);
    expect(before.counts).toMatchObject({ pending: count, drift: 0, failed: 0 });
    for (const t of before.targets) expect(t.pending).toEqual(['20260701000000_mark_users', '20260702000000_first_post']);

    const first = await runFleet({ action: 'data', targets, folder: p.folder(), config: p.config, dataDir: dir, concurrency: 3 });
    expect(first.ok).toBe(false);
    expect(first.counts).toMatchObject({ done: count - 1, failed: 1, skipped: 0 });
    const bad = first.targets.find((t) => t.name === 'db1')!;
    expect(bad).toMatchObject({ outcome: 'failed', error: { code: 'DATA_MIGRATION_FAILED', message: expect.stringMatching(/first_post.*short/) } });
    expect(bad.pending).toEqual(['20260702000000_first_post']);
    for (const t of first.targets.filter((t) => t.name !== 'db1')) expect(t.applied).toEqual(['20260701000000_mark_users', '20260702000000_first_post']);
    for (const n of Object.values(first.peakConnections)) expect(n).toBeLessThanOrEqual(backend === 'postgres' ? 3 : 1);

    // data status --all: the failed migration is the broken target's problem (exit 1), the rest are up to date.
    const failedStatus = await runFleet({ action: 'data-status', targets, folder: p.folder(), config: p.config, dataDir: dir, concurrency: 3 });
    expect(failedStatus.ok).toBe(false);
    expect(failedStatus.counts).toMatchObject({ drift: 1, 'up-to-date': count - 1, pending: 0 });
    expect(failedStatus.groups).toEqual([{ problems: [expect.stringMatching(/^data migration 20260702000000_first_post: failed: .*short/)], targets: ['db1'] }]);

    await (await broken.client()).exec('ALTER TABLE "public"."posts" DROP CONSTRAINT "short"');
    await broken.closeClient();
    const second = await runFleet({ action: 'data', targets, folder: p.folder(), config: p.config, dataDir: dir, concurrency: 3 });
    expect(second.ok).toBe(true);
    expect(second.counts).toMatchObject({ done: 1, 'up-to-date': count - 1, failed: 0 });
    expect(second.targets.find((t) => t.outcome === 'done')).toMatchObject({ name: 'db1', applied: ['20260702000000_first_post'] });
    // Every row was marked exactly once, on every database, the broken one included.
    for (const d of dbs) {
      const r = await (await d.client()).query<{ once: number; posts: number }>(
        `select (select count(*)::int from "public"."users" where name like '%!' and name not like '%!!') as once, (select count(*)::int from "public"."posts") as posts`,
      );
      expect(r.rows[0]).toEqual({ once: 25, posts: 1 });
      await d.closeClient();
    }
  }, 240_000);

  it('a schema per tenant: the migration acts on each tenant\'s schema (unqualified names, drizzle tables, the managed schema named), each with its own history', async () => {
    const tenants = backend === 'postgres' ? ['acme', 'bolt', 'cora', 'dune'] : ['acme', 'bolt'];
    const p = await makeProject(APP('tenant'), 'tenant');
    const d = await createTestDatabase(backend);
    made.push(d);
    await d.closeClient();
    const targets = await listTargets(tenants.map((schema) => ({ url: d.url, schema })));
    expect((await runFleet({ action: 'migrate', targets, folder: p.folder(), config: p.config })).ok).toBe(true);
    const db = await d.client();
    for (const [i, t] of tenants.entries()) await db.exec(`INSERT INTO "${t}"."users" ("name") SELECT '${t}' || g FROM generate_series(1, ${i + 3}) g`);
    await d.closeClient();
    const dir = dataDir(p.dir);
    writeDataMigration(dir, '20260701000000_tenant_work', `
    await ctx.batch({ table: 'users', size: 2 }, (tx, { ids }) => tx.query("update users set name = upper(name) where id = any($1)", [ids]));
    await ctx.step('first post', (tx) => tx.db.insert(posts).values({ id: 1, userId: 1, title: 'hello' }));
    await ctx.batch({ table: 'tenant.posts', name: 'posts' }, (tx, { ids }) => tx.db.update(plain).set({ title: 'walked' }).where(inArray(plain.id, ids)));
    await ctx.batch({ table: 'users', name: 'authors', where: 'id in (select user_id from tenant.posts)' }, (tx, { ids }) => tx.query("update users set name = name || ' (AUTHOR)' where id = any($1)", [ids]));`, `
import { inArray } from 'drizzle-orm';
import { integer, pgSchema, pgTable, text } from 'drizzle-orm/pg-core';
const posts = pgSchema('tenant').table('posts', { id: integer('id').primaryKey(), userId: integer('user_id').notNull(), title: text('title') });
const plain = pgTable('posts', { id: integer('id').primaryKey(), title: text('title') });`);

    const r = await runFleet({ action: 'data', targets, folder: p.folder(), config: p.config, dataDir: dir, concurrency: 4 });
    expect(r.targets.map((t) => t.error)).toEqual(tenants.map(() => null));
    expect(r).toMatchObject({ ok: true, counts: { done: tenants.length } });
    const check = await d.client();
    for (const [i, t] of tenants.entries()) {
      const users = await check.query<{ upper: number }>(`select count(*)::int as upper from "${t}"."users" where name = upper(name)`);
      expect(users.rows[0]!.upper).toBe(i + 3);
      // The walk's condition names the managed schema: it read the tenant's posts (user 1 wrote the one post).
      expect((await check.query(`select id from "${t}"."users" where name like '% (AUTHOR)'`)).rows).toEqual([{ id: 1 }]);
      expect((await check.query(`select title from "${t}"."posts"`)).rows).toEqual([{ title: 'walked' }]);
      const h = dataHistoryOf(p.config.history, t).location;
      expect((await check.query(`select name from "${h.schema}"."${h.table}" where status = 'done'`)).rows).toEqual([{ name: '20260701000000_tenant_work' }]);
    }
    // Nothing landed in the managed schema, nor in public; the session's search_path was left as found.
    expect((await check.query(`select 1 from pg_namespace where nspname = 'tenant'`)).rows).toHaveLength(0);
    expect((await check.query(`select 1 from pg_tables where schemaname = 'public' and tablename in ('users', 'posts')`)).rows).toHaveLength(0);
    await d.closeClient();
    const again = await runFleet({ action: 'data', targets, folder: p.folder(), config: p.config, dataDir: dir });
    expect(again.counts).toMatchObject({ 'up-to-date': tenants.length });
  }, 240_000);
});
