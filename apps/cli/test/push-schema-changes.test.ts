import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';
import { rowsOf, schemaProject } from './project-fixture.js';

const V1 = `import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
export const t = pgTable('t', { id: integer('id').primaryKey(), a: text('a'), j: jsonb('j') }, (t) => [index('t_a_idx').on(t.a)]);
`;
/** The index of a table that exists changed (method, opclass, predicate) and one added: the plan starts outside a transaction. */
const V2 = `import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
export const t = pgTable('t', { id: integer('id').primaryKey(), a: text('a'), j: jsonb('j') }, (t) => [
  index('t_a_idx').using('btree', t.a.op('text_pattern_ops')).where(sql\`\${t.a} is not null\`),
  index('t_j_idx').using('gin', t.j.op('jsonb_path_ops')),
]);
`;

describeBackends('push of an index change on a table that exists', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: 180_000 });
  const sql = rowsOf(() => tdb);
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = schemaProject('strata-push-index-', V1);
  });
  afterAll(async () => tdb?.dispose());

  it('drops and builds the indexes CONCURRENTLY outside a transaction, keeps the rows, then finds nothing to do', async () => {
    expect((await strata('push', '--force')).code).toBe(0);
    await sql(`insert into t values (1, 'x', '{"k": 1}')`);
    writeFileSync(join(dir, 'schema.ts'), V2);
    const plan = JSON.parse((await strata('push', '--dry-run', '--json')).stdout) as { sql: string };
    expect(plan.sql).toMatch(/^-- strata:no-transaction\n/);
    expect(plan.sql).toContain('DROP INDEX CONCURRENTLY IF EXISTS "public"."t_a_idx"');
    const pushed = await strata('push', '--force');
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    expect(await sql(`select c.relname as name, pg_get_indexdef(i.indexrelid) as def, i.indisvalid as valid
      from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = 'public.t'::regclass and not i.indisprimary order by 1`)).toEqual([
      { name: 't_a_idx', def: 'CREATE INDEX t_a_idx ON public.t USING btree (a text_pattern_ops) WHERE (a IS NOT NULL)', valid: true },
      { name: 't_j_idx', def: 'CREATE INDEX t_j_idx ON public.t USING gin (j jsonb_path_ops)', valid: true },
    ]);
    expect(await sql('select id, a from t')).toEqual([{ id: 1, a: 'x' }]);
    expect((await strata('push', '--dry-run')).stdout).toContain('the database already matches the schema code');
  }, 300_000); // several CLI runs each: generous on a loaded machine
});

const inSchema = (name: string) => `import { pgSchema, serial, text } from 'drizzle-orm/pg-core';
export const s = pgSchema('${name}');
export const kind = s.enum('kind', ['x', 'y']);
export const t = s.table('t', { id: serial('id').primaryKey(), k: kind('k').default('x'), note: text('note') });
`;

describeBackends('push of a schema renamed in the code', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: 180_000 });
  const sql = rowsOf(() => tdb);
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = schemaProject('strata-push-schema-rename-', inSchema('billing'));
  });
  afterAll(async () => tdb?.dispose());

  it('--rename old=new renames the schema the code no longer declares, keeping its rows; then nothing to do', async () => {
    expect((await strata('push', '--force')).code).toBe(0);
    await sql(`insert into billing.t (k, note) values ('y', 'kept')`);
    writeFileSync(join(dir, 'schema.ts'), inSchema('invoicing'));
    const pushed = await strata('push', '--rename', 'billing=invoicing');
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toContain('ALTER SCHEMA "billing" RENAME TO "invoicing"');
    expect(await sql(`select nspname from pg_namespace where nspname in ('billing', 'invoicing')`)).toEqual([{ nspname: 'invoicing' }]);
    expect(await sql('select id, k::text as k, note from invoicing.t')).toEqual([{ id: 1, k: 'y', note: 'kept' }]);
    expect((await strata('push', '--dry-run')).stdout).toContain('the database already matches the schema code');
  }, 300_000); // several CLI runs each: generous on a loaded machine
});
