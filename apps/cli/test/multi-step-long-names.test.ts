import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';
import { generateAndMigrate, rowsOf, schemaProject } from './project-fixture.js';

// 54 bytes: `strata_fit_<table>_<column>` is over 63 bytes for every column, and the same for both once cut.
const TABLE = 'customer_subscription_billing_history_entries_archived';
// Two columns sharing their first 52 bytes: `<column>_strata_new` (the shadow) is the same for both once cut.
const P = 'quantity_reported_by_the_customer_in_original_order';
const QTY = `${P}_qty`;
const CODE = `${P}_code`;

const SCHEMA = (changed: boolean) => changed
  ? `import { integer, pgTable, varchar } from 'drizzle-orm/pg-core';\n` +
    `export const t = pgTable('${TABLE}', { id: integer('id').primaryKey(), qty: integer('${QTY}'), code: varchar('${CODE}', { length: 20 }) });\n`
  : `import { integer, pgTable, text } from 'drizzle-orm/pg-core';\n` +
    `export const t = pgTable('${TABLE}', { id: integer('id').primaryKey(), qty: text('${QTY}'), code: text('${CODE}') });\n`;

// Two guarded type changes of long-named columns on one long-named table: each gets its own fit
// function and its own shadow column. Cut to 63 bytes alone, both fit functions had one name (the
// second, text → varchar, could not replace the first, text → integer) and so had both shadows.
describeBackends('generate --multi-step on a table whose helper names are over 63 bytes', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: 180_000 });
  const sql = rowsOf(() => tdb);

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = schemaProject('strata-cli-multistep-long-', SCHEMA(false));
    await generateAndMigrate(dir, tdb.url);
    await sql(`insert into public."${TABLE}" ("id", "${QTY}", "${CODE}") select g, g::text, 'c' || g from generate_series(1, 50) g`);
  }, 300_000);
  afterAll(async () => tdb?.dispose());

  it('expand creates two fit functions of at most 63 bytes, the window converts each column through its own, contract swaps both in', async () => {
    writeFileSync(join(dir, 'schema.ts'), SCHEMA(true));
    const g = await strata('generate', '--multi-step', '--name', 'retype');
    expect(g.code, g.stderr).toBe(0);
    const m = await strata('migrate');
    expect(m.code, m.stderr).toBe(0);
    const fits = await sql<{ proname: string; ret: string }>(`select proname, pg_get_function_result(oid) as ret from pg_proc where proname like 'strata_fit_%' order by ret`);
    expect(fits.map((f) => f.ret)).toEqual(['character varying', 'integer']);
    expect(new Set(fits.map((f) => f.proname)).size).toBe(2);
    for (const f of fits) expect(Buffer.byteLength(f.proname)).toBeLessThanOrEqual(63);
    // The old code writes text; each shadow gets its own column's conversion.
    await sql(`insert into public."${TABLE}" ("id", "${QTY}", "${CODE}") values (51, '7', 'x51')`);
    const c = await strata('migrate', '--contract');
    expect(c.code, c.stderr).toBe(0);
    const types = await sql<{ c: string }>(`select string_agg(column_name || ':' || udt_name, ',' order by column_name) as c from information_schema.columns where table_schema = 'public' and table_name = '${TABLE}'`);
    expect(types[0]!.c).toBe(`id:int4,${CODE}:varchar,${QTY}:int4`);
    const rows = await sql<{ n: number; total: number; x51: string }>(`select count(*)::int as n, sum("${QTY}")::int as total, max("${CODE}") filter (where id = 51) as x51 from public."${TABLE}"`);
    expect(rows[0]).toEqual({ n: 51, total: (50 * 51) / 2 + 7, x51: 'x51' });
    expect(await sql(`select 1 from pg_proc where proname like 'strata_fit_%' or proname like 'strata_sync_%'`)).toHaveLength(0);
  }, 300_000);
});
