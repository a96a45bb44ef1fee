import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';
import { generateAndMigrate, rowsOf, schemaProject } from './project-fixture.js';

// A renamed column that carries the table's keys: a unique index whose name the code keeps, and a
// unique constraint. The expand builds both on the new column after the backfill (the new code
// finds them during the window), the contract drops the old column, so there is no moment without
// the key, and the index takes its declared name in the drop's transaction.
const USERS = (column: string, key: string) =>
  `import { integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';\n` +
  `export const users = pgTable('users', { id: integer('id').primaryKey(), ${key}: text('${column}').notNull(), code: text('${column}_code').unique() }, (t) => [uniqueIndex('users_email_idx').on(t.${key})]);\n`;

describeBackends('generate --multi-step: a renamed column with a unique index and a unique constraint', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: 180_000 });
  const sql = rowsOf(() => tdb);

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = schemaProject('strata-cli-multistep-unique-', USERS('email', 'email'));
    await generateAndMigrate(dir, tdb.url);
    await sql(`insert into public.users (id, email, email_code) select g, 'u' || g || '@example.com', 'c' || g from generate_series(1, 300) g`);
  }, 300_000);
  afterAll(async () => tdb?.dispose());

  it('the expand builds the new column\'s keys, the contract keeps the index name, and the database agrees with the code in each phase', async () => {
    writeFileSync(join(dir, 'schema.ts'), USERS('mail', 'mail'));
    const g = await strata('generate', '--multi-step', '--rename', 'users.email=users.mail', '--rename', 'users.email_code=users.mail_code');
    expect(g.code, g.stderr).toBe(0);
    const file = (phase: string) => readFileSync(join(dir, 'migrations', readdirSync(join(dir, 'migrations')).find((f) => f.endsWith(`_${phase}.sql`))!), 'utf8');
    const expand = file('expand');
    const fill = expand.indexOf('SET "mail" = "email"');
    expect(fill).toBeGreaterThanOrEqual(0);
    expect(expand.indexOf('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_email_idx_strata_new"')).toBeGreaterThan(fill);
    expect(expand.indexOf('UNIQUE USING INDEX "users_mail_code_unique"')).toBeGreaterThan(fill);
    const contract = file('contract');
    expect(contract).not.toMatch(/CREATE (UNIQUE )?INDEX/);
    expect(contract.indexOf('ALTER INDEX "public"."users_email_idx_strata_new" RENAME TO "users_email_idx"')).toBeGreaterThan(contract.indexOf('DROP COLUMN "email"'));

    expect((await strata('migrate')).code).toBe(0); // expand; contract held
    // The window: the new columns are indexed and keyed already, and the database is what the expand says.
    const window = async () => sql<{ name: string; valid: boolean }>(
      `select i.relname as name, x.indisvalid as valid from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = 'public.users'::regclass and pg_get_indexdef(x.indexrelid) ~ '\\((mail|mail_code)\\)' order by 1`,
    );
    expect((await window()).map((i) => [i.name, i.valid])).toEqual([['users_email_idx_strata_new', true], ['users_mail_code_unique', true]]);
    const inWindow = await strata('check');
    expect(inWindow.code, inWindow.stdout + inWindow.stderr).toBe(0);
    const c = await strata('migrate', '--contract');
    expect(c.code, c.stderr).toBe(0);

    const indexes = await sql<{ name: string; def: string; valid: boolean }>(
      `select i.relname as name, pg_get_indexdef(x.indexrelid) as def, x.indisvalid as valid from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = 'public.users'::regclass order by 1`,
    );
    expect(indexes.map((i) => [i.name, i.valid])).toEqual([['users_email_idx', true], ['users_mail_code_unique', true], ['users_pkey', true]]);
    expect(indexes.find((i) => i.name === 'users_email_idx')!.def).toMatch(/UNIQUE INDEX users_email_idx ON public\.users USING btree \(mail\)/);
    const constraints = await sql<{ name: string }>(`select conname as name from pg_constraint where conrelid = 'public.users'::regclass and contype = 'u'`);
    expect(constraints.map((x) => x.name)).toEqual(['users_mail_code_unique']);
    // The keys hold on the new columns.
    await expect(sql(`insert into public.users (id, mail, mail_code) values (1000, 'u1@example.com', 'new')`)).rejects.toThrow(/users_email_idx/);
    await expect(sql(`insert into public.users (id, mail, mail_code) values (1001, 'new@example.com', 'c1')`)).rejects.toThrow(/users_mail_code_unique/);
    const check = await strata('check');
    expect(check.code, check.stdout + check.stderr).toBe(0);

    // The contract's down brings the old columns and their keys back.
    const back = await strata('rollback');
    expect(back.code, back.stderr).toBe(0);
    await expect(sql(`insert into public.users (id, email, email_code) values (1002, 'u2@example.com', 'x')`)).rejects.toThrow(/duplicate key/);
    // …to the window as the expand left it: the new columns' keys built again.
    expect((await window()).map((i) => [i.name, i.valid])).toEqual([['users_email_idx_strata_new', true], ['users_mail_code_unique', true]]);
    const afterRollback = await strata('check');
    expect(afterRollback.code, afterRollback.stdout + afterRollback.stderr).toBe(0);
  }, 300_000);
});
