import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

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
  });

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
  });
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
  });
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
    expect((await db.query(`select conname, contype from pg_constraint where conrelid = 'accounts'::regclass`)).rows).toEqual([{ conname: 'accounts_id_unique', contype: 'p' }]);
    await tdb.closeClient();
    expect((await strata('push', '--dry-run')).stdout).toContain('the database already matches the schema code');
    expect((await strata('generate', '--name', 'init')).code).toBe(0);
    expect((await strata('baseline')).code).toBe(0);
    const checked = await strata('check', '--json');
    expect(JSON.parse(checked.stdout)).toMatchObject({ ok: true, problems: [] });
    expect(checked.code).toBe(0);
  });

  it('still reports a real difference on that table', async () => {
    const db = await tdb.client();
    await db.exec('alter table accounts add column by_hand text');
    await tdb.closeClient();
    const checked = await strata('check', '--json');
    expect(checked.code).toBe(1);
    const problems = (JSON.parse(checked.stdout) as { problems: { kind: string; message: string }[] }).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'drift', message: expect.stringMatching(/by_hand.*: added by hand$/) });
  });
});
