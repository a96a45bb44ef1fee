import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPathFor } from '@strata/db';
import { writeMigration } from '@strata/runner';
import { emptySnapshot } from '@strata/schema';
import { createReadOnlyLogin, createTestDatabase, describeBackends, runCli, type ReadOnlyLogin, type TestDatabase } from '@strata/testing';
import { get, post, startStudioCli, type RunningStudio } from './studio-process.js';

interface MigrationsBody { available: boolean; migrations: { name: string; state: string; durationMs: number | null; checksum: string; up: string | null; down: string | null }[] }

describeBackends('strata studio', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  let studio: RunningStudio;
  let migration: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = mkdtempSync(join(tmpdir(), 'strata-cli-studio-'));
    migration = writeMigration(join(dir, 'migrations'), {
      name: 'add tags', up: 'CREATE TABLE "tags" ("id" serial PRIMARY KEY, "label" text NOT NULL);', down: 'DROP TABLE "tags";', snapshot: emptySnapshot(),
    }).name;
    studio = await startStudioCli(['--url', tdb.url], dir);
  });
  afterAll(async () => {
    if (studio && studio.child.exitCode === null) studio.child.kill('SIGKILL');
    await tdb?.dispose();
  });

  it('prints a tokened URL on 127.0.0.1 and refuses requests without the token', async () => {
    expect(studio.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{40,}$/);
    const res = await fetch(`${studio.base}api/tables`);
    expect(res.status).toBe(401);
    const info = await get<{ backend: string }>(studio, '/api/info');
    expect(info.backend).toBe(backend);
  });

  it('shows the migration folder through the runner: pending, then applied by `strata migrate` in another process', async () => {
    const before = await get<MigrationsBody>(studio, '/api/migrations');
    expect(before.available).toBe(true);
    expect(before.migrations).toEqual([
      { name: migration, state: 'pending', appliedAt: null, durationMs: null, checksum: 'ok', up: 'CREATE TABLE "tags" ("id" serial PRIMARY KEY, "label" text NOT NULL);\n', down: 'DROP TABLE "tags";\n' },
    ]);
    const migrate = await runCli(['migrate', '--url', tdb.url], { cwd: dir });
    expect(migrate.stderr + migrate.stdout).not.toMatch(/in use by process/);
    expect(migrate.code).toBe(0);
    const after = await get<MigrationsBody>(studio, '/api/migrations');
    expect(after.migrations).toMatchObject([{ name: migration, state: 'applied', checksum: 'ok' }]);
    expect(typeof after.migrations[0]!.durationMs).toBe('number');
    const tables = await get<{ schema: string; name: string }[]>(studio, '/api/tables');
    expect(tables.some((t) => t.schema === 'public' && t.name === 'tags')).toBe(true);
  });

  it('keeps the read-only console off on a superuser login without --read-only-url, and says so', async () => {
    const info = await get<{ console: { mode: string; reason: string | null } }>(studio, '/api/info');
    if (backend === 'pglite') {
      expect(info.console.mode).toBe('guarded');
      return;
    }
    expect(info.console.mode).toBe('off');
    expect(studio.stderr()).toMatch(/The read-only SQL console is off: the studio logs in as "postgres", a superuser.*readOnlyUrl/);
  });

  it('lets `strata doctor` reach the database while it runs', async () => {
    const r = await runCli(['doctor', '--url', tdb.url, '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, reachable: true });
  });

  it('stops cleanly on Ctrl-C (SIGINT), releasing the embedded database', async () => {
    studio.child.kill('SIGINT');
    expect(await studio.exited).toBe(0);
    expect(studio.stderr()).toContain('Studio stopped.');
    if (backend === 'pglite') expect(existsSync(lockPathFor(tdb.url.slice('pglite:'.length)))).toBe(false);
    const status = await runCli(['status', '--url', tdb.url, '--json'], { cwd: dir });
    expect(status.code).toBe(0);
  });
});

