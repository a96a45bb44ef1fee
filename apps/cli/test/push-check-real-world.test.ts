import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';
import { rowsOf, schemaProject } from './project-fixture.js';

/** A table in a schema the database does not have yet (issue 15, defect 1). */
const SCHEMA = `import { integer, pgSchema } from 'drizzle-orm/pg-core';
export const billing = pgSchema('billing');
export const t = billing.table('t', { id: integer('id').primaryKey() });
`;

describeBackends('push and check on a database that lacks a schema the code declares', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir });
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = mkdtempSync(join(tmpdir(), 'strata-missing-schema-'));
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'schema.ts'), SCHEMA);
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './out' };\n`);
  });
  afterAll(async () => tdb?.dispose());

  it('plans CREATE SCHEMA, pushes, then finds nothing to do', async () => {
    const dry = await strata('push', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout) as { sql: string; summary: string[] };
    expect(plan.sql).toMatch(/^CREATE SCHEMA "billing";$/m);
    expect(plan.sql.indexOf('CREATE SCHEMA "billing"')).toBeLessThan(plan.sql.indexOf('CREATE TABLE "billing"."t"'));
    const pushed = await strata('push', '--force');
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    expect((await strata('push', '--dry-run')).stdout).toContain('the database already matches the schema code');
  }, 300_000); // several CLI runs each: generous on a loaded machine

  it('check reports a declared schema the database lacks', async () => {
    await tdb.closeClient();
    const db = await tdb.client();
    await db.exec('drop schema if exists billing cascade');
    await tdb.closeClient();
    expect((await strata('generate', '--name', 'init')).code).toBe(0);
    expect((await strata('baseline')).code).toBe(0);
    const r = await strata('check', '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { problems: { kind: string; message: string }[] };
    expect(report.problems.filter((p) => p.kind === 'drift').map((p) => p.message)).toEqual(
      expect.arrayContaining(['schema "billing": dropped by hand', 'table "billing"."t": dropped by hand']),
    );
    expect((await strata('push', '--force')).code).toBe(0);
    expect((await strata('check')).code).toBe(0);
  }, 300_000); // several CLI runs each: generous on a loaded machine
});

/** A default naming a sequence inside a string literal, schema-qualified (issue 15, defect 2). */
const SEQUENCE_SCHEMA = `import { sql } from 'drizzle-orm';
import { bigint, pgSequence, pgTable, text } from 'drizzle-orm/pg-core';
export const invoiceNumbers = pgSequence('invoice_numbers');
export const invoices = pgTable('invoices', {
  number: bigint('number', { mode: 'number' }).notNull().default(sql\`nextval('public.invoice_numbers')\`),
  previous: bigint('previous', { mode: 'number' }).default(sql\`currval('public.invoice_numbers'::regclass)\`),
  note: text('note').default('public.invoice_numbers'),
});
`;

describeBackends('push with a sequence named inside a string literal', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir });
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = mkdtempSync(join(tmpdir(), 'strata-literal-seq-'));
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'schema.ts'), SEQUENCE_SCHEMA);
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './out' };\n`);
  });
  afterAll(async () => tdb?.dispose());

  it('pushes onto an empty database, then finds nothing to do; check agrees after generate', async () => {
    const pushed = await strata('push', '--force');
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    expect((await strata('push', '--dry-run')).stdout).toContain('the database already matches the schema code');
    expect((await strata('generate', '--name', 'init')).code).toBe(0);
    expect((await strata('baseline')).code).toBe(0);
    const checked = await strata('check');
    expect(checked.stdout).toContain('in sync');
    expect(checked.code).toBe(0);
  }, 300_000); // several CLI runs each: generous on a loaded machine
});

/** drizzle-kit's SQL for `text('id').primaryKey().unique()` (issue 15, defect 8). */
const PK_UNIQUE_SCHEMA = `import { integer, pgTable, text } from 'drizzle-orm/pg-core';
export const accounts = pgTable('accounts', { id: text('id').primaryKey().unique(), n: integer('n') });
`;
const DRIZZLE_KIT_SQL = `CREATE TABLE "accounts" ("id" text PRIMARY KEY NOT NULL, "n" integer, CONSTRAINT "accounts_id_unique" UNIQUE("id"))`;

describeBackends('adopting a drizzle-kit database with a primary key that is also unique', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir });
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    const db = await tdb.client();
    await db.exec(DRIZZLE_KIT_SQL);
    await tdb.closeClient();
    dir = mkdtempSync(join(tmpdir(), 'strata-pk-unique-'));
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'schema.ts'), PK_UNIQUE_SCHEMA);
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './out' };\n`);
  });
  afterAll(async () => tdb?.dispose());

  it('push finds nothing to do; after generate and baseline, check is clean', async () => {
    const db = await tdb.client();
    // what PostgreSQL made of it: one primary key, named like the unique constraint
    expect((await db.query(`select conname, contype from pg_constraint where conrelid = 'accounts'::regclass and contype in ('p', 'u')`)).rows).toEqual([{ conname: 'accounts_id_unique', contype: 'p' }]);
    await tdb.closeClient();
    expect((await strata('push', '--dry-run')).stdout).toContain('the database already matches the schema code');
    expect((await strata('generate', '--name', 'init')).code).toBe(0);
    expect((await strata('baseline')).code).toBe(0);
    const checked = await strata('check', '--json');
    expect(JSON.parse(checked.stdout)).toMatchObject({ ok: true, problems: [] });
    expect(checked.code).toBe(0);
  }, 300_000); // several CLI runs each: generous on a loaded machine

  it('still reports a real difference on that table', async () => {
    const db = await tdb.client();
    await db.exec('alter table accounts add column by_hand text');
    await tdb.closeClient();
    const checked = await strata('check', '--json');
    expect(checked.code).toBe(1);
    const problems = (JSON.parse(checked.stdout) as { problems: { kind: string; message: string }[] }).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'drift', message: expect.stringMatching(/by_hand.*: added by hand$/) });
  }, 300_000); // several CLI runs each: generous on a loaded machine
});

