import { afterAll, describe, expect, it } from 'vitest';
import { createPgClient, type DatabaseClient } from '@strata/db';
import { migrationLockKey } from '@strata/runner';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { listTargets, runFleet, tenantHistory, type FleetEvent } from '../src/index.js';
import { APP, makeProject } from './fixtures.js';

describeBackends('fleet: a database per target', (backend) => {
  const made: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of made) await d.dispose();
  });
  const count = backend === 'postgres' ? 20 : 3;

  it('migrates every database; a broken one is reported with its error, the rest applied; the rerun migrates only that one', async () => {
    const p = await makeProject(APP('public'), 'public');
    for (let i = 0; i < count; i++) made.push(await createTestDatabase(backend));
    // A conflicting object: the second migration's table already exists, with other columns.
    const broken = made[2]!;
    await (await broken.client()).exec('CREATE TABLE "public"."posts" ("other" text)');
    for (const d of made) await d.closeClient();
    const targets = await listTargets(made.map((d, i) => ({ url: d.url, name: `db${i}` })));
    const events: FleetEvent[] = [];
    const first = await runFleet({ action: 'migrate', targets, folder: p.folder(), config: p.config, concurrency: 3, onEvent: (e) => events.push(e) });
    expect(first.ok).toBe(false);
    expect(first.counts).toMatchObject({ applied: count - 1, failed: 1, skipped: 0 });
    const bad = first.targets.find((t) => t.name === 'db2')!;
    expect(bad.outcome).toBe('failed');
    expect(bad.error?.code).toBe('MIGRATION_FAILED');
    expect(bad.error?.message).toMatch(/posts/);
    expect(bad.applied).toEqual([]);
    expect(bad.pending).toHaveLength(1);
    for (const t of first.targets.filter((t) => t.name !== 'db2')) expect(t.applied).toHaveLength(2);
    for (const n of Object.values(first.peakConnections)) expect(n).toBeLessThanOrEqual(backend === 'postgres' ? 3 : 1);
    expect(events.filter((e) => e.type === 'target-finished')).toHaveLength(count);
    expect(events.some((e) => e.type === 'target-progress' && e.migration !== null)).toBe(true);

    await (await broken.client()).exec('DROP TABLE "public"."posts"');
    await broken.closeClient();
    const second = await runFleet({ action: 'migrate', targets, folder: p.folder(), config: p.config, concurrency: 3 });
    expect(second.ok).toBe(true);
    expect(second.counts).toMatchObject({ applied: 1, 'up-to-date': count - 1, failed: 0 });
    expect(second.targets.find((t) => t.outcome === 'applied')).toMatchObject({ name: 'db2', applied: [expect.stringMatching(/_posts$/)] });

    const status = await runFleet({ action: 'status', targets, folder: p.folder(), config: p.config });
    expect(status).toMatchObject({ ok: true, counts: { 'up-to-date': count } });

    // Drift on two databases, the same difference: check groups them.
    for (const d of [made[0]!, made[1]!]) {
      await (await d.client()).exec('ALTER TABLE "public"."posts" ADD COLUMN "extra" int');
      await d.closeClient();
    }
    const check = await runFleet({ action: 'check', targets, folder: p.folder(), config: p.config });
    expect(check.ok).toBe(false);
    expect(check.counts).toMatchObject({ drift: 2, 'up-to-date': count - 2 });
    expect(check.groups).toHaveLength(1);
    expect(check.groups[0]!.targets).toEqual(['db0', 'db1']);
    expect(check.groups[0]!.problems.join('\n')).toMatch(/extra/);
  }, 240_000);

  it('canary: the first n run first, and a failure among them stops the rest; fail-fast stops starting new ones', async () => {
    const p = await makeProject(APP('public'), 'public');
    const dbs: TestDatabase[] = [];
    for (let i = 0; i < 4; i++) dbs.push(await createTestDatabase(backend));
    made.push(...dbs);
    await (await dbs[0]!.client()).exec('CREATE TABLE "public"."users" ("x" int)');
    for (const d of dbs) await d.closeClient();
    const targets = await listTargets(dbs.map((d) => d.url));
    const canary = await runFleet({ action: 'migrate', targets, folder: p.folder(), config: p.config, canary: 2 });
    expect(canary.canary).toEqual({ size: 2, passed: false });
    expect(canary.targets.map((t) => t.outcome)).toEqual(['failed', 'applied', 'skipped', 'skipped']);
    expect(canary.targets.map((t) => t.canary)).toEqual([true, true, false, false]);
    expect(canary.ok).toBe(false);

    // One server (PostgreSQL) at one at a time, or separate PGlite directories: fail-fast stops what has not started.
    const failFast = await runFleet({ action: 'migrate', targets: [targets[0]!, ...targets.slice(2)], folder: p.folder(), config: p.config, failFast: true, concurrency: 1 });
    expect(failFast.targets[0]!.outcome).toBe('failed');
    if (backend === 'postgres') expect(failFast.counts).toMatchObject({ failed: 1, skipped: 2 });
  });

  it('resolves ${ENV} references when the run starts and never reports them resolved; a missing one fails that target only', async () => {
    const p = await makeProject(APP('public'), 'public');
    const d = await createTestDatabase(backend);
    made.push(d);
    const secretUrl = d.url;
    const targets = await listTargets([
      { url: '${FLEET_TEST_URL}', name: 'from-env' },
      { url: '${FLEET_TEST_UNSET}', name: 'unset' },
      { url: 'postgres://app:se#cret@db/x', name: 'bad-url' },
    ]);
    const r = await runFleet({ action: 'migrate', targets, folder: p.folder(), config: p.config, env: { FLEET_TEST_URL: secretUrl } });
    expect(r.targets[0]).toMatchObject({ outcome: 'applied', url: '${FLEET_TEST_URL}', server: '${FLEET_TEST_URL}' });
    expect(r.targets[1]).toMatchObject({ outcome: 'failed', error: { code: 'CONFIG_INVALID', message: expect.stringContaining('${FLEET_TEST_UNSET}') } });
    expect(r.targets[2]).toMatchObject({ outcome: 'failed', error: { code: 'URL_INVALID' } });
    const text = JSON.stringify(r);
    expect(text).not.toContain(secretUrl);
    expect(text).not.toContain('se#cret');
  });
});

