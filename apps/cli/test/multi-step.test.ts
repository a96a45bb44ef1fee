import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';
import { generateAndMigrate, rowsOf, schemaProject } from './project-fixture.js';

const USERS = (columns: string, extra = '') =>
  `import { integer, pgTable, text } from 'drizzle-orm/pg-core';\nexport const users = pgTable('users', { id: integer('id').primaryKey(), ${columns} });\n${extra}`;

const project = (schema: string) => schemaProject('strata-cli-multistep-', schema);

// The guide's rename (users.name → users.full_name) through the binary: generate --multi-step,
// migrate (expand applied, contract held), writes by the old and the new code in the window,
// status and check, a later migration waiting behind the held contract, migrate --contract,
// and both down migrations back to where it started.
describeBackends('generate --multi-step: a column rename as expand and contract', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: 180_000 });
  const sql = rowsOf(() => tdb);
  const columns = async () => (await sql<{ c: string }>(`select string_agg(column_name || ':' || is_nullable || ':' || coalesce(column_default, '-'), ',' order by column_name) as c from information_schema.columns where table_schema = 'public' and table_name = 'users'`))[0]!.c;
  const triggers = async () => (await sql<{ n: string }>(`select count(*)::text as n from pg_trigger where tgrelid = 'public.users'::regclass and not tgisinternal`))[0]!.n;
  const upFiles = () => readdirSync(join(dir, 'migrations')).filter((f) => f.endsWith('.sql') && !f.endsWith('.down.sql')).sort();
  let before: string;

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = project(USERS(`name: text('name').notNull().default('')`));
    await generateAndMigrate(dir, tdb.url);
    await sql(`insert into public.users (id, name) select g, 'user ' || g from generate_series(1, 500) g`);
    before = await columns();
  }, 300_000);
  afterAll(async () => tdb?.dispose());

  it('with nothing to expand, --multi-step writes a plain migration', async () => {
    writeFileSync(join(dir, 'schema.ts'), USERS(`name: text('name').notNull().default(''), email: text('email')`));
    const r = await strata('generate', '--multi-step', '--name', 'email');
    expect(r.code, r.stderr).toBe(0);
    expect(upFiles().at(-1)).toMatch(/_email\.sql$/);
    expect((await strata('migrate')).code).toBe(0);
    before = await columns();
  }, 300_000);

  it('writes two linked migrations: expand (column, trigger, backfill) and contract', async () => {
    writeFileSync(join(dir, 'schema.ts'), USERS(`fullName: text('full_name').notNull().default(''), email: text('email')`));
    const r = await strata('generate', '--multi-step', '--rename', 'users.name=users.full_name');
    expect(r.code, r.stderr).toBe(0);
    const [expand, contract] = upFiles().slice(-2);
    expect(expand).toMatch(/_rename_users_name_expand\.sql$/);
    expect(contract).toMatch(/_rename_users_name_contract\.sql$/);
    const up = readFileSync(join(dir, 'migrations', expand!), 'utf8');
    expect(up).toContain('ADD COLUMN "full_name" text');
    expect(up).toContain('BEFORE INSERT OR UPDATE ON "public"."users" FOR EACH ROW');
    expect(up).toMatch(/--> strata:part no-transaction[\s\S]*COMMIT;/);
    const down = readFileSync(join(dir, 'migrations', contract!), 'utf8');
    expect(down).toContain('DROP COLUMN "name"');
    const meta = JSON.parse(readFileSync(join(dir, 'migrations', 'meta', contract!.replace(/\.sql$/, '.json')), 'utf8'));
    expect(meta.multiStep).toEqual({ phase: 'contract', expand: expand!.replace(/\.sql$/, '') });
  }, 300_000);

  it('migrate applies expand and holds contract; old and new code both work in the window; status and check agree', async () => {
    const r = await strata('migrate');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/held .*_contract/);
    // Every existing row was filled.
    expect((await sql<{ n: string }>(`select count(*)::text as n from public.users where full_name is distinct from name`))[0]!.n).toBe('0');
    // The old code writes only name, the new code only full_name; each fills the other.
    await sql(`insert into public.users (id, name) values (1001, 'old code')`);
    await sql(`insert into public.users (id, full_name) values (1002, 'new code')`);
    await sql(`update public.users set name = 'old update' where id = 1`);
    await sql(`update public.users set full_name = 'new update' where id = 2`);
    await sql(`update public.users set name = 'loses', full_name = 'wins' where id = 3`);
    const rows = await sql<{ id: number; name: string; full_name: string }>(`select id, name, full_name from public.users where id in (1, 2, 3, 1001, 1002) order by id`);
    expect(rows.map((x) => [x.id, x.name, x.full_name])).toEqual([
      [1, 'old update', 'old update'], [2, 'new update', 'new update'], [3, 'wins', 'wins'], [1001, 'old code', 'old code'], [1002, 'new code', 'new code'],
    ]);
    const s = await strata('status', '--json');
    const report = JSON.parse(s.stdout);
    expect(report.multiStep).toHaveLength(1);
    expect(report.multiStep[0]).toMatchObject({ phase: 'ready to contract', held: true });
    const text = await strata('status');
    expect(text.stdout).toContain('ready to contract (held)');
    const c = await strata('check');
    expect(c.code, c.stdout + c.stderr).toBe(0);
  }, 300_000);

  it('a held contract is a barrier: a later migration waits, and migrate says so', async () => {
    writeFileSync(join(dir, 'schema.ts'), USERS(`fullName: text('full_name').notNull().default(''), email: text('email')`,
      `export const teams = pgTable('teams', { id: integer('id').primaryKey() });\n`));
    expect((await strata('generate', '--name', 'teams')).code).toBe(0);
    const r = await strata('migrate');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/waiting behind it, not applied: \d+_teams/);
    expect((await sql<{ t: boolean }>(`select to_regclass('public.teams') is not null as t`))[0]!.t).toBe(false);
  }, 300_000);

  it('migrate --contract applies the contract and what waited; again, with nothing pending, exits 0', async () => {
    const r = await strata('migrate', '--contract');
    expect(r.code, r.stderr).toBe(0);
    expect(await triggers()).toBe('0');
    expect(await columns()).toBe('email:YES:-,full_name:NO:\'\'::text,id:NO:-');
    expect((await sql<{ t: boolean }>(`select to_regclass('public.teams') is not null as t`))[0]!.t).toBe(true);
    expect((await sql<{ n: string }>(`select full_name as n from public.users where id = 1002`))[0]!.n).toBe('new code');
    const again = await strata('migrate', '--contract');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('no contract migration pending');
    const s = JSON.parse((await strata('status', '--json')).stdout);
    expect(s.multiStep[0]).toMatchObject({ phase: 'contracted' });
    expect((await strata('check')).code).toBe(0);
  }, 300_000);

  it('the down migrations are exact: contract down brings name back filled, expand down removes full_name and the trigger', async () => {
    expect((await strata('rollback')).code).toBe(0); // teams
    const r = await strata('rollback');
    expect(r.code, r.stderr).toBe(0);
    expect((await sql<{ n: string }>(`select count(*)::text as n from public.users where name is distinct from full_name`))[0]!.n).toBe('0');
    expect(await triggers()).toBe('1');
    const s = JSON.parse((await strata('status', '--json')).stdout);
    expect(s.multiStep[0]).toMatchObject({ phase: 'ready to contract' });
    const back = await strata('rollback');
    expect(back.code, back.stderr).toBe(0);
    expect(await triggers()).toBe('0');
    expect(await columns()).toBe(before);
    expect((await sql<{ name: string }>(`select name from public.users where id = 1002`))[0]!.name).toBe('new code');
  }, 300_000);
});

