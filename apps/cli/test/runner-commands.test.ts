import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptySnapshot } from '@strata/schema';
import { writeMigration } from '@strata/runner';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

let seq = 0;

/** A project directory with a config and a migration folder; objects live in a schema of the test's own. */
function project() {
  const dir = mkdtempSync(join(tmpdir(), 'strata-cli-runner-'));
  const schema = `app_${++seq}`;
  writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './db/migrations', history: { schema: 'hist_${schema}' }, lockTimeoutMs: 3000 };`);
  let clock = Date.parse('2026-03-01T00:00:00Z');
  const out = join(dir, 'db/migrations');
  return {
    dir,
    schema,
    out,
    add(name: string, up: string, down: string | null = null): string {
      clock += 60_000;
      const s = (x: string) => x.replaceAll('${s}', schema);
      return writeMigration(out, { name, up: s(up), down: down === null ? null : s(down), snapshot: emptySnapshot(), now: new Date(clock) }).name;
    },
  };
}

describeBackends('strata migrate, status, rollback, baseline, hash', (backend) => {
  let tdb: TestDatabase;
  beforeAll(async () => { tdb = await createTestDatabase(backend); });
  afterAll(async () => tdb?.dispose());
  const strata = (p: { dir: string }, ...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: p.dir });

  it('migrate applies pending migrations with one line each and their durations; status shows the table', async () => {
    const p = project();
    const a = p.add('init', 'create schema ${s};\n--> statement-breakpoint\ncreate table ${s}.users (id int primary key);', 'drop schema ${s} cascade;');
    const b = p.add('posts', 'create table ${s}.posts (id int primary key, user_id int references ${s}.users);', 'drop table ${s}.posts;');
    const before = await strata(p, 'status');
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(new RegExp(`^migration\\s+state\\s+applied at\\s+duration\\n${a}\\s+pending\\n${b}\\s+pending\\n0 applied, 2 pending\\n$`));

    const r = await strata(p, 'migrate');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^applied ${a} \\(\\d+ ms\\)\\napplied ${b} \\(\\d+ ms\\)\\n2 migrations applied \\(\\d+ ms\\)\\n$`));
    expect(r.stderr).toContain('created the history table "hist_app');

    const s = await strata(p, 'status', '--json');
    expect(s.code).toBe(0);
    const report = JSON.parse(s.stdout);
    expect(report).toMatchObject({ ok: true, applied: [a, b], pending: [], history: { table: `"hist_${p.schema}"."migrations"`, exists: true } });
    expect(report.migrations[0]).toMatchObject({ name: a, state: 'applied', durationMs: expect.any(Number), appliedBy: expect.stringMatching(/@/) });
    const table = await strata(p, 'status');
    expect(table.stdout).toMatch(new RegExp(`${a}\\s+applied\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\s+\\d+ ms`));

    const again = await strata(p, 'migrate', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, applied: [], alreadyApplied: 2 });
  });

  it('migrate --dry-run prints the SQL that would run and changes nothing; --to stops at a migration', async () => {
    const p = project();
    const a = p.add('a', 'create schema ${s};');
    const b = p.add('b', '-- strata:no-transaction\ncreate table ${s}.b (id int);\ncreate index concurrently b_i on ${s}.b (id);');
    const dry = await strata(p, 'migrate', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(`-- ${a}.sql\ncreate schema ${p.schema};\n\n-- ${b}.sql (runs outside a transaction)\ncreate table ${p.schema}.b (id int);\ncreate index concurrently b_i on ${p.schema}.b (id);\n\n`);
    expect(dry.stderr).toContain('dry run: 2 migrations would be applied; nothing was changed');
    expect(JSON.parse((await strata(p, 'status', '--json')).stdout)).toMatchObject({ pending: [a, b], history: { exists: false } });
    const to = await strata(p, 'migrate', '--to', a, '--json');
    expect(JSON.parse(to.stdout).applied.map((m: { name: string }) => m.name)).toEqual([a]);
    expect((await strata(p, 'migrate')).stdout).toContain(`applied ${b}`);
  });

  it('rollback reverts newest first (one step by default, --steps, --to, --dry-run) and stops without a down file', async () => {
    const p = project();
    const a = p.add('a', 'create schema ${s};', 'drop schema ${s};');
    const b = p.add('b', 'create table ${s}.b (id int);');
    const c = p.add('c', 'create table ${s}.c (id int);', 'drop table ${s}.c;');
    const d = p.add('d', 'create table ${s}.d (id int);', 'drop table ${s}.d;');
    expect((await strata(p, 'migrate')).code).toBe(0);
    const dry = await strata(p, 'rollback', '--steps', '2', '--dry-run');
    expect(dry.stdout).toBe(`-- ${d}.down.sql\ndrop table ${p.schema}.d;\n\n-- ${c}.down.sql\ndrop table ${p.schema}.c;\n\n`);
    const one = await strata(p, 'rollback');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(new RegExp(`^reverted ${d} \\(\\d+ ms\\)\\n$`));
    const noDown = await strata(p, 'rollback', '--to', a);
    expect(noDown.code).toBe(1);
    expect(noDown.stderr).toContain(`error cannot roll back ${b}: it has no down file ${b}.down.sql; nothing was rolled back`);
    expect(noDown.stderr).toContain(`the newer migrations ${c} were not rolled back either`);
    const json = await strata(p, 'rollback', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, reverted: [{ name: c }] });
    expect(JSON.parse((await strata(p, 'status', '--json')).stdout).pending).toEqual([c, d]);
    const bad = await strata(p, 'rollback', '--steps', 'two');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--steps must be a whole number of at least 1, got "two"');
  });

  it('baseline records migrations without running them; hash accepts an intended edit of an unapplied migration', async () => {
    const p = project();
    const a = p.add('a', 'create schema ${s};');
    const b = p.add('b', 'create table ${s}.b (id int);');
    const base = await strata(p, 'baseline', '--to', a);
    expect(base.code).toBe(0);
    expect(base.stdout).toContain('1 migration recorded as applied (not run)');
    // a was not run: the schema does not exist, so b fails — proving baseline only recorded it.
    const fail = await strata(p, 'migrate');
    expect(fail.code).toBe(1);
    expect(fail.stderr).toContain(`error migration ${b} failed at ${b}.sql:1 (statement 1): schema "${p.schema}" does not exist`);

    // Fix the file that failed (applied nowhere): the integrity file catches the edit until `strata hash`.
    writeFileSync(join(p.out, `${b}.sql`), `create schema if not exists ${p.schema};\n--> statement-breakpoint\ncreate table ${p.schema}.b (id int);\n`);
    const refused = await strata(p, 'migrate');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('migration files do not match meta/strata.sum');
    expect(refused.stderr).toContain(`${b}.sql: changed since meta/strata.sum was written`);
    expect(refused.stderr).toContain('strata hash');
    const h = await runCli(['hash'], { cwd: p.dir });
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^wrote .*meta\/strata\.sum \(4 files\)\n$/);
    expect(h.stderr).toContain(`accepted ${b}.sql (changed)`);
    const ok = await strata(p, 'migrate');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`applied ${b}`);
  });

  it('status exits 1 and names changed and missing migrations', async () => {
    const p = project();
    const a = p.add('a', 'create schema ${s};');
    const b = p.add('b', 'create table ${s}.b (id int);');
    expect((await strata(p, 'migrate')).code).toBe(0);
    appendFileSync(join(p.out, `${a}.sql`), '\n-- edited\n');
    for (const f of [`${b}.sql`, `meta/${b}.json`]) rmSync(join(p.out, f));
    expect((await runCli(['hash'], { cwd: p.dir })).code).toBe(0);
    const s = await strata(p, 'status');
    expect(s.code).toBe(1);
    expect(s.stdout).toMatch(new RegExp(`${a}\\s+changed`));
    expect(s.stdout).toMatch(new RegExp(`${b}\\s+missing`));
    expect(s.stdout).toContain('1 applied, 0 pending, 1 changed after being applied, 1 missing from the folder');
    const m = await strata(p, 'migrate');
    expect(m.code).toBe(1);
    expect(m.stderr).toContain('1 applied migration was edited and 1 applied migration is missing from the folder; nothing was run');
    expect(m.stderr).toContain(`${a}.sql: edited after it was applied`);
    expect(m.stderr).toContain(`${b}: applied on`);
  });
});