describeBackends('fleet: a schema per tenant', (backend) => {
  let tdb: TestDatabase;
  afterAll(async () => tdb?.dispose());
  const tenants = Array.from({ length: backend === 'postgres' ? 30 : 6 }, (_, i) => `tenant_${String(i).padStart(3, '0')}`);

  it('applies the folder to every tenant schema (names in literals too), each with its own history; check groups drifting tenants', async () => {
    const p = await makeProject(APP('tenant'), 'tenant');
    tdb = await createTestDatabase(backend);
    await tdb.closeClient();
    const targets = await listTargets(tenants.map((schema) => ({ url: tdb.url, schema })));
    const first = await runFleet({ action: 'migrate', targets, folder: p.folder(), config: p.config, concurrency: 4 });
    expect(first.counts).toMatchObject({ applied: tenants.length, failed: 0 });
    expect(first.ok).toBe(true);

    const db = await tdb.client();
    // The sequence named inside a literal is the tenant's own.
    await db.exec(`INSERT INTO "tenant_001"."users" ("name") VALUES ('a'), ('b'); INSERT INTO "tenant_002"."users" ("name") VALUES ('c')`);
    const ids = await db.query<{ n: string }>(`select (select max(id) from "tenant_001"."users")::text || ',' || (select max(id) from "tenant_002"."users")::text as n`);
    expect(ids.rows[0]!.n).toBe('2,1');
    const def = await db.query<{ d: string }>(`select pg_get_expr(adbin, adrelid) as d from pg_attrdef where adrelid = '"tenant_001"."users"'::regclass`);
    expect(def.rows[0]!.d).toContain('tenant_001.user_no');
    expect((await db.query(`select 1 from pg_namespace where nspname = 'tenant'`)).rows).toHaveLength(0);
    // Checksums are those of the files as written, in every tenant's own history table.
    const folder = p.folder();
    const h = tenantHistory({ schema: 'strata', table: 'migrations' }, 'tenant_005');
    const rows = await db.query<{ checksum: string }>(`select checksum from "${h.schema}"."${h.table}" order by id`);
    expect(rows.rows.map((r) => r.checksum)).toEqual(folder.migrations.map((m) => m.checksum));

    await db.exec('ALTER TABLE "tenant_003"."posts" ADD COLUMN "extra" int; ALTER TABLE "tenant_004"."posts" ADD COLUMN "extra" int; DROP TABLE "tenant_005"."posts"');
    await tdb.closeClient();
    const check = await runFleet({ action: 'check', targets, folder, config: p.config, concurrency: 4 });
    expect(check.counts).toMatchObject({ drift: 3, 'up-to-date': tenants.length - 3, failed: 0 });
    expect(check.groups.map((g) => g.targets)).toEqual([['tenant_003', 'tenant_004'], ['tenant_005']]);
    // Worded for the managed schema, so that tenants group.
    expect(check.groups[0]!.problems.join('\n')).toMatch(/"tenant"\."posts"/);

    const again = await runFleet({ action: 'migrate', targets, folder, config: p.config });
    expect(again.counts).toMatchObject({ 'up-to-date': tenants.length });
  }, 240_000);

  it('rollback --to on every tenant: each reverts to the same migration in its own schema and history', async () => {
    const p = await makeProject(APP('tenant'), 'tenant');
    const d = await createTestDatabase(backend);
    try {
      await d.closeClient();
      const targets = await listTargets(['r1', 'r2', 'r3'].map((schema) => ({ url: d.url, schema })));
      const folder = p.folder();
      expect((await runFleet({ action: 'migrate', targets, folder, config: p.config })).counts.applied).toBe(3);
      const back = await runFleet({ action: 'rollback', targets, folder, config: p.config, rollbackTo: folder.migrations[0]!.name });
      expect(back).toMatchObject({ ok: true, counts: { reverted: 3 } });
      expect(back.targets.map((t) => t.applied)).toEqual([[folder.migrations[1]!.name], [folder.migrations[1]!.name], [folder.migrations[1]!.name]]);
      const db = await d.client();
      const left = await db.query<{ n: number }>(`select count(*)::int as n from pg_tables where tablename = 'posts'`);
      expect(left.rows[0]!.n).toBe(0);
      expect((await db.query(`select 1 from pg_tables where schemaname = 'r2' and tablename = 'users'`)).rows).toHaveLength(1);
      await d.closeClient();
      expect((await runFleet({ action: 'status', targets, folder, config: p.config })).counts.pending).toBe(3);
    } finally {
      await d.dispose();
    }
  }, 120_000);

  if (backend === 'postgres') {
    it('a tenant whose lock another process holds is reported locked, not waited for; the others run', async () => {
      const p = await makeProject(APP('tenant'), 'tenant');
      const d = await createTestDatabase(backend);
      try {
        const holder: DatabaseClient = await createPgClient(d.url, { max: 1 });
        const key = migrationLockKey(tenantHistory(p.config.history, 'busy'));
        await holder.session(async (s) => {
          await s.query('select pg_advisory_lock($1::bigint)', [key.toString()]);
          const targets = await listTargets(['busy', 'free'].map((schema) => ({ url: d.url, schema })));
          const r = await runFleet({ action: 'migrate', targets, folder: p.folder(), config: p.config, lockWaitMs: 300 });
          expect(r.targets.map((t) => t.outcome)).toEqual(['locked', 'applied']);
          expect(r.targets[0]!.error?.code).toBe('LOCK_TIMEOUT');
          expect(r.ok).toBe(false);
          await s.query('select pg_advisory_unlock($1::bigint)', [key.toString()]);
        });
        await holder.close();
      } finally {
        await d.dispose();
      }
    });
  }
});

describe('fleet: targets from a control query', () => {
  it('lists the targets a query on a control database returns', async () => {
    const control = await createTestDatabase('postgres');
    try {
      const db = await control.client();
      await db.exec(`CREATE TABLE tenants (url text, schema text, name text); INSERT INTO tenants VALUES ('postgres://db/a', 'acme', NULL), ('postgres://db/b', NULL, 'bee')`);
      await control.closeClient();
      const targets = await listTargets({ control: control.url, query: 'select url, schema, name from tenants order by url' });
      expect(targets).toEqual([
        { name: 'acme', url: 'postgres://db/a', display: 'postgres://db/a', schema: 'acme' },
        { name: 'bee', url: 'postgres://db/b', display: 'postgres://db/b', schema: null },
      ]);
    } finally {
      await control.dispose();
    }
  });
});
