import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrate } from '@strata/migrate';
import { emptySnapshot } from '@strata/schema';
import { writeMigration } from '@strata/runner';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';

/**
 * A folder with a multi-step change as `generate --multi-step` writes it (expand, then its contract,
 * linked by their meta), and a migration generated after it.
 */
function folderWith(schema: string): { out: string; contract: string } {
  const out = mkdtempSync(join(tmpdir(), 'strata-app-contract-'));
  const s = emptySnapshot();
  const at = (day: number) => new Date(`2026-01-0${day}T00:00:00Z`);
  writeMigration(out, { name: 'init', up: `create schema "${schema}";\n--> statement-breakpoint\ncreate table "${schema}".users (id int primary key, name text);`, down: null, snapshot: s, now: at(1) });
  const expand = writeMigration(out, {
    name: 'rename_users_name_expand', up: `alter table "${schema}".users add column full_name text;`, down: `alter table "${schema}".users drop column full_name;`, snapshot: s, now: at(2),
    multiStep: { phase: 'expand', columns: [{ schema, table: 'users', from: 'name', to: 'full_name' }] },
  });
  const contract = writeMigration(out, {
    name: 'rename_users_name_contract', up: `alter table "${schema}".users drop column name;`, down: `alter table "${schema}".users add column name text;`, snapshot: s, now: at(3),
    multiStep: { phase: 'contract', expand: expand.name },
  });
  writeMigration(out, { name: 'teams', up: `create table "${schema}".teams (id int primary key);`, down: null, snapshot: s, now: at(4) });
  return { out, contract: contract.name };
}

// The runtime library contracts without the CLI: migrate() holds the contract (and what comes
// after it) until asked with `contract`, as `strata migrate --contract [name]` does.
describeBackends('runtime migrate() with contract', (backend) => {
  let tdb: TestDatabase;
  let handle: PGlite | pg.Pool;
  let query: (sql: string) => Promise<Record<string, unknown>[]>;
  const schema = `app_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let folder: { out: string; contract: string };
  const columns = async () => (await query(`select string_agg(column_name::text, ',' order by column_name) as c from information_schema.columns where table_schema = '${schema}' and table_name = 'users'`))[0]!.c;
  const hasTeams = async () => (await query(`select to_regclass('"${schema}".teams') is not null as t`))[0]!.t;

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    if (backend === 'pglite') {
      const instance = new PGlite(tdb.url.slice('pglite:'.length));
      handle = instance;
      query = async (sql) => (await instance.query<Record<string, unknown>>(sql)).rows;
    } else {
      const p = new pg.Pool({ connectionString: tdb.url, max: 2 });
      p.on('error', () => {});
      handle = p;
      query = async (sql) => (await p.query(sql)).rows;
    }
    folder = folderWith(schema);
  });
  afterAll(async () => {
    if (handle instanceof PGlite) await handle.close();
    else await handle?.end();
    await tdb?.dispose();
    if (folder) rmSync(folder.out, { recursive: true, force: true });
  });

  it('without contract: applies the expand, holds the contract, and nothing after it runs', async () => {
    const r = await migrate({ db: handle, folder: folder.out });
    expect(r.applied.map((m) => m.name.replace(/^\d+_/, ''))).toEqual(['init', 'rename_users_name_expand']);
    expect(r.held).toMatchObject({ name: folder.contract });
    expect(r.held!.waiting.map((n) => n.replace(/^\d+_/, ''))).toEqual(['teams']);
    expect(await columns()).toBe('full_name,id,name');
    expect(await hasTeams()).toBe(false);
  });

  it('contract: a name applies that contract and what waited behind it', async () => {
    const r = await migrate({ db: handle, folder: folder.out, contract: folder.contract });
    expect(r.applied.map((m) => m.name.replace(/^\d+_/, ''))).toEqual(['rename_users_name_contract', 'teams']);
    expect(r.contracted).toEqual([folder.contract]);
    expect(r.held).toBeNull();
    expect(await columns()).toBe('full_name,id');
    expect(await hasTeams()).toBe(true);
  });

  it('contract: true with no contract pending applies nothing and does not fail', async () => {
    const r = await migrate({ db: handle, folder: folder.out, contract: true });
    expect(r.applied).toEqual([]);
    expect(r.held).toBeNull();
  });
});
