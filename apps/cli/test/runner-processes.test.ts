import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptySnapshot } from '@strata/schema';
import { rehash, writeMigration } from '@strata/runner';
import type { DatabaseClient } from '@strata/db';
import { cliBinPath, createTestDatabase, runCli, type TestDatabase } from '@strata/testing';

// Several `strata` processes against one database at once: a real server only (an embedded
// PGlite directory belongs to one process at a time).
describe('strata migrate across processes [postgres]', () => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  let seq = 0;
  beforeAll(async () => {
    tdb = await createTestDatabase('postgres');
    db = await tdb.client();
  });
  afterAll(async () => tdb?.dispose());

  function project() {
    const dir = mkdtempSync(join(tmpdir(), 'strata-cli-proc-'));
    const schema = `proc_${++seq}`;
    const history = `hist_${schema}`;
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', history: { schema: '${history}' } };`);
    let clock = Date.parse('2026-05-01T00:00:00Z');
    const out = join(dir, 'migrations');
    return {
      dir,
      schema,
      out,
      add(name: string, up: string): string {
        clock += 60_000;
        return writeMigration(out, { name, up: up.replaceAll('${s}', schema), down: null, snapshot: emptySnapshot(), now: new Date(clock) }).name;
      },
      async history(): Promise<string[]> {
        const r = await db.query<{ name: string }>(`select name from "${history}".migrations order by id`);
        return r.rows.map((x) => x.name);
      },
    };
  }
  const strata = (p: { dir: string }, ...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: p.dir, timeoutMs: 120_000 });
  const activeQuery = async (like: string) => {
    const r = await db.query<{ pid: number }>(`select pid from pg_stat_activity where state = 'active' and query ilike $1 and pid <> pg_backend_pid()`, [like]);
    return r.rows[0]?.pid ?? null;
  };
  const until = async (what: () => Promise<boolean>, ms = 30_000) => {
    const end = Date.now() + ms;
    while (!(await what())) {
      if (Date.now() > end) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('8 processes migrating at once apply each of 20 migrations exactly once, and all exit 0', async () => {
    const p = project();
    const names = [p.add('m00', 'create schema ${s};\n--> statement-breakpoint\ncreate table ${s}.t00 (id int primary key);')];
    // Not idempotent on purpose: applying any migration twice would fail its process.
    for (let i = 1; i < 20; i++) names.push(p.add(`m${String(i).padStart(2, '0')}`, `create table \${s}.t${i} (id int primary key);\ninsert into \${s}.t${i} values (${i});`));
    const runs = await Promise.all(Array.from({ length: 8 }, () => strata(p, 'migrate')));
    expect(runs.map((r) => r.code)).toEqual(Array(8).fill(0));
    const appliedLines = runs.flatMap((r) => r.stdout.split('\n').filter((l) => l.startsWith('applied ')).map((l) => l.split(' ')[1]));
    expect(appliedLines.sort()).toEqual([...names].sort());
    expect(await p.history()).toEqual(names);
    expect(runs.filter((r) => r.stdout.includes('nothing to apply')).length).toBeGreaterThan(0);
  });

  it('after a process is killed with SIGKILL in the middle of a long migration, the database is at the last complete one and migrate continues', async () => {
    const p = project();
    const a = p.add('first', 'create schema ${s};');
    const b = p.add('long', 'create table ${s}.big (id int);\n--> statement-breakpoint\ninsert into ${s}.big select generate_series(1, 1000);\n--> statement-breakpoint\nselect pg_sleep(3);');
    const c = p.add('after', 'create table ${s}.after (id int);');
    const child = spawn(process.execPath, [cliBinPath(), 'migrate', '--url', tdb.url], { cwd: p.dir, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    await until(async () => (await activeQuery('%select pg_sleep(3)%')) !== null);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // The killed run's transaction is not committed: only the first migration is recorded.
    expect(await p.history()).toEqual([a]);
    const again = await strata(p, 'migrate');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`applied ${b} .*\\napplied ${c} `));
    expect(await p.history()).toEqual([a, b, c]);
    expect((await db.query(`select count(*)::int as n from "${p.schema}".big`)).rows).toEqual([{ n: 1000 }]);
  });

  it('a failing statement in the third of five migrations: two kept, the third rolled back, the error names file, statement and line', async () => {
    const p = project();
    const names = [
      p.add('one', 'create schema ${s};'),
      p.add('two', 'create table ${s}.users (id int primary key, email text unique);'),
      p.add('three', "insert into ${s}.users values (1, 'a@x');\n--> statement-breakpoint\ncreate table ${s}.three (id int);\n--> statement-breakpoint\ninsert into ${s}.users\nvalues (2, 'a@x');"),
      p.add('four', 'create table ${s}.four (id int);'),
      p.add('five', 'create table ${s}.five (id int);'),
    ];
    const r = await strata(p, 'migrate');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^applied ${names[0]} .*\\napplied ${names[1]} .*\\n$`));
    expect(r.stderr).toContain(`error migration ${names[2]} failed at ${names[2]}.sql:5 (statement 3): duplicate key value violates unique constraint "users_email_key"`);
    expect(r.stderr).toContain(`at ${join(p.out, `${names[2]}.sql`)}:5:1`);
    expect(r.stderr).toContain('statement 3 of 3 (starts at line 5):');
    expect(r.stderr).toContain('detail: Key (email)=(a@x) already exists.');
    expect(r.stderr).toContain('hint This migration was rolled back and not recorded');
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    expect(await p.history()).toEqual(names.slice(0, 2));
    const tables = await db.query<{ t: string }>(`select table_name::text as t from information_schema.tables where table_schema = $1 order by 1`, [p.schema]);
    expect(tables.rows.map((x) => x.t)).toEqual(['users']);
    expect((await db.query(`select count(*)::int as n from "${p.schema}".users`)).rows).toEqual([{ n: 0 }]);
  });

  it('refuses to run when an applied migration was edited, naming the file and the way out', async () => {
    const p = project();
    const a = p.add('one', 'create schema ${s};');
    p.add('two', 'create table ${s}.t (id int);');
    expect((await strata(p, 'migrate')).code).toBe(0);
    writeFileSync(join(p.out, `${a}.sql`), readFileSync(join(p.out, `${a}.sql`), 'utf8').replace('create schema', 'create schema if not exists'));
    rehash(p.out);
    const c = p.add('three', 'create table ${s}.three (id int);');
    const r = await strata(p, 'migrate');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error 1 applied migration was edited; nothing was run');
    expect(r.stderr).toContain(`${a}.sql: edited after it was applied on`);
    expect(r.stderr).toContain('hint Restore each edited file as it was applied');
    expect(await p.history()).not.toContain(c);
  });

  it('refuses an out-of-order migration by default and applies it with --allow-out-of-order', async () => {
    const p = project();
    const a = p.add('one', 'create schema ${s};');
    const c = p.add('three', 'create table ${s}.three (id int);');
    expect((await strata(p, 'migrate')).code).toBe(0);
    const b = `${a.slice(0, 12)}30_two`;
    writeFileSync(join(p.out, `${b}.sql`), `create table ${p.schema}.two (id int);\n`);
    const meta = JSON.parse(readFileSync(join(p.out, `meta/${c}.json`), 'utf8'));
    writeFileSync(join(p.out, `meta/${b}.json`), JSON.stringify({ ...meta, name: b, parent: c }));
    expect((await runCli(['hash'], { cwd: p.dir })).code).toBe(0);
    const st = await strata(p, 'status');
    expect(st.code).toBe(1);
    expect(st.stdout).toMatch(new RegExp(`${b}\\s+out-of-order`));
    const refused = await strata(p, 'migrate');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`error ${b} is older than ${c}, which is already applied; nothing was run`);
    expect(refused.stderr).toContain('--allow-out-of-order');
    const ok = await strata(p, 'migrate', '--allow-out-of-order');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`applied ${b}`);
    expect(await p.history()).toEqual([a, c, b]);
  });

  it('migrates through directUrl when dbUrl goes through a pooler; status reads through dbUrl', async () => {
    const p = project();
    const a = p.add('one', 'create schema ${s};');
    writeFileSync(join(p.dir, 'strata.config.ts'), `export default { schema: './schema.ts', history: { schema: 'hist_${p.schema}' },
      dbUrl: 'postgres://app:pooled-secret@127.0.0.1:1/pooled', directUrl: process.env.DIRECT };`);
    const env = { DIRECT: tdb.url, DATABASE_URL: '' };
    const m = await runCli(['migrate'], { cwd: p.dir, env });
    expect(m.code).toBe(0);
    expect(m.stdout).toContain(`applied ${a}`);
    expect(await p.history()).toEqual([a]);
    const s = await runCli(['status'], { cwd: p.dir, env });
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('127.0.0.1:1/pooled');
    expect(s.stderr).not.toContain('pooled-secret');
  });

  it('a CREATE INDEX CONCURRENTLY migration completes while another process waits for the lock (no deadlock)', async () => {
    const p = project();
    const names = [
      p.add('table', 'create schema ${s};\n--> statement-breakpoint\ncreate table ${s}.big as select g as id, md5(g::text) as v from generate_series(1, 200000) g;'),
      p.add('index', '-- strata:no-transaction\nselect pg_sleep(1.5);\ncreate index concurrently if not exists big_v_idx on ${s}.big (v);\ncreate index concurrently if not exists big_id_idx on ${s}.big (id);'),
      p.add('after', 'create table ${s}.after (id int);'),
    ];
    const first = strata(p, 'migrate');
    await until(async () => (await activeQuery('%select pg_sleep(1.5)%')) !== null);
    const second = strata(p, 'migrate');
    const [r1, r2] = await Promise.all([first, second]);
    expect([r1.code, r2.code]).toEqual([0, 0]);
    expect(r2.stderr).toMatch(/waiting for another migrate \(pid \d+\)…/);
    expect(await p.history()).toEqual(names);
    const idx = await db.query<{ name: string; valid: boolean }>(
      `select c.relname::text as name, i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 order by 1`,
      [p.schema],
    );
    expect(idx.rows).toEqual([{ name: 'big_id_idx', valid: true }, { name: 'big_v_idx', valid: true }]);
  });
});