const ORDERS = (type: 'integer' | 'bigint') =>
  `import { ${type}, integer, pgTable } from 'drizzle-orm/pg-core';\nexport const orders = pgTable('orders', { id: integer('id').primaryKey(), amount: ${type}('amount'${type === 'bigint' ? ", { mode: 'number' }" : ''}).notNull().default(0) });\n`;

// integer → bigint through the binary: generate --multi-step (no rewrite question), expand with a
// bigint shadow column, writes in the window, the swap in the contract, and both downs.
describeBackends('generate --multi-step: integer → bigint by a swap', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: 180_000 });
  const sql = rowsOf(() => tdb);
  const columns = async () => (await sql<{ c: string }>(`select string_agg(column_name || ':' || data_type || ':' || is_nullable || ':' || coalesce(column_default, '-'), ',' order by column_name) as c from information_schema.columns where table_schema = 'public' and table_name = 'orders'`))[0]!.c;

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = project(ORDERS('integer'));
    await generateAndMigrate(dir, tdb.url);
    await sql(`insert into public.orders (id, amount) select g, g * 10 from generate_series(1, 500) g`);
  }, 300_000);
  afterAll(async () => tdb?.dispose());

  it('expand, the window, the contract swap, and the downs back to integer', async () => {
    writeFileSync(join(dir, 'schema.ts'), ORDERS('bigint'));
    const g = await strata('generate', '--multi-step');
    expect(g.code, g.stderr).toBe(0);
    const m = await strata('migrate');
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toMatch(/held .*_retype_orders_amount_contract/);
    expect((await sql<{ n: string }>(`select count(*)::text as n from public.orders where amount_strata_new is distinct from amount`))[0]!.n).toBe('0');
    await sql(`insert into public.orders (id, amount) values (1001, 7)`);
    await sql(`update public.orders set amount = 8 where id = 1`);
    expect((await strata('check')).code).toBe(0);
    expect(JSON.parse((await strata('status', '--json')).stdout).multiStep[0]).toMatchObject({ phase: 'ready to contract', held: true });
    const c = await strata('migrate', '--contract');
    expect(c.code, c.stderr).toBe(0);
    expect(await columns()).toBe('amount:bigint:NO:0,id:integer:NO:-');
    await sql(`insert into public.orders (id, amount) values (1002, 5000000000)`);
    expect((await sql<{ a: string }>(`select string_agg(id || '=' || amount, ',' order by id) as a from public.orders where id in (1, 2, 1001, 1002)`))[0]!.a).toBe('1=8,2=20,1001=7,1002=5000000000');
    expect((await strata('check')).code).toBe(0);
    await sql(`delete from public.orders where id = 1002`);
    const down = await strata('rollback');
    expect(down.code, down.stderr).toBe(0);
    expect(await columns()).toBe('amount:integer:NO:0,amount_strata_new:bigint:YES:-,id:integer:NO:-');
    expect((await sql<{ n: string }>(`select count(*)::text as n from public.orders where amount_strata_new is distinct from amount`))[0]!.n).toBe('0');
    const back = await strata('rollback');
    expect(back.code, back.stderr).toBe(0);
    expect(await columns()).toBe('amount:integer:NO:0,id:integer:NO:-');
    expect((await sql<{ a: string }>(`select string_agg(id || '=' || amount, ',' order by id) as a from public.orders where id in (1, 1001)`))[0]!.a).toBe('1=8,1001=7');
  }, 900_000);
});
