import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';
import { generateAndMigrate, rowsOf, schemaProject } from './project-fixture.js';

// A renamed primary-key column that another table references. PostgreSQL refuses a foreign key to
// a column without a key, so during the window the reference stays on the old column; the contract
// builds the new key's index and proves NOT NULL while the old key holds, then drops the old key,
// attaches the new one (USING INDEX) and moves the reference, in one transaction.
const SCHEMA = (column: string) =>
  `import { integer, pgTable, text } from 'drizzle-orm/pg-core';\n` +
  `export const users = pgTable('users', { ${column}: text('${column}').primaryKey(), name: text('name') });\n` +
  `export const posts = pgTable('posts', { id: integer('id').primaryKey(), userCode: text('user_code').references(() => users.${column}) });\n`;

const keysOf = `select conname || ':' || contype::text || ':' || convalidated::text as k from pg_constraint
  where conrelid in ('public.users'::regclass, 'public.posts'::regclass) and contype in ('p', 'f') order by 1`;

describeBackends('generate --multi-step: a renamed primary-key column with a foreign key to it', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: 180_000 });
  const sql = rowsOf(() => tdb);

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = schemaProject('strata-cli-multistep-pk-', SCHEMA('code'));
    await generateAndMigrate(dir, tdb.url);
    await sql(`insert into public.users (code, name) select 'u' || g, 'user ' || g from generate_series(1, 300) g`);
    await sql(`insert into public.posts (id, user_code) values (1, 'u1'), (2, 'u2')`);
  }, 300_000);
  afterAll(async () => tdb?.dispose());

  it('expand applies, both codes write through the window, and after the contract the key and the reference are on the new column', async () => {
    writeFileSync(join(dir, 'schema.ts'), SCHEMA('handle'));
    const g = await strata('generate', '--multi-step', '--rename', 'users.code=users.handle');
    expect(g.code, g.stderr).toBe(0);
    const contract = readFileSync(join(dir, 'migrations', readdirSync(join(dir, 'migrations')).find((f) => /_contract\.sql$/.test(f))!), 'utf8');
    expect(contract.indexOf('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_pkey_strata_new"')).toBeLessThan(contract.indexOf('DROP CONSTRAINT "users_pkey"'));

    // The expand: it failed with "there is no unique constraint matching given keys" when it moved the reference.
    const expand = await strata('migrate');
    expect(expand.code, expand.stderr).toBe(0);
    expect((await sql<{ k: string }>(keysOf)).map((r) => r.k)).toEqual(['posts_pkey:p:true', 'posts_user_code_users_code_fk:f:true', 'users_pkey:p:true']);
    // The old code and the new code write; the key holds on the old column, the trigger fills the other.
    await sql(`insert into public.users (code, name) values ('old', 'from the old code')`);
    await sql(`insert into public.users (handle, name) values ('new', 'from the new code')`);
    await expect(sql(`insert into public.users (handle) values ('u1')`)).rejects.toThrow(/duplicate key/);
    await sql(`insert into public.posts (id, user_code) values (3, 'new')`);

    const c = await strata('migrate', '--contract');
    expect(c.code, c.stderr).toBe(0);
    expect((await sql<{ k: string }>(keysOf)).map((r) => r.k)).toEqual(['posts_pkey:p:true', 'posts_user_code_users_handle_fk:f:true', 'users_pkey:p:true']);
    expect((await sql<{ d: string }>(`select pg_get_constraintdef(oid) as d from pg_constraint where conname = 'users_pkey'`))[0]!.d).toBe('PRIMARY KEY (handle)');
    await expect(sql(`insert into public.users (handle) values ('old')`)).rejects.toThrow(/users_pkey/);
    await expect(sql(`insert into public.posts (id, user_code) values (4, 'nobody')`)).rejects.toThrow(/posts_user_code_users_handle_fk/);
    expect((await sql<{ n: number }>(`select count(*)::int as n from public.users`))[0]!.n).toBe(302);
    const check = await strata('check');
    expect(check.code, check.stdout + check.stderr).toBe(0);

    // The contract's down: the key and the reference back on the old column, and the contract again.
    const back = await strata('rollback');
    expect(back.code, back.stderr).toBe(0);
    expect((await sql<{ k: string }>(keysOf)).map((r) => r.k)).toEqual(['posts_pkey:p:true', 'posts_user_code_users_code_fk:f:true', 'users_pkey:p:true']);
    expect((await sql<{ d: string }>(`select pg_get_constraintdef(oid) as d from pg_constraint where conname = 'users_pkey'`))[0]!.d).toBe('PRIMARY KEY (code)');
    const again = await strata('migrate', '--contract');
    expect(again.code, again.stderr).toBe(0);
    const recheck = await strata('check');
    expect(recheck.code, recheck.stdout + recheck.stderr).toBe(0);
  }, 300_000);
});
