import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptySnapshot } from '@strata/schema';
import { writeMigration } from '@strata/runner';
import { cliBinPath, createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

let seq = 0;

/** A project with hand-written migrations `a` (a schema and a table) and `b` (its SQL given). */
function project(bSql: string) {
  const dir = mkdtempSync(join(tmpdir(), 'strata-progress-'));
  const schema = `progress_${process.pid}_${++seq}`;
  writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };\n`);
  const out = join(dir, 'migrations');
  mkdirSync(out);
  writeMigration(out, { name: 'a', up: `create schema "${schema}";\n--> statement-breakpoint\ncreate table "${schema}".a (id int);`, down: null, snapshot: emptySnapshot(), now: new Date(Date.UTC(2026, 0, 1, 0, 0, 0)) });
  writeMigration(out, { name: 'b', up: bSql.replaceAll('${s}', `"${schema}"`), down: null, snapshot: emptySnapshot(), now: new Date(Date.UTC(2026, 0, 1, 0, 0, 1)) });
  return { dir, schema };
}

describeBackends('strata migrate progress', (backend) => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
  });
  afterAll(async () => tdb?.dispose());

  it('without a terminal, says which migration starts (stderr) before its result line (stdout)', async () => {
    const p = project('create table ${s}.b (id int);\n');
    await tdb.closeClient();
    const r = await runCli(['migrate', '--url', tdb.url], { cwd: p.dir, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('applying 20260101000000_a (2 statements)…');
    expect(r.stderr).toContain('applying 20260101000001_b (1 statement)…');
    expect(r.stdout).toMatch(/applied 20260101000000_a \(\d+ ms\)\napplied 20260101000001_b \(\d+ ms\)/);
  });
});

// Ctrl-C needs the CLI's event loop free while the server works: on PGlite the query runs in the
// CLI's own process, so the interrupt is only seen once it is done.
describe('Ctrl-C during strata migrate [postgres]', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase('postgres');
  });
  afterAll(async () => tdb?.dispose());

  it('prints what was applied and what became of the running migration, exits 130, and leaves it whole or absent', async () => {
    const p = project('create table ${s}.b (id int);\n--> statement-breakpoint\nselect pg_sleep(3);\n');
    const child = spawn(process.execPath, [cliBinPath(), 'migrate', '--url', tdb.url], { cwd: p.dir, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 600 && !stderr.includes('applying 20260101000001_b'); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('interrupted (Ctrl-C): applied: 20260101000000_a');
    expect(stderr).toContain('20260101000001_b was interrupted: it is either rolled back, or applied and recorded');
    // Whatever the server did with b, it did all of it or none: its table exists exactly when it is recorded.
    await new Promise((r) => setTimeout(r, 4000));
    const db = await tdb.client();
    const table = (await db.query(`select 1 from pg_tables where schemaname = $1 and tablename = 'b'`, [p.schema])).rows.length;
    const recorded = (await db.query(`select 1 from strata.migrations where name = '20260101000001_b' and state = 'applied'`)).rows.length;
    expect(table).toBe(recorded);
    expect((await db.query(`select 1 from strata.migrations where name = '20260101000000_a'`)).rows.length).toBe(1);
  }, 60_000);
});
