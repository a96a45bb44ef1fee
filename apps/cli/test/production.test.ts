import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

describeBackends('production: true guards restore --clean and snapshot restore', (backend) => {
  let tdb: TestDatabase;
  let dev: string;
  let prod: string;
  const rows = async () => {
    const db = await tdb.client();
    const r = await db.query<{ v: string }>(`select string_agg(id || ':' || note, ',' order by id) as v from public.notes`);
    await tdb.closeClient();
    return r.rows[0]!.v;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    const db = await tdb.client();
    await db.exec(`create table public.notes (id int primary key, note text not null); insert into public.notes values (1, 'kept'), (2, 'kept')`);
    await tdb.closeClient();
    dev = mkdtempSync(join(tmpdir(), 'strata-cli-dev-'));
    prod = mkdtempSync(join(tmpdir(), 'strata-cli-prod-'));
    writeFileSync(join(prod, 'strata.config.ts'), `export default { production: true };\n`);
    const snap = await runCli(['snapshot', 'create', 'before', '--url', tdb.url], { cwd: dev, timeoutMs: 120_000 });
    expect(snap.code, snap.stderr).toBe(0);
    const backup = await runCli(['backup', '--out', 'all.strata.gz', '--url', tdb.url], { cwd: dev, timeoutMs: 120_000 });
    expect(backup.code, backup.stderr).toBe(0);
    const db2 = await tdb.client();
    await db2.exec(`update public.notes set note = 'changed since'`);
    await tdb.closeClient();
  });
  afterAll(async () => tdb?.dispose());

  it('snapshot restore refuses, even with --yes, and changes nothing', async () => {
    const r = await runCli(['snapshot', 'restore', 'before', '--yes', '--url', tdb.url], { cwd: prod, timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`snapshot restore refuses to run: ${join(prod, 'strata.config.ts')} says production: true`);
    expect(await rows()).toBe('1:changed since,2:changed since');
  });

  it('restore --clean refuses, even with --yes, and changes nothing', async () => {
    const r = await runCli(['restore', join(dev, 'all.strata.gz'), '--clean', '--yes', '--url', tdb.url], { cwd: prod, timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`restore --clean refuses to run: ${join(prod, 'strata.config.ts')} says production: true`);
    expect(await rows()).toBe('1:changed since,2:changed since');
  });

  it('without production: true both still run (the guard is the config, not the commands)', async () => {
    const snap = await runCli(['snapshot', 'restore', 'before', '--yes', '--url', tdb.url], { cwd: dev, timeoutMs: 120_000 });
    expect(snap.code, snap.stderr).toBe(0);
    expect(await rows()).toBe('1:kept,2:kept');
    await (await tdb.client()).exec(`update public.notes set note = 'changed again'`);
    await tdb.closeClient();
    const restore = await runCli(['restore', join(dev, 'all.strata.gz'), '--clean', '--yes', '--url', tdb.url], { cwd: dev, timeoutMs: 120_000 });
    expect(restore.code, restore.stderr).toBe(0);
    expect(await rows()).toBe('1:kept,2:kept');
  });
});
