import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';
import { generateAndMigrate, rowsOf, schemaProject } from './project-fixture.js';

const USERS = (added: boolean) =>
  `import { integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';\n` +
  `export const users = pgTable('users', { id: integer('id').primaryKey(), name: text('name')${added ? `, token: uuid('token').notNull().defaultRandom(), plan: text('plan').notNull().default('free')` : ''} });\n`;

const project = (schema: string) => schemaProject('strata-cli-multistep-notnull-', schema);

// New NOT NULL columns with a default on a table that holds rows, through the binary: expand adds
// them nullable (the volatile default filled in batches), the old code keeps inserting, contract
// makes them NOT NULL by the check recipe (and stops, naming the row, on a NULL), exact downs.
describeBackends('generate --multi-step: a new NOT NULL column with a default', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: 180_000 });
  const sql = rowsOf(() => tdb);
  const columns = async () => (await sql<{ c: string }>(`select string_agg(column_name || ':' || is_nullable || ':' || coalesce(column_default, '-'), ',' order by column_name) as c from information_schema.columns where table_schema = 'public' and table_name = 'users'`))[0]!.c;
  const checks = async () => (await sql<{ n: string }>(`select count(*)::text as n from pg_constraint where conrelid = 'public.users'::regclass and contype = 'c'`))[0]!.n;
  const upFiles = () => readdirSync(join(dir, 'migrations')).filter((f) => f.endsWith('.sql') && !f.endsWith('.down.sql')).sort();
  let before: string;

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = project(USERS(false));
    await generateAndMigrate(dir, tdb.url);
    await sql(`insert into public.users (id, name) select g, 'user ' || g from generate_series(1, 2000) g`);
    before = await columns();
  }, 300_000);
  afterAll(async () => tdb?.dispose());

  it('expand adds the columns nullable and fills the volatile one in batches; the old code keeps inserting', async () => {
    writeFileSync(join(dir, 'schema.ts'), USERS(true));
    const g = await strata('generate', '--multi-step', '--name', 'add_token');
    expect(g.code, g.stderr).toBe(0);
    const [expand, contract] = upFiles().slice(-2);
    expect(expand).toMatch(/_add_token_expand\.sql$/);
    expect(contract).toMatch(/_add_token_contract\.sql$/);
    expect(readFileSync(join(dir, 'migrations', expand!), 'utf8')).toMatch(/--> strata:part no-transaction[\s\S]*SET "token" = gen_random_uuid\(\)[\s\S]*COMMIT;/);
    const m = await strata('migrate');
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toMatch(/held .*_add_token_contract/);
    expect(await columns()).toBe(`id:NO:-,name:YES:-,plan:YES:'free'::text,token:YES:gen_random_uuid()`);
    const filled = await sql<{ n: string; d: string; p: string }>(`select count(*)::text as n, count(distinct token)::text as d, count(*) filter (where plan = 'free')::text as p from public.users where token is not null`);
    expect(filled[0]).toEqual({ n: '2000', d: '2000', p: '2000' });
    // The old code does not know the columns: its rows get the defaults.
    await sql(`insert into public.users (id, name) values (5001, 'old code')`);
    expect((await sql<{ ok: boolean }>(`select token is not null and plan = 'free' as ok from public.users where id = 5001`))[0]!.ok).toBe(true);
    expect(JSON.parse((await strata('status', '--json')).stdout).multiStep[0]).toMatchObject({ phase: 'ready to contract', held: true });
    expect((await strata('check')).code).toBe(0);
  }, 300_000);

  it('contract makes them NOT NULL by the check recipe: a NULL left in the window stops it (naming it, nothing changed), then it goes through', async () => {
    await sql(`update public.users set token = null where id = 7`);
    const stopped = await strata('migrate', '--contract');
    expect(stopped.code).not.toBe(0);
    expect(stopped.stderr).toContain('cannot make column "token" of table "public"."users" NOT NULL');
    expect(await columns()).toContain('token:YES:');
    await sql(`update public.users set token = gen_random_uuid() where id = 7`);
    const c = await strata('migrate', '--contract');
    expect(c.code, c.stderr).toBe(0);
    expect(await columns()).toBe(`id:NO:-,name:YES:-,plan:NO:'free'::text,token:NO:gen_random_uuid()`);
    expect(await checks()).toBe('0');
    expect((await strata('check')).code).toBe(0);
    expect(JSON.parse((await strata('status', '--json')).stdout).multiStep[0]).toMatchObject({ phase: 'contracted' });
  }, 300_000);

  it('the downs are exact: contract down makes them nullable again, expand down removes them', async () => {
    const down = await strata('rollback');
    expect(down.code, down.stderr).toBe(0);
    expect(await columns()).toBe(`id:NO:-,name:YES:-,plan:YES:'free'::text,token:YES:gen_random_uuid()`);
    const back = await strata('rollback');
    expect(back.code, back.stderr).toBe(0);
    expect(await columns()).toBe(before);
    expect(await checks()).toBe('0');
  }, 300_000);
});
