import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliBinPath, createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const tempDir = () => mkdtempSync(join(tmpdir(), 'strata-cli-data-'));

/** A migration file as a user would write it (only `@strata/data` imported, resolved by the CLI). */
function writeMigration(dir: string, name: string, up: string): void {
  mkdirSync(join(dir, 'scripts/data'), { recursive: true });
  writeFileSync(join(dir, 'scripts/data', `${name}.ts`), `import { defineDataMigration } from '@strata/data';
export default defineDataMigration({
  description: '${name}',
  async up(ctx) {
${up}
  },
});
`);
}

/** Starts `strata` and resolves `waitFor` when its stderr matches; for killing it mid-run. */
function startCli(args: string[], cwd: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [cliBinPath(), ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const waitFor = (test: (stderr: string) => boolean, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no match within ${timeoutMs} ms; stderr: ${stderr}\nstdout: ${stdout}`)), timeoutMs);
      const check = () => { if (test(stderr)) { clearTimeout(timer); resolve(); } };
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); check(); });
      child.on('close', () => { clearTimeout(timer); if (!test(stderr)) reject(new Error(`exited before a match; stderr: ${stderr}\nstdout: ${stdout}`)); });
    });
  return { child, waitFor, exited };
}

describeBackends('strata data', (backend) => {
  let tdb: TestDatabase;
  /** Runs SQL on the test database, then closes the client (an embedded directory has one user at a time). */
  const sql = async <R = Record<string, unknown>>(text: string): Promise<R[]> => {
    const db = await tdb.client();
    try {
      return (await db.query<R>(text)).rows;
    } finally {
      await tdb.closeClient();
    }
  };
  const exec = async (script: string): Promise<void> => {
    const db = await tdb.client();
    try {
      await db.exec(script);
    } finally {
      await tdb.closeClient();
    }
  };
  const strata = (args: string[], cwd: string) => runCli([...args, '--url', tdb.url], { cwd, timeoutMs: 120_000 });

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    await exec(`create table users (id serial primary key, name text not null, full_name text);
      insert into users (name) values ('Ada Lovelace'), ('Alan Turing'), ('Grace Hopper')`);
  });
  afterAll(async () => tdb?.dispose());

  it('scaffolds a file that compiles and runs as written; status shows it done; a second run does nothing', async () => {
    const dir = tempDir();
    const created = await strata(['data', 'new', 'backfill_full_name', '--json'], dir);
    expect(created.code).toBe(0);
    const { name, file } = JSON.parse(created.stdout) as { name: string; file: string };
    expect(name).toMatch(/^\d{14}_backfill_full_name$/);
    expect(file).toBe(join(dir, 'scripts/data', `${name}.ts`));

    // It compiles with a strict tsconfig, with @strata/data installed for its types.
    const project = tempDir();
    mkdirSync(join(project, 'node_modules/@strata'), { recursive: true });
    symlinkSync(join(repo, 'packages/data'), join(project, 'node_modules/@strata/data'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, noUnusedLocals: true,
        noUnusedParameters: true, noUncheckedIndexedAccess: true, verbatimModuleSyntax: true, skipLibCheck: true, types: [],
      },
      include: ['*.ts'],
    }));
    writeFileSync(join(project, 'migration.ts'), readFileSync(file, 'utf8'));
    const tsc = spawnSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', project], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);

    // It runs where only the CLI is installed: this directory has no node_modules at all.
    expect(readdirSync(dir)).toEqual(['scripts']);
    const run = await strata(['data', 'run'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`✓ ${name}`);
    expect(run.stderr).toContain('nothing to do yet: edit this file');

    const status = await strata(['data', 'status', '--json'], dir);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).migrations).toMatchObject([{ name, state: 'done', checksumChanged: false }]);

    const again = await strata(['data', 'run', '--json'], dir);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, ran: [], done: [name] });
    expect(again.stderr).not.toContain('nothing to do yet');
  });

  it("runs the template's own example, uncommented: the guide's full_name backfill", async () => {
    const dir = tempDir();
    const created = await strata(['data', 'new', 'fill full name', '--json'], dir);
    expect(created.stderr).toBe('');
    const { file } = JSON.parse(created.stdout) as { file: string };
    const text = readFileSync(file, 'utf8');
    const uncommented = text.replace(/^(\s*)\/\/ (await ctx\.batch| {2}tx\.query|\);)/gm, '$1$2');
    expect(uncommented).not.toBe(text);
    writeFileSync(file, uncommented);
    const run = await strata(['data', 'run'], dir);
    expect(run.stderr).toBe(run.stderr.replace(/\n\s+at /, '')); // no stack trace
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/3 rows walked, 3 changed/);
    expect(await sql(`select name, full_name from users order by id`)).toEqual([
      { name: 'Ada Lovelace', full_name: 'Ada Lovelace' }, { name: 'Alan Turing', full_name: 'Alan Turing' }, { name: 'Grace Hopper', full_name: 'Grace Hopper' },
    ]);
  });

  it('resumes a 200,000-row backfill killed mid-run and updates every row exactly once', async () => {
    await exec(`create table big (id int primary key, name text not null, full_name text, n int not null default 0);
      insert into big (id, name) select g, 'n' || g from generate_series(1, 200000) g`);
    const dir = tempDir();
    const name = '20250101000000_backfill_big';
    writeMigration(dir, name, `
    // Slowed down (only) for the run that gets killed, so the kill lands mid-run.
    await ctx.batch({ table: 'big', size: 2000, pauseMs: Number(process.env.TEST_PAUSE_MS ?? 0) }, (tx, { from, to }) =>
      tx.query('update big set full_name = name, n = n + 1 where id between $1 and $2', [from, to]));`);
    const first = startCli(['data', 'run', '--url', tdb.url], dir, { TEST_PAUSE_MS: '60' });
    // Kill once the progress lines show committed batches, well before the end.
    const rowsShown = (err: string) => Math.max(0, ...[...err.matchAll(/public\.big {2}([\d,]+)\/200,000 rows/g)].map((m) => Number(m[1]!.replaceAll(',', ''))));
    await first.waitFor((err) => rowsShown(err) >= 10_000);
    if (backend === 'postgres') {
      // A server has room for a second client: status sees the run holding the lock.
      const during = await strata(['data', 'status', '--json'], dir);
      expect((JSON.parse(during.stdout) as { migrations: { name: string; state: string }[] }).migrations.find((m) => m.name === name)!.state).toBe('running');
    }
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    // What the kill left: committed batches and the checkpoint agree (they share transactions).
    let state = '';
    for (let i = 0; i < 50 && state !== 'interrupted'; i++) {
      const s = await strata(['data', 'status', '--json'], dir);
      state = (JSON.parse(s.stdout) as { migrations: { name: string; state: string }[] }).migrations.find((m) => m.name === name)!.state;
      if (state !== 'interrupted') await new Promise((r) => setTimeout(r, 200));
    }
    expect(state).toBe('interrupted');
    const [mid] = await sql<{ once: string; never: string; more: string; rows: string }>(
      `select count(*) filter (where n = 1)::int8 as once, count(*) filter (where n = 0)::int8 as never, count(*) filter (where n > 1)::int8 as more,
              (select rows::text from strata.data_migrations where name = '${name}') as rows from big`,
    );
    expect(Number(mid!.once)).toBeGreaterThanOrEqual(10_000);
    expect(Number(mid!.once)).toBeLessThan(200_000);
    expect(mid!.more).toBe('0');
    expect(mid!.rows).toBe(mid!.once);

    const second = await strata(['data', 'run'], dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`${name}  ${name}  (resuming)`);
    expect(second.stderr).toMatch(new RegExp(`resuming after id ${mid!.once} with batch ${Number(mid!.once) / 2000 + 1}`));
    const [end] = await sql<{ once: string; other: string; filled: string }>(
      `select count(*) filter (where n = 1)::int8 as once, count(*) filter (where n <> 1)::int8 as other,
              count(*) filter (where full_name = name)::int8 as filled from big`,
    );
    expect(end).toEqual({ once: '200000', other: '0', filled: '200000' });
  });

  it('dry run changes nothing and reports the rows each batch would touch', async () => {
    await exec(`create table dry (id int primary key, v int not null default 0); insert into dry (id) select generate_series(1, 25)`);
    const dir = tempDir();
    writeMigration(dir, '20250102000000_dry', `
    await ctx.batch({ table: 'dry', size: 10 }, (tx, { ids }) => tx.query('update dry set v = v + 1 where id = any($1) and id % 5 <> 0', [ids]));`);
    const r = await strata(['data', 'run', '--dry-run', '--json'], dir);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { dryRun: boolean; ran: { batches: { batch: number; from: number; to: number; rows: number; changed: number }[] }[] };
    expect(report.dryRun).toBe(true);
    expect(report.ran[0]!.batches.map((b) => [b.batch, b.from, b.to, b.rows, b.changed])).toEqual([[1, 1, 10, 10, 8], [2, 11, 20, 10, 8], [3, 21, 25, 5, 4]]);
    const human = await strata(['data', 'run', '--dry-run'], dir);
    expect(human.stdout).toContain('dry batch 2: 11 … 20  10 rows, would change 8');
    expect(await sql(`select count(*)::int4 as n from dry where v <> 0`)).toEqual([{ n: 0 }]);
    const status = await strata(['data', 'status', '--json'], dir);
    expect((JSON.parse(status.stdout) as { migrations: { name: string }[] }).migrations.find((m) => m.name === '20250102000000_dry')).toMatchObject({ state: 'pending' });
  });

  it('an error in batch N names the migration and the batch, keeps earlier batches, and exits 1', async () => {
    await exec(`create table bad (id int primary key, v int not null default 0); insert into bad (id) select generate_series(1, 50)`);
    const dir = tempDir();
    writeMigration(dir, '20250103000000_breaks', `
    await ctx.batch({ table: 'bad', size: 10 }, (tx, { ids }) => tx.query('update bad set v = 100 / (id - 34) where id = any($1)', [ids]));`);
    const r = await strata(['data', 'run'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error 20250103000000_breaks: batch 4 of "public"."bad" (id 31 … 40, 10 rows) failed: division by zero');
    expect(r.stderr).toContain('3 earlier batches (30 rows) stay committed; the checkpoint stays after id 30');
    expect(r.stderr).toContain('resumes with batch 4');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await sql(`select count(*) filter (where v <> 0)::int4 as done, count(*) filter (where v = 0)::int4 as todo from bad`)).toEqual([{ done: 30, todo: 20 }]);
    const status = await strata(['data', 'status'], dir);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/20250103000000_breaks\s+failed\s+30 rows/);
  });
});

describe('strata data new', () => {
  it("writes into the config's dataDir, in order, and refuses a name without letters", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', dataDir: './db/data-migrations' };`);
    const a = await runCli(['data', 'new', 'first', '--json'], { cwd: dir });
    const b = await runCli(['data', 'new', 'second'], { cwd: dir });
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).file).toMatch(new RegExp(`^${join(dir, 'db/data-migrations')}/\\d{14}_first\\.ts$`));
    expect(b.stdout).toMatch(/^Created db\/data-migrations\/\d{14}_second\.ts\n$/);
    const files = readdirSync(join(dir, 'db/data-migrations'));
    expect(files.map((f) => f.slice(15))).toEqual(['first.ts', 'second.ts']);
    expect(files[0]! < files[1]!).toBe(true);
    const bad = await runCli(['data', 'new', '!!!'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('has no letters or digits');
  });
});
