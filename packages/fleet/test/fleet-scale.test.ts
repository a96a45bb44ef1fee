import { afterAll, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPgClient } from '@strata/db';
import { createTestDatabase, describeBackends, runCli, startPgServer, type PgServer, type TestDatabase } from '@strata/testing';
import { listTargets, runFleet } from '../src/index.js';
import { APP, makeProject } from './fixtures.js';

// The slow lane's fleet suite (scripts/test-lanes.mjs): the proof at full size.

describeBackends('fleet at scale', (backend) => {
  const made: TestDatabase[] = [];
  let second: PgServer | null = null;
  afterAll(async () => {
    for (const d of made) await d.dispose();
    second?.stop();
  });

  it('50 databases on two servers (PostgreSQL; 8 PGlite directories), one broken: the rest migrated, it reported, exit 1; fixed, the rerun migrates only it', async () => {
    const p = await makeProject(APP('public'), 'public');
    const urls: string[] = [];
    if (backend === 'postgres') {
      for (let i = 0; i < 25; i++) made.push(await createTestDatabase('postgres'));
      second = await startPgServer();
      const admin = await createPgClient(second.url, { max: 1 });
      for (let i = 0; i < 25; i++) {
        await admin.exec(`CREATE DATABASE "fleet_${i}"`);
        const u = new URL(second.url);
        u.pathname = `/fleet_${i}`;
        urls.push(u.toString());
      }
      await admin.close();
    } else {
      for (let i = 0; i < 8; i++) made.push(await createTestDatabase('pglite'));
    }
    urls.unshift(...made.map((d) => d.url));
    const broken = made[7]!;
    await (await broken.client()).exec('CREATE TABLE "public"."posts" ("other" text)');
    await broken.closeClient();
    writeFileSync(join(p.dir, 'targets.json'), JSON.stringify(urls));

    const first = await runCli(['migrate', '--targets', 'targets.json', '--concurrency', '4', '--json'], { cwd: p.dir, timeoutMs: 600_000 });
    expect(first.code).toBe(1);
    const r1 = JSON.parse(first.stdout);
    expect(r1.counts).toMatchObject({ applied: urls.length - 1, failed: 1, skipped: 0 });
    expect(r1.targets[7]).toMatchObject({ outcome: 'failed', error: { code: 'MIGRATION_FAILED', message: expect.stringContaining('posts') } });
    const servers = Object.keys(r1.peakConnections);
    expect(servers).toHaveLength(backend === 'postgres' ? 2 : 8);
    for (const n of Object.values(r1.peakConnections) as number[]) expect(n).toBeLessThanOrEqual(backend === 'postgres' ? 4 : 1);

    await (await broken.client()).exec('DROP TABLE "public"."posts"');
    await broken.closeClient();
    const again = await runCli(['migrate', '--targets', 'targets.json', '--concurrency', '4', '--json'], { cwd: p.dir, timeoutMs: 600_000 });
    expect(again.code).toBe(0);
    const r2 = JSON.parse(again.stdout);
    expect(r2.counts).toMatchObject({ applied: 1, 'up-to-date': urls.length - 1 });
    expect(r2.targets[7].outcome).toBe('applied');
  }, 900_000);

  it('500 tenant schemas in one database, migrated side by side (a lock per tenant) and checked', async () => {
    const p = await makeProject(APP('tenant'), 'tenant');
    const d = await createTestDatabase(backend);
    made.push(d);
    await d.closeClient();
    const targets = await listTargets(Array.from({ length: 500 }, (_, i) => ({ url: d.url, schema: `t${String(i).padStart(3, '0')}` })));
    const migrated = await runFleet({ action: 'migrate', targets, folder: p.folder(), config: p.config, concurrency: 8 });
    expect(migrated.counts).toMatchObject({ applied: 500, failed: 0, locked: 0 });

    const db = await d.client();
    await db.exec('ALTER TABLE "t123"."users" ADD COLUMN "nickname" text');
    await d.closeClient();
    const checked = await runFleet({ action: 'check', targets, folder: p.folder(), config: p.config, concurrency: 8 });
    expect(checked.counts).toMatchObject({ 'up-to-date': 499, drift: 1, failed: 0 });
    expect(checked.groups).toEqual([{ targets: ['t123'], problems: [expect.stringMatching(/nickname/)] }]);
  }, 900_000);
});
