import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptySnapshot } from '@strata/schema';
import { writeMigration } from '@strata/runner';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

/** A project with a config and a migration folder; `add` writes a migration as `strata generate --custom` would. */
function project() {
  const dir = mkdtempSync(join(tmpdir(), 'strata-cli-lint-'));
  writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './db/migrations' };`);
  let clock = Date.parse('2026-03-01T00:00:00Z');
  const out = join(dir, 'db/migrations');
  return {
    dir,
    out,
    add(name: string, up: string): string {
      clock += 60_000;
      return writeMigration(out, { name, up, down: null, snapshot: emptySnapshot(), now: new Date(clock) }).name;
    },
  };
}

const offline = (dir: string, ...args: string[]) => runCli(['lint', ...args], { cwd: dir, env: { DATABASE_URL: '', GITHUB_ACTIONS: '' } });

describe('strata lint without a database', () => {
  const p = project();
  const init = p.add('init', 'create table users (id bigint primary key, email text not null);\n--> statement-breakpoint\ncreate index users_email on users (email);');
  const idx = p.add('index_users_id_email', 'select 1;\ncreate index users_id_email on users (id, email);');

  it('lints every migration of the folder: a blocking change to a table an earlier migration created is an error (exit 1)', async () => {
    const r = await offline(p.dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`db/migrations/${idx}.sql:2:32  error  CREATE INDEX without CONCURRENTLY blocks writes to users while the index builds (users is created by an earlier migration: it may be large by now)  require-concurrent-index`);
    expect(r.stdout).toContain('hint Use CREATE INDEX CONCURRENTLY in a `--> strata:part no-transaction` part.');
    expect(r.stdout).not.toContain(`${init}.sql`); // the index on the table created in the same migration is fine
    expect(r.stdout).toMatch(/\n1 error, 0 warnings in 2 migration files\n$/);
  });

  it('--json: the report, with the files and how they were chosen', async () => {
    const r = await offline(p.dir, '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: false, selection: 'folder', database: false, counts: { error: 1, warning: 0, info: 0 }, files: [`db/migrations/${init}.sql`, `db/migrations/${idx}.sql`] });
    expect(report.findings[0]).toMatchObject({ rule: 'require-concurrent-index', severity: 'error', file: `db/migrations/${idx}.sql`, line: 2, column: 32, table: { name: 'users', basis: 'earlier-migration' } });
    expect(JSON.parse((await offline(p.dir, '--format', 'json')).stdout)).toEqual(report);
  });

  it('--format sarif: a SARIF 2.1.0 log', async () => {
    const r = await offline(p.dir, '--format', 'sarif');
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(log).toMatchObject({ version: '2.1.0', runs: [{ tool: { driver: { name: 'strata lint' } } }] });
    expect(log.runs[0].results).toEqual([expect.objectContaining({
      ruleId: 'require-concurrent-index', level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: `db/migrations/${idx}.sql` }, region: { startLine: 2, startColumn: 32 } } }],
    })]);
  });

  it('prints GitHub annotations when GITHUB_ACTIONS is set', async () => {
    const r = await runCli(['lint'], { cwd: p.dir, env: { DATABASE_URL: '', GITHUB_ACTIONS: 'true' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`\n::error file=db/migrations/${idx}.sql,line=2,col=32,title=strata lint%3A require-concurrent-index::CREATE INDEX without CONCURRENTLY blocks writes to users`);
    const sarif = await runCli(['lint', '--format', 'sarif'], { cwd: p.dir, env: { DATABASE_URL: '', GITHUB_ACTIONS: 'true' } });
    expect(JSON.parse(sarif.stdout).version).toBe('2.1.0'); // stdout stays parseable: annotations go to stderr
    expect(sarif.stderr).toContain('::error file=');
  });

  it('lints named files; `-- strata:ignore <rule> <reason>` silences a finding, and a missing reason is an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-cli-lint-files-'));
    writeFileSync(join(dir, 'ok.sql'), '-- strata:ignore require-concurrent-index the table holds twelve rows\ncreate index i on countries (code);\n');
    writeFileSync(join(dir, 'no-reason.sql'), '-- strata:ignore require-concurrent-index\ncreate index i on countries (code);\n');
    const ok = await offline(dir, 'ok.sql');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('0 errors, 0 warnings, 1 ignored in 1 migration file\n');
    const verbose = await offline(dir, 'ok.sql', '--verbose');
    expect(verbose.stdout).toContain('ignored (line 1): the table holds twelve rows');
    const bad = await offline(dir, 'no-reason.sql');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('no-reason.sql:1:1  error  `-- strata:ignore require-concurrent-index` gives no reason  invalid-ignore');
    expect(bad.stdout).toContain('no-reason.sql:2:19  error  CREATE INDEX without CONCURRENTLY');
  });

  it('CONCURRENTLY: an error in a transactional part, fine in a no-transaction part', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-cli-lint-parts-'));
    writeFileSync(join(dir, 'tx.sql'), 'create index concurrently i on countries (code);\n');
    writeFileSync(join(dir, 'parts.sql'), 'alter table countries add column iso text;\n--> strata:part no-transaction\ncreate index concurrently if not exists i on countries (iso);\n');
    const tx = await offline(dir, 'tx.sql');
    expect(tx.code).toBe(1);
    expect(tx.stdout).toContain('tx.sql:1:32  error  CREATE INDEX CONCURRENTLY cannot run inside a transaction block');
    const parts = await offline(dir, 'parts.sql');
    expect(parts.stdout).toBe('0 errors, 0 warnings in 1 migration file\n');
    expect(parts.code).toBe(0);
  });

  it('a file that does not parse is reported with its line; usage errors exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-cli-lint-bad-'));
    writeFileSync(join(dir, 'broken.sql'), 'create table t (a int);\nalter tabel t add column b int;\n');
    const r = await offline(dir, 'broken.sql');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('broken.sql:2:7  error  syntax error at or near "tabel"  syntax-error');
    const missing = await offline(dir, 'nope.sql');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error nope.sql: no such file');
    const format = await offline(dir, 'broken.sql', '--format', 'xml');
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("argument 'xml' is invalid");
    const both = await offline(dir, 'broken.sql', '--json', '--format', 'sarif');
    expect(both.code).toBe(2);
  });
});

describeBackends('strata lint with a database', (backend) => {
  let tdb: TestDatabase;
  beforeAll(async () => { tdb = await createTestDatabase(backend); });
  afterAll(async () => tdb?.dispose());

  it('lints the pending migrations only, graded by the tables\' real sizes (pg_class.reltuples)', async () => {
    const p = project();
    p.add('init', 'create table big (id bigint primary key, note text);\n--> statement-breakpoint\ncreate table small (id bigint primary key, note text);\n--> statement-breakpoint\ncreate index big_note on big (note);');
    const m = await runCli(['migrate', '--url', tdb.url], { cwd: p.dir });
    expect(m.code, m.stderr).toBe(0);
    const db = await tdb.client();
    await db.exec('insert into big select g, null from generate_series(1, 20000) g; analyze big; insert into small values (1, null), (2, null);');
    await tdb.closeClient();

    const onSmall = p.add('index_small', 'create index small_note on small (note);');
    const small = await runCli(['lint', '--url', tdb.url], { cwd: p.dir });
    expect(small.code, small.stdout + small.stderr).toBe(0);
    expect(small.stdout).toContain(`db/migrations/${onSmall}.sql:1:28  warning  CREATE INDEX without CONCURRENTLY blocks writes to small while the index builds (small: about 2 rows)`);
    expect(small.stdout).toContain("0 errors, 1 warning in 1 pending migration file (graded by the database's table sizes)");

    const onBig = p.add('index_big', 'create index big_id_note on big (id, note);');
    const big = await runCli(['lint', '--url', tdb.url, '--json'], { cwd: p.dir });
    expect(big.code).toBe(1);
    const report = JSON.parse(big.stdout);
    expect(report).toMatchObject({ selection: 'pending', database: true, files: [`db/migrations/${onSmall}.sql`, `db/migrations/${onBig}.sql`] });
    expect(report.findings.map((f: { severity: string; table: { name: string; rows: number } }) => [f.severity, f.table.name, f.table.rows])).toEqual([['warning', 'small', 2], ['error', 'big', 20000]]);

    // --offline ignores the database: every migration, and both indexes are errors.
    const off = await runCli(['lint', '--url', tdb.url, '--offline', '--json'], { cwd: p.dir });
    expect(JSON.parse(off.stdout)).toMatchObject({ selection: 'folder', database: false, counts: { error: 2 } });
  }, 240_000);
});

const example = fileURLToPath(new URL('../../../examples/hivemind', import.meta.url));

describe('strata lint on what strata generate writes for examples/hivemind', () => {
  const dir = join(example, '.demo', `lint-${process.pid}-${Date.now()}`);
  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    cpSync(join(example, 'src'), join(dir, 'src'), { recursive: true });
    cpSync(join(example, 'strata.config.ts'), join(dir, 'strata.config.ts'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports no errors on the initial migration (fresh tables), offline and against empty databases of both backends', async () => {
    const g = await runCli(['generate', '--name', 'init'], { cwd: dir, env: { DATABASE_URL: '' }, timeoutMs: 120_000 });
    expect(g.code, g.stderr).toBe(0);
    expect(readdirSync(join(dir, 'database/migrations')).some((f) => f.endsWith('_init.sql'))).toBe(true);
    const r = await runCli(['lint', '--json'], { cwd: dir, env: { DATABASE_URL: '' } });
    const report = JSON.parse(r.stdout);
    expect(report.findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
    expect(report.files).toHaveLength(1);
    expect(r.code).toBe(0);
    for (const backend of ['pglite', 'postgres'] as const) {
      const tdb = await createTestDatabase(backend);
      try {
        const withDb = await runCli(['lint', '--json'], { cwd: dir, env: { DATABASE_URL: tdb.url } });
        expect(withDb.code, withDb.stdout).toBe(0);
        expect(JSON.parse(withDb.stdout)).toMatchObject({ selection: 'pending', database: true, counts: { error: 0 } });
      } finally {
        await tdb.dispose();
      }
    }
  }, 240_000);
});
