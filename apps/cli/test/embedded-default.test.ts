import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptySnapshot } from '@strata/schema';
import { writeMigration } from '@strata/runner';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

const SCHEMA = `import { integer, pgTable } from 'drizzle-orm/pg-core';\nexport const items = pgTable('items', { id: integer('id').primaryKey() });\n`;

/** A project whose config reads `dbUrl` from an environment variable, with one migration. */
function project(dbUrl = 'process.env.DATABASE_URL'): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-cli-embedded-'));
  symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'schema.ts'), SCHEMA);
  writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations', dbUrl: ${dbUrl} };\n`);
  writeMigration(join(dir, 'migrations'), {
    name: 'init', up: 'create table items (id int primary key);', down: 'drop table items;', snapshot: emptySnapshot(), now: new Date('2026-03-01T00:00:00Z'),
  });
  return dir;
}

/** Every command that changes a database, as a CI job would run it. */
const WRITERS: string[][] = [
  ['migrate'], ['rollback'], ['baseline'], ['restore', 'backup.strata.gz', '--clean'], ['data', 'run'], ['push', '--force'], ['drop', '--force'],
  ['snapshot', 'restore', 'before'], ['snapshot', 'create', 'before'], ['snapshot', 'drop', 'before'],
];

describe('no silent embedded database where a real one was meant', () => {
  let dir: string;
  beforeAll(() => { dir = project(); });

  for (const args of WRITERS) {
    it(`CI=true strata ${args.join(' ')} with no URL exits 2, creates nothing and says how to choose`, async () => {
      const r = await runCli(args, { cwd: dir, env: { DATABASE_URL: undefined, CI: 'true' } });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`no database named for \`strata ${args[0] === 'snapshot' || args[0] === 'data' ? `${args[0]} ${args[1]}` : args[0]}\``);
      expect(r.stderr).toContain('CI is set');
      expect(r.stderr).toMatch(/--url postgres:\/\/.*DATABASE_URL.*pglite:/s);
      expect(r.stdout).toBe('');
      expect(existsSync(join(dir, '.strata'))).toBe(false);
    });
  }

  it('without a terminal (CI unset) a command that changes the database refuses too, also with --json and --yes', async () => {
    const r = await runCli(['migrate', '--yes', '--json'], { cwd: dir, env: { DATABASE_URL: '', CI: undefined } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('with no terminal, Strata does not fall back to the embedded database');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'INPUT_REQUIRED' } });
    expect(existsSync(join(dir, '.strata'))).toBe(false);
  });

  it('a read-only command still falls back, with the notice, and creates nothing', { timeout: 300_000 }, async () => {
    const status = await runCli(['status', '--json'], { cwd: dir, env: { DATABASE_URL: undefined, CI: 'true' }, timeoutMs: 280_000 });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ ok: true, pending: [expect.stringMatching(/_init$/)] });
    const doctor = await runCli(['doctor'], { cwd: dir, env: { DATABASE_URL: undefined }, timeoutMs: 280_000 });
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(doctor.stderr).toContain('Using the embedded database');
    expect(doctor.stderr).toContain('does not exist yet');
    expect(existsSync(join(dir, '.strata'))).toBe(false);
  });

  it('strata status in a folder with no config creates no database', { timeout: 300_000 }, async () => {
    const empty = mkdtempSync(join(tmpdir(), 'strata-cli-noconfig-'));
    const r = await runCli(['status'], { cwd: empty, env: { DATABASE_URL: undefined }, timeoutMs: 280_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('0 applied, 0 pending');
    expect(existsSync(join(empty, '.strata'))).toBe(false);
  });

  it("an explicit pglite: URL in the config (DATABASE_URL ?? 'pglite:.strata/pglite') is the opt-in, also in CI", { timeout: 300_000 }, async () => {
    const optIn = project(`process.env.DATABASE_URL ?? 'pglite:.strata/pglite'`);
    const r = await runCli(['migrate'], { cwd: optIn, env: { DATABASE_URL: undefined, CI: 'true' }, timeoutMs: 280_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/_init/);
    expect(existsSync(join(optIn, '.strata/pglite'))).toBe(true);
    const flag = await runCli(['migrate', '--url', 'pglite:.strata/other'], { cwd: dir, env: { DATABASE_URL: undefined, CI: 'true' }, timeoutMs: 280_000 });
    expect(flag.code, flag.stderr).toBe(0);
    expect(existsSync(join(dir, '.strata/other'))).toBe(true);
  });
});

describeBackends('a database named through DATABASE_URL is used in CI', (backend) => {
  let tdb: TestDatabase;
  beforeAll(async () => { tdb = await createTestDatabase(backend); });
  afterAll(async () => tdb?.dispose());

  it('CI=true strata migrate applies to the named database, and creates no embedded one', { timeout: 300_000 }, async () => {
    const dir = project();
    const r = await runCli(['migrate'], { cwd: dir, env: { DATABASE_URL: tdb.url, CI: 'true' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('embedded');
    const db = await tdb.client();
    expect((await db.query(`select to_regclass('public.items')::text as t`)).rows).toEqual([{ t: 'items' }]);
    await tdb.closeClient();
    expect(existsSync(join(dir, '.strata'))).toBe(false);
  });
});
