import { existsSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { openConsoleAccess, type ApiError, type ConsoleAccess, type ConsoleResponse, type InfoResponse } from '@strata/studio';
import { api, buildPageForTest, createReadOnlyLogin, startFixture, type ReadOnlyLogin, type StudioFixture } from './helpers.js';

const pageDir = buildPageForTest();

/** A path no test run has used: the attacks must not create it. */
const fresh = (what: string) => join(tmpdir(), `strata-attack-${what}-${randomBytes(4).toString('hex')}`);

// The attacks on a "read-only" console, each next to a positive control. The studio is
// read-only (as with production: true); on a server it connects as a superuser (as the tests do),
// and its console logs in as an unprivileged role; on PGlite the console is parser-guarded.
describeBackends('the read-only console is a boundary', (backend) => {
  let f: StudioFixture;
  const sql = (text: string) => api<ConsoleResponse & ApiError>(f, '/api/sql', { sql: text, write: false });
  const largeObjects = async () => (await f.client.query<{ n: number }>('select count(*)::int as n from pg_largeobject_metadata')).rows[0]!.n;
  const refused = async (text: string) => {
    const r = await sql(text);
    expect(r.status, `${text} → ${JSON.stringify(r.body)}`).toBeGreaterThanOrEqual(400);
    expect(r.body.error, text).toBeDefined();
    // Refused by the embedded guard, or by the server because the console's role lacks the right.
    expect(r.body.error.message, text).toMatch(backend === 'pglite'
      ? /the read-only console refuses/
      : /the read-only console refuses|permission denied|must be superuser|privileges of the pg_(execute_server_program|read_server_files|write_server_files) role/);
    return r.body.error;
  };

  beforeAll(async () => {
    f = await startFixture(backend, { pageDir, readOnly: 'production: true', consoleLimits: { timeoutMs: 1000 } });
    // A function of the project's own that runs SQL text it is given: a way to smuggle a statement.
    await f.client.exec(`create function public.run_sql(q text) returns void language plpgsql as $$ begin execute q; end $$`);
  });
  afterAll(async () => f?.close());

  it('runs queries (positive control: select 42 returns 42)', async () => {
    const info = await api<InfoResponse>(f, '/api/info');
    expect(info.body.console.mode).toBe(backend === 'pglite' ? 'guarded' : 'login');
    if (backend === 'postgres') expect(info.body.console.role).toBe(f.login!.role);
    const r = await sql('select 42 as answer');
    expect(r.status).toBe(200);
    expect(r.body.rows).toEqual([[42]]);
    const users = await sql('select count(*)::int as n from public.users');
    expect(users.body.rows).toEqual([[121]]);
  });

  it('runs no program: COPY … TO PROGRAM', async () => {
    const target = fresh('program');
    await refused(`copy (select 1) to program 'id > ${target}'`);
    expect(existsSync(target)).toBe(false);
    await refused(`select public.run_sql('copy (select 1) to program ''id > ${target}''')`);
    expect(existsSync(target)).toBe(false);
    expect((await sql('select 42 as answer')).body.rows).toEqual([[42]]);
  });

  it('writes no file: COPY … TO a path (also inside the embedded data directory)', async () => {
    const target = fresh('copy');
    await refused(`copy (select 1) to '${target}'`);
    expect(existsSync(target)).toBe(false);
    if (backend === 'pglite') {
      const dataDir = f.tdb.url.slice('pglite:'.length);
      await refused(`copy (select 1) to '/pglite/data/strata-attack'`);
      expect(existsSync(join(dataDir, 'strata-attack'))).toBe(false);
    }
    await refused(`select public.run_sql('copy (select 1) to ''${target}''')`);
    expect(existsSync(target)).toBe(false);
  });

  it('imports no large object and reads no server file: lo_import, lo_get, pg_read_file, pg_ls_dir', async () => {
    const before = await largeObjects();
    await refused(`select lo_import('/etc/hostname')`);
    await refused(`select lo_get(lo_import('/etc/hostname'))`);
    await refused(`select * from (select 1) s where (select lo_import('/etc/hostname')) > 0`);
    expect(await largeObjects()).toBe(before);
    await refused(`select pg_read_file('/etc/hostname')`);
    await refused(`select pg_catalog.pg_read_binary_file('/etc/hostname')`);
    await refused(`with f as (select pg_ls_dir('.') as name) select * from f`);
    await refused(`select * from pg_ls_dir('/')`);
  });

  it('does not take the superuser back: set_config(role), also hidden in query_to_xml, nested calls and DO', async () => {
    await refused(`select set_config('role', 'postgres', false)`);
    await refused(`select query_to_xml('select set_config(''role'', ''postgres'', false)', true, true, '')`);
    await refused(`select length(query_to_xml('select pg_read_file(''/etc/hostname'')', true, true, '')::text)`);
    await refused(`select upper((select set_config('role', 'postgres', false)))`);
    await refused(`do $$ begin perform set_config('role', 'postgres', false); end $$`);
    await refused(`call public.nothing()`);
    await refused('set role postgres');
    const who = await sql('select current_user::text as u, session_user::text as s');
    expect(who.body.rows).toEqual(backend === 'pglite' ? [['postgres', 'postgres']] : [[f.login!.role, f.login!.role]]);
  });

  it('caps rows and time', async () => {
    const many = await sql('select g from generate_series(1, 5000) g');
    expect(many.body).toMatchObject({ truncated: true, rowCount: 1000 });
    if (backend === 'pglite') {
      // PGlite ignores statement_timeout and cancel requests: what could run long is refused first.
      await refused('select pg_sleep(5)');
      const costly = await refused('select count(*) from generate_series(1, 1000000000) g');
      expect(costly.message).toMatch(/the planner expects it to cost [\d,]+ \(the cap is 1,000,000\)/);
      await refused('with recursive t(n) as (select 1 union all select n + 1 from t) select count(*) from t');
      await refused('explain analyze select 1');
      // A function PostgreSQL reserves to privileged roles, not in the guard's list: the catalog says so.
      const reserved = await refused('select * from pg_show_all_file_settings()');
      expect(reserved.message).toContain('pg_show_all_file_settings()');
    } else {
      const slow = await sql('select pg_sleep(5)');
      expect(slow.body.error).toMatchObject({ sqlState: '57014' });
      const endless = await sql(`select count(*) from (with recursive t(n) as (select 1 union all select n + 1 from t) select * from t) s`);
      expect(endless.body.error).toMatchObject({ sqlState: '57014' });
    }
    expect((await sql('select 42 as answer')).body.rows).toEqual([[42]]);
  });
});

// The server boundary itself, without the parser in front: the console's login cannot do any of it.
describe('the console login on a server', () => {
  let tdb: TestDatabase;
  let login: ReadOnlyLogin;
  let access: ConsoleAccess;
  beforeAll(async () => {
    tdb = await createTestDatabase('postgres');
    login = await createReadOnlyLogin(tdb.url);
    access = await openConsoleAccess(await tdb.client(), { readOnlyUrl: login.url });
  });
  afterAll(async () => {
    await access?.close();
    await tdb?.dispose();
    await login?.drop();
  });

  it('is not a superuser and refuses every attack in the server itself', async () => {
    expect(access.mode).toBe('login');
    if (access.mode !== 'login') return;
    const target = fresh('raw');
    const attacks = [
      `copy (select 1) to program 'id > ${target}'`,
      `copy (select 1) to '${target}'`,
      `select lo_import('/etc/hostname')`,
      `select pg_read_file('/etc/hostname')`,
      `select pg_ls_dir('.')`,
      `select set_config('role', 'postgres', false)`,
      `select query_to_xml('select set_config(''role'', ''postgres'', false)', true, true, '')`,
      'set role postgres',
    ];
    for (const attack of attacks) {
      await expect(access.client.query(attack), attack).rejects.toMatchObject({ pg: { code: '42501' } });
    }
    expect(existsSync(target)).toBe(false);
    expect((await access.client.query('select 42 as answer')).rows).toEqual([{ answer: 42 }]);
    expect((await access.client.query('select rolsuper from pg_roles where rolname = current_user')).rows).toEqual([{ rolsuper: false }]);
    rmSync(target, { force: true });
  });

  it('stays off when the only login is privileged, and says so', async () => {
    const asStudio = await openConsoleAccess(await tdb.client(), { clientUrl: tdb.url });
    expect(asStudio.mode).toBe('off');
    if (asStudio.mode === 'off') {
      expect(asStudio.reason).toMatch(/^the studio logs in as "postgres", a superuser: a READ ONLY transaction does not stop it/);
      expect(asStudio.hint).toContain('readOnlyUrl');
    }
    const configured = await openConsoleAccess(await tdb.client(), { readOnlyUrl: tdb.url });
    expect(configured.mode).toBe('off');
    if (configured.mode === 'off') expect(configured.reason).toMatch(/^readOnlyUrl logs in as "postgres", a superuser/);
    const none = await openConsoleAccess(await tdb.client());
    expect(none.mode).toBe('off');
  });

  it('refuses a login that can reach server files through a role', async () => {
    const admin = await tdb.client();
    await admin.exec(`grant pg_read_server_files to ${login.role}`);
    try {
      const a = await openConsoleAccess(admin, { readOnlyUrl: login.url });
      expect(a.mode).toBe('off');
      if (a.mode === 'off') expect(a.reason).toContain(`readOnlyUrl logs in as "${login.role}", a member of pg_read_server_files`);
    } finally {
      await admin.exec(`revoke pg_read_server_files from ${login.role}`);
    }
  });
});

describe('a studio on a privileged server login without a read-only login', () => {
  let f: StudioFixture;
  beforeAll(async () => { f = await startFixture('postgres', { pageDir, seed: false, readOnly: 'production: true', login: 'none' }); });
  afterAll(async () => f?.close());

  it('keeps the read-only console off, and says why', async () => {
    const info = await api<InfoResponse>(f, '/api/info');
    expect(info.body.console).toMatchObject({ mode: 'off', writes: false });
    expect(info.body.console.reason).toMatch(/logs in as "postgres", a superuser/);
    const r = await api<ApiError>(f, '/api/sql', { sql: 'select 42', write: false });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/^the read-only SQL console is off: the studio logs in as "postgres", a superuser/);
    const attack = fresh('off');
    const copy = await api<ApiError>(f, '/api/sql', { sql: `copy (select 1) to '${attack}'`, write: false });
    expect(copy.status).toBe(409);
    expect(existsSync(attack)).toBe(false);
  });
});
