import { afterAll, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeBackends, runCli, runCliOnTerminal, type TestDatabase } from '@strata/testing';
import { APP, makeProject } from '../../../packages/fleet/test/fixtures.js';

describeBackends('strata migrate/status/check --all and --targets', (backend) => {
  const made: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of made) await d.dispose();
  });

  it('a database per target: a broken one fails with its error and exit 1, the rest are migrated; fixed, the rerun migrates only it', async () => {
    const p = await makeProject(APP('public'), 'public');
    const dbs: TestDatabase[] = [];
    for (let i = 0; i < (backend === 'postgres' ? 5 : 2); i++) dbs.push(await createTestDatabase(backend));
    made.push(...dbs);
    const broken = dbs[1]!;
    await (await broken.client()).exec('CREATE TABLE "public"."posts" ("other" text)');
    for (const d of dbs) await d.closeClient();
    // The simplest target list: a JSON array of URL strings.
    writeFileSync(join(p.dir, 'targets.json'), JSON.stringify(dbs.map((d) => d.url)));
    // The config names the same targets through an environment variable each.
    writeFileSync(join(p.dir, 'strata.config.ts'), `export default { out: './migrations', targets: ${JSON.stringify(dbs.map((_, i) => ({ url: `\${FLEET_DB_${i}}`, name: `db${i}` })))} };`);
    const env = Object.fromEntries(dbs.map((d, i) => [`FLEET_DB_${i}`, d.url]));

    const first = await runCli(['migrate', '--targets', 'targets.json', '--concurrency', '2'], { cwd: p.dir });
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/1 target\(s\) failed or locked\n {2}\S+ {2}failed {2}MIGRATION_FAILED [^\n]*posts/);
    expect(first.stdout).toContain('still to apply: ');
    expect(first.stdout).toMatch(new RegExp(`${dbs.length} target\\(s\\): ${dbs.length - 1} applied, 1 failed`));
    // Not a terminal: one plain line per target on stderr, no redrawing.
    expect(first.stderr.split('\n').filter((l) => / {2}(applied|failed) {2}/.test(l))).toHaveLength(dbs.length);
    expect(first.stderr).not.toContain('\x1b[');

    await (await broken.client()).exec('DROP TABLE "public"."posts"');
    await broken.closeClient();
    const second = await runCli(['migrate', '--all', '--json'], { cwd: p.dir, env });
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report).toMatchObject({ action: 'migrate', ok: true, counts: { applied: 1, 'up-to-date': dbs.length - 1 } });
    expect(report.targets.find((t: { outcome: string }) => t.outcome === 'applied')).toMatchObject({ name: 'db1', url: '${FLEET_DB_1}' });
    // Servers are named as written too (`${FLEET_DB_1}`), so nothing only the environment holds is shown.
    for (const d of dbs) expect(second.stdout + second.stderr).not.toContain(d.url);

    const status = await runCli(['status', '--all'], { cwd: p.dir, env });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`${dbs.length} target\\(s\\): ${dbs.length} up-to-date`));

    const missing = await runCli(['migrate', '--all'], { cwd: p.dir });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('CONFIG_INVALID the target URL refers to ${FLEET_DB_0}');
    const usage = await runCli(['migrate', '--all', '--dry-run'], { cwd: p.dir, env });
    expect(usage.code).toBe(2);
  }, 180_000);

  it('a schema per tenant: check --all groups the drifting tenants by their difference; a live table on a terminal', async () => {
    const p = await makeProject(APP('tenant'), 'tenant');
    const d = await createTestDatabase(backend);
    made.push(d);
    await d.closeClient();
    const tenants = ['acme', 'bolt', 'cora', 'dune'];
    writeFileSync(join(p.dir, 'strata.config.ts'), `export default { out: './migrations', schemas: ['tenant'], targets: ${JSON.stringify(tenants.map((schema) => ({ url: d.url, schema })))} };`);
    const tty = await runCliOnTerminal(['migrate', '--all'], { cwd: p.dir });
    expect(tty.code).toBe(0);
    expect(tty.screen).toMatch(/target\s+phase\s+migration\s+time/);
    expect(tty.screen).toContain('4 target(s): 4 applied');

    const db = await d.client();
    await db.exec('ALTER TABLE "bolt"."posts" ADD COLUMN "extra" int; ALTER TABLE "dune"."posts" ADD COLUMN "extra" int');
    await d.closeClient();
    const check = await runCli(['check', '--all'], { cwd: p.dir });
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/2 target\(s\) differ: bolt, dune\n {2}• [^\n]*"tenant"\."posts"[^\n]*\n/);
    expect(check.stdout).toContain('4 target(s): 2 up-to-date, 2 drift');
    const json = JSON.parse((await runCli(['check', '--all', '--json'], { cwd: p.dir })).stdout);
    expect(json.groups).toEqual([{ targets: ['bolt', 'dune'], problems: [expect.stringMatching(/extra/)] }]);

    const init = p.folder().migrations[0]!.name;
    const back = await runCli(['rollback', '--all', '--to', init, '--concurrency', '2'], { cwd: p.dir });
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('4 target(s): 4 reverted');
    expect((await runCli(['rollback', '--all'], { cwd: p.dir })).code).toBe(2);
  }, 180_000);

  it('data run --all: a broken database fails with its error and exit 1; fixed, the rerun does only what is left', async () => {
    const p = await makeProject(APP('public'), 'public');
    const dbs: TestDatabase[] = [];
    for (let i = 0; i < (backend === 'postgres' ? 4 : 2); i++) dbs.push(await createTestDatabase(backend));
    made.push(...dbs);
    for (const d of dbs) await d.closeClient();
    writeFileSync(join(p.dir, 'strata.config.ts'), `export default { out: './migrations', dataDir: './data', targets: ${JSON.stringify(dbs.map((d, i) => ({ url: d.url, name: `db${i}` })))} };`);
    expect((await runCli(['migrate', '--all'], { cwd: p.dir })).code).toBe(0);
    mkdirSync(join(p.dir, 'data'));
    const file = (name: string, body: string) =>
      writeFileSync(join(p.dir, 'data', `${name}.ts`), `import { defineDataMigration } from '@strata/data';\nexport default defineDataMigration({ async up(ctx) { ${body} } });\n`);
    file('20260701000000_seed', `await ctx.step('seed', (tx) => tx.query("insert into users (name) values ('seed')"));`);
    file('20260702000000_post', `await ctx.step('post', (tx) => tx.query("insert into posts (id, user_id, title) select 1, min(id), 'hello' from users"));`);
    const broken = dbs[1]!;
    await (await broken.client()).exec('ALTER TABLE "public"."posts" ADD CONSTRAINT "short" CHECK (length("title") < 3)');
    await broken.closeClient();

    const first = await runCli(['data', 'run', '--all', '--concurrency', '2'], { cwd: p.dir });
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/1 target\(s\) failed or locked\n {2}db1 {2}failed {2}DATA_MIGRATION_FAILED [^\n]*short/);
    expect(first.stdout).toContain('still to apply: 20260702000000_post');
    expect(first.stdout).toMatch(new RegExp(`${dbs.length} target\\(s\\): ${dbs.length - 1} done, 1 failed`));
    expect(first.stderr.split('\n').filter((l) => / {2}(done|failed) {2}/.test(l))).toHaveLength(dbs.length);

    // data status --all reads where each stands: the broken one's failure is a problem (exit 1).
    const status = await runCli(['data', 'status', '--all'], { cwd: p.dir });
    expect(status.code, status.stderr).toBe(1);
    expect(status.stdout).toMatch(/1 target\(s\) differ: db1\n {2}• data migration 20260702000000_post: failed: [^\n]*short/);
    expect(status.stdout).toMatch(new RegExp(`${dbs.length} target\\(s\\): ${dbs.length - 1} up-to-date, 1 drift`));

    await (await broken.client()).exec('ALTER TABLE "public"."posts" DROP CONSTRAINT "short"');
    await broken.closeClient();
    const second = await runCli(['data', 'run', '--all', '--json'], { cwd: p.dir });
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report).toMatchObject({ action: 'data', ok: true, counts: { done: 1, 'up-to-date': dbs.length - 1, failed: 0 } });
    expect(report.targets.find((t: { outcome: string }) => t.outcome === 'done')).toMatchObject({ name: 'db1', applied: ['20260702000000_post'] });
    for (const d of dbs) {
      expect((await (await d.client()).query(`select (select count(*)::int from users) as u, (select count(*)::int from posts) as p`)).rows).toEqual([{ u: 1, p: 1 }]);
      await d.closeClient();
    }
    const after = JSON.parse((await runCli(['data', 'status', '--all', '--json'], { cwd: p.dir })).stdout);
    expect(after).toMatchObject({ action: 'data-status', ok: true, counts: { 'up-to-date': dbs.length, drift: 0 } });
    expect((await runCli(['data', 'run', 'seed', '--all'], { cwd: p.dir })).code).toBe(2);
    expect((await runCli(['data', 'run', '--all', '--dry-run'], { cwd: p.dir })).code).toBe(2);
  }, 180_000);
});