describeBackends('strata studio read-only', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  let login: ReadOnlyLogin | null = null;
  /** On a server, the read-only console's own unprivileged login (the test connects as a superuser). */
  const consoleLogin = () => (login ? ['--read-only-url', login.url] : []);
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    if (backend === 'postgres') login = await createReadOnlyLogin(tdb.url);
    const db = await tdb.client();
    await db.exec(`create table public.notes (id int primary key, body text not null); insert into public.notes values (1, 'one')`);
    await tdb.closeClient();
    dir = mkdtempSync(join(tmpdir(), 'strata-cli-studio-ro-'));
    writeFileSync(join(dir, 'strata.config.mjs'), 'export default { production: true };\n');
  });
  afterAll(async () => {
    await tdb?.dispose();
    await login?.drop();
  });

  it('opens read-only when the config says production: true, and refuses edits', async () => {
    const s = await startStudioCli(['--url', tdb.url, ...consoleLogin()], dir);
    try {
      const info = await get<{ readOnly: string | null; console: { mode: string; role: string | null } }>(s, '/api/info');
      expect(info.console).toMatchObject(backend === 'pglite' ? { mode: 'guarded' } : { mode: 'login', role: login!.role });
      expect(info.readOnly).toMatch(/strata\.config\.mjs says production: true; start it with --write/);
      const edit = await post(s, '/api/rows/update', { schema: 'public', table: 'notes', key: { id: 1 }, values: { body: 'changed' } });
      expect(edit.status).toBe(409);
      const write = await post(s, '/api/sql', { sql: `delete from public.notes`, write: true });
      expect(write.status).toBe(409);
      const read = await post(s, '/api/sql', { sql: 'select body from public.notes', write: false });
      expect(await read.json()).toMatchObject({ rows: [['one']] });
      const file = join(dir, 'attack');
      const copy = await post(s, '/api/sql', { sql: `copy (select 1) to '${file}'`, write: false });
      expect(copy.status).toBe(409);
      expect(existsSync(file)).toBe(false);
    } finally {
      s.child.kill('SIGINT');
      await s.exited;
    }
  });

  it('opens for writing with --write, despite production: true', async () => {
    const s = await startStudioCli(['--url', tdb.url, '--write'], dir);
    try {
      expect((await get<{ readOnly: string | null }>(s, '/api/info')).readOnly).toBeNull();
      const edit = await post(s, '/api/rows/update', { schema: 'public', table: 'notes', key: { id: 1 }, values: { body: 'changed' } });
      expect(edit.status).toBe(200);
    } finally {
      s.child.kill('SIGINT');
      await s.exited;
    }
  });

  it('opens read-only with --read-only on any database, and refuses --read-only with --write', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'strata-cli-studio-ro-'));
    const s = await startStudioCli(['--url', tdb.url, '--read-only'], plain);
    try {
      expect((await get<{ readOnly: string | null }>(s, '/api/info')).readOnly).toBe('started with --read-only');
      const ins = await post(s, '/api/rows/insert', { schema: 'public', table: 'notes', values: { id: '2', body: 'two' } });
      expect(ins.status).toBe(409);
    } finally {
      s.child.kill('SIGINT');
      await s.exited;
    }
    const both = await runCli(['studio', '--port', '0', '--url', tdb.url, '--read-only', '--write'], { cwd: plain });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--read-only and --write contradict each other');
  });
});

describe('strata studio usage', () => {
  it('exits 2 with a clear message when the port is taken, and on a bad --port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'strata-cli-studio-'));
      const taken = await runCli(['studio', '--port', String(port), '--url', 'pglite:memory'], { cwd: dir });
      expect(taken.code).toBe(2);
      expect(taken.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(taken.stderr).toContain('--port');
      const bad = await runCli(['studio', '--port', 'abc'], { cwd: dir });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('expected a port number');
    } finally {
      blocker.close();
    }
  });

  it('stops on SIGTERM too', async () => {
    const s = await startStudioCli(['--url', 'pglite:memory'], mkdtempSync(join(tmpdir(), 'strata-cli-studio-')));
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });
});
