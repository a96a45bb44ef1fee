/**
 * The example as a team's repository: its migration history (the initial migration,
 * add_phone_number, the multi-step rename of users.name to full_name) and a data migration are
 * committed. A fresh checkout applies them and checks the result without generating anything.
 */
import { afterAll, expect, it } from 'vitest';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

const example = fileURLToPath(new URL('..', import.meta.url));

/** A copy of what git holds (no .strata/, no backups), under the example so drizzle-orm resolves. */
function checkout(tag: string): string {
  const dir = join(example, '.demo', `clone-${tag}-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  for (const part of ['src', 'database', 'scripts', 'strata.config.ts']) cpSync(join(example, part), join(dir, part), { recursive: true });
  return dir;
}

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

it('db:migrate, db:data and db:check on the embedded database the config names (no terminal, no DATABASE_URL) [pglite]', async () => {
  const dir = checkout('pglite');
  made.push(dir);
  // The config's dbUrl is `process.env.DATABASE_URL ?? 'pglite:.strata/pglite'`: an explicit opt-in.
  const env = { DATABASE_URL: undefined };
  const migrate = await runCli(['migrate'], { cwd: dir, env, timeoutMs: 120_000 });
  expect(migrate.code, migrate.stderr).toBe(0);
  expect(migrate.stdout).toContain('3 migrations applied');
  expect(`${migrate.stdout}${migrate.stderr}`).toContain('held 20261205082501_rename_name_to_full_name_contract');
  const data = await runCli(['data', 'run'], { cwd: dir, env, timeoutMs: 120_000 });
  expect(data.code, data.stderr).toBe(0);
  const check = await runCli(['check'], { cwd: dir, env, timeoutMs: 120_000 });
  expect(check.code, `${check.stdout}\n${check.stderr}`).toBe(0);
  expect(check.stdout).toContain('in sync');
});

describeBackends('the committed history on an empty database', (backend) => {
  let tdb: TestDatabase | null = null;
  afterAll(async () => tdb?.dispose());

  it('migrate holds the contract; the old and new code both write; --contract ends the rename; check agrees throughout', async () => {
    tdb = await createTestDatabase(backend);
    const dir = checkout(backend);
    made.push(dir);
    const strata = async (...args: string[]) => {
      await tdb!.closeClient(); // an embedded directory is used by one process at a time
      const r = await runCli([...args, '--url', tdb!.url], { cwd: dir, timeoutMs: 120_000 });
      expect(r.code, `strata ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
      return r;
    };
    await strata('migrate');
    await strata('data', 'run');
    await strata('check');
    // A fresh client each time: strata() closed the previous one (PGlite's directory has one user).
    const sql = async <R extends Record<string, unknown>>(text: string) => (await tdb!.client()).query<R>(text);
    // The window: code still writing `name` and code already writing `full_name` both work.
    await sql(`insert into users (username, email, name) values ('old', 'OLD@example.com', 'Old Code')`);
    await sql(`insert into users (username, email, full_name) values ('new', 'new@example.com', 'New Code')`);
    const both = await sql<{ username: string; name: string; full_name: string }>('select username, name, full_name from users order by username');
    expect(both.rows).toEqual([
      { username: 'new', name: 'New Code', full_name: 'New Code' },
      { username: 'old', name: 'Old Code', full_name: 'Old Code' },
    ]);
    await strata('migrate', '--contract');
    const cols = await sql<{ c: string }>(`select column_name as c from information_schema.columns where table_schema = 'public' and table_name = 'users' order by ordinal_position`);
    expect(cols.rows.map((r) => r.c)).toContain('full_name');
    expect(cols.rows.map((r) => r.c)).not.toContain('name');
    expect((await sql<{ n: string }>(`select full_name as n from users where username = 'old'`)).rows[0]!.n).toBe('Old Code');
    await strata('check');
  });
});