describeBackends('a primary key that is also unique, built by Strata', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir });
  const sql = rowsOf(() => tdb);
  const keys = () => sql(`select conname, contype from pg_constraint where conrelid = 'accounts'::regclass and contype in ('p', 'u') order by conname`);
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = schemaProject('strata-pk-unique-built-', PK_UNIQUE_SCHEMA);
  });
  afterAll(async () => tdb?.dispose());

  it('push builds the one primary key drizzle-kit’s CREATE TABLE leaves; dropping .unique() renames it and keeps the key', async () => {
    expect((await strata('push', '--force')).code).toBe(0);
    expect(await keys()).toEqual([{ conname: 'accounts_id_unique', contype: 'p' }]);
    expect((await strata('push', '--dry-run')).stdout).toContain('the database already matches the schema code');
    writeFileSync(join(dir, 'schema.ts'), PK_UNIQUE_SCHEMA.replace('.primaryKey().unique()', '.primaryKey()'));
    const plan = await strata('push', '--dry-run', '--json');
    expect((JSON.parse(plan.stdout) as { sql: string }).sql).not.toMatch(/DROP CONSTRAINT/);
    expect((await strata('push', '--force')).code).toBe(0);
    expect(await keys()).toEqual([{ conname: 'accounts_pkey', contype: 'p' }]);
  }, 300_000); // several CLI runs each: generous on a loaded machine
});

describeBackends('objects made by a custom migration (issue 15, defect 9)', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir });
  const config = (extra = '') => writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './out'${extra} };\n`);
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = mkdtempSync(join(tmpdir(), 'strata-owned-'));
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'schema.ts'), `import { integer, pgTable } from 'drizzle-orm/pg-core';\nexport const users = pgTable('users', { id: integer('id').primaryKey() });\n`);
    config();
  });
  afterAll(async () => tdb?.dispose());

  it('check names the migration that made an object; ownedBySql makes check, push and drop leave it alone', async () => {
    expect((await strata('generate', '--name', 'init')).code).toBe(0);
    expect((await strata('generate', '--custom', '--name', 'audit')).code).toBe(0);
    const custom = readdirSync(join(dir, 'out')).find((f) => /_audit\.sql$/.test(f))!;
    writeFileSync(join(dir, 'out', custom), 'CREATE TABLE audit_log (id integer, at timestamptz DEFAULT now());\n');
    expect((await strata('hash')).code).toBe(0);
    expect((await strata('migrate')).code).toBe(0);

    const blamed = await strata('check', '--json');
    expect(blamed.code).toBe(1);
    const problems = (JSON.parse(blamed.stdout) as { problems: { kind: string; message: string }[] }).problems;
    expect(problems).toEqual([{ kind: 'drift', change: expect.any(String), message: expect.stringContaining(`made by migration ${custom.replace(/\.sql$/, '')}`) }]);
    expect(problems[0]!.message).toContain('audit_log');
    expect(problems[0]!.message).not.toContain('by hand');

    config(`, ownedBySql: ['public.audit_*']`);
    const clean = await strata('check');
    expect(clean.stdout).toContain('in sync');
    expect(clean.code).toBe(0);
    expect((await strata('push', '--dry-run')).stdout).toContain('the database already matches the schema code');
    expect((await strata('drop', '--force')).code).toBe(0);
    const db = await tdb.client();
    const left = await db.query<{ t: string }>(`select table_name as t from information_schema.tables where table_schema = 'public' order by 1`);
    await tdb.closeClient();
    expect(left.rows).toEqual([{ t: 'audit_log' }]);
  }, 300_000); // several CLI runs each: generous on a loaded machine
});
