import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptySnapshot } from '@strata/schema';
import { writeMigration } from '@strata/runner';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

/** A git repository holding a Strata project; `tracked()` is what `git add .` would commit. */
function repo(): { dir: string; tracked(): string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'strata-cli-git-'));
  execFileSync('git', ['init', '-q', dir]);
  writeFileSync(join(dir, 'strata.config.ts'), `export default { out: './migrations' };\n`);
  writeMigration(join(dir, 'migrations'), {
    name: 'init', up: 'create table public.secrets (id int primary key, card text);\n--> statement-breakpoint\ninsert into public.secrets values (1, \'4111 1111 1111 1111\');',
    down: null, snapshot: emptySnapshot(), now: new Date('2026-03-01T00:00:00Z'),
  });
  return {
    dir,
    tracked() {
      execFileSync('git', ['add', '.'], { cwd: dir });
      return execFileSync('git', ['diff', '--cached', '--name-only'], { cwd: dir, encoding: 'utf8' }).split('\n').filter(Boolean);
    },
  };
}

// The child processes inherit this process's umask: with 000, any mode that is not set on
// purpose would come out world-readable.
let umask: number;
beforeEach(() => { umask = process.umask(0o000); });
afterEach(() => { process.umask(umask); });

describeBackends('backups stay private and out of git', (backend) => {
  let tdb: TestDatabase;
  beforeAll(async () => { tdb = await createTestDatabase(backend); });
  afterAll(async () => tdb?.dispose());

  it('backup and migrate --backup write 0600 files into a backup directory git ignores', { timeout: 400_000 }, async () => {
    const p = repo();
    const migrated = await runCli(['migrate', '--backup', '--url', tdb.url], { cwd: p.dir, timeoutMs: 120_000 });
    expect(migrated.code, migrated.stderr).toBe(0);
    const backup = await runCli(['backup', '--url', tdb.url], { cwd: p.dir, timeoutMs: 120_000 });
    expect(backup.code, backup.stderr).toBe(0);
    const out = await runCli(['backup', '--out', 'elsewhere.strata.gz', '--url', tdb.url], { cwd: p.dir, timeoutMs: 120_000 });
    expect(out.code, out.stderr).toBe(0);
    const files = readdirSync(join(p.dir, 'backups')).filter((f) => f.endsWith('.strata.gz'));
    expect(files).toHaveLength(2);
    for (const f of [...files.map((x) => join(p.dir, 'backups', x)), join(p.dir, 'elsewhere.strata.gz')]) {
      expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
    }
    expect(readFileSync(join(p.dir, 'backups/.gitignore'), 'utf8')).toMatch(/^\*$/m);
    const tracked = p.tracked();
    expect(tracked.filter((f) => f.startsWith('backups/'))).toEqual([]);
    expect(tracked).toContain('strata.config.ts');
    expect(tracked).toContain('elsewhere.strata.gz'); // a file put elsewhere with --out is the user's call
  });

  it('keeps a .gitignore the user wrote in the backup directory', { timeout: 300_000 }, async () => {
    const p = repo();
    execFileSync('mkdir', [join(p.dir, 'backups')]);
    writeFileSync(join(p.dir, 'backups/.gitignore'), '# mine\n*.gz\n');
    const r = await runCli(['backup', '--url', tdb.url], { cwd: p.dir, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(p.dir, 'backups/.gitignore'), 'utf8')).toBe('# mine\n*.gz\n');
  });
});

describe('embedded data stays private and out of git [pglite]', () => {
  it('.strata/ gets a .gitignore on first use and the data directory is its owner\'s only', { timeout: 300_000 }, async () => {
    const p = repo();
    const r = await runCli(['migrate', '--url', 'pglite:.strata/pglite'], { cwd: p.dir, timeoutMs: 280_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(p.dir, '.strata/pglite'))).toBe(true);
    expect(readFileSync(join(p.dir, '.strata/.gitignore'), 'utf8')).toMatch(/^\*$/m);
    expect((statSync(join(p.dir, '.strata')).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(join(p.dir, '.strata/pglite')).mode & 0o777).toString(8)).toBe('700');
    const tracked = p.tracked();
    expect(tracked.filter((f) => f.startsWith('.strata/'))).toEqual([]);
    expect(tracked.some((f) => f.startsWith('migrations/'))).toBe(true);
  });
});
