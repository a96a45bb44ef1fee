import { afterAll, beforeAll, expect, it as vitestIt } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

const SCHEMA = (columns: string, extras = '') => `import { index, integer, pgTable, serial, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

export const items = pgTable('items', {
  id: serial('id').primaryKey(),
${columns}
}, (t) => [${extras}]);
`;
const BEFORE = `  n: integer('n'),\n  code: varchar('code', { length: 10 }),\n  email: text('email'),`;
const SAFE = `  n: integer('n'),\n  code: varchar('code', { length: 10 }),\n  email: text('email').notNull(),\n  token: uuid('token').notNull().defaultRandom(),`;
const SAFE_EXTRAS = `index('items_email_idx').on(t.email), uniqueIndex('items_code_idx').on(t.code)`;

/** Several CLI runs per test on a shared two-core machine: more than the default minute. */
const it = (name: string, fn: () => Promise<void>) => vitestIt(name, fn, 240_000);

describeBackends('lock-safe plans through the CLI', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: 120_000 });
  const migrationFiles = () => readdirSync(join(dir, 'migrations')).filter((f) => f.endsWith('.sql')).sort();
  const writeSchema = (columns: string, extras = '') => writeFileSync(join(dir, 'schema.ts'), SCHEMA(columns, extras));
  const sql = async <T>(text: string): Promise<T[]> => {
    const c = await tdb.client();
    try {
      return (await c.query(text)).rows as T[];
    } finally {
      await tdb.closeClient();
    }
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = mkdtempSync(join(tmpdir(), 'strata-plans-'));
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };\n`);
    writeSchema(BEFORE);
    expect((await strata('push', '--force')).code).toBe(0);
    await sql(`insert into items (n, code, email) select i, 'c' || i, 'u' || i || '@example.com' from generate_series(1, 2000) i`);
  });
  afterAll(async () => {
    await tdb?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('generate writes ONE migration split into parts, says which recipe it used and why', async () => {
    expect((await strata('generate', '--name', 'init')).code).toBe(0);
    writeSchema(SAFE, SAFE_EXTRAS);
    const r = await strata('generate', '--name', 'safe');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(migrationFiles()).toEqual([expect.stringMatching(/_init\.down\.sql$/), expect.stringMatching(/_init\.sql$/), expect.stringMatching(/_safe\.down\.sql$/), expect.stringMatching(/_safe\.sql$/)]);
    const up = readFileSync(join(dir, 'migrations', migrationFiles()[3]!), 'utf8');
    expect(up).toContain('\n--> strata:part no-transaction\n');
    expect(up).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS "items_email_idx" ON "public"."items" USING btree ("email");');
    expect(up).toContain('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "items_code_idx" ON "public"."items" USING btree ("code");');
    expect(up).toMatch(/-- lock-safe \(not-null-via-check\): "public"\."items"\."email" gets a CHECK/);
    expect(up).toMatch(/SET "token" = DEFAULT WHERE ctid >= /);
    expect(r.stdout).toContain('lock-safe plans:');
    expect(r.stdout).toMatch(/= backfill-in-batches: "public"\."items"\."token" has a volatile default/);
    expect(r.stdout).toMatch(/_safe {2}\(\d parts\)/);
  });

  it('push applies the same recipes: the database ends as the code says, rows kept and filled, no INVALID index or leftover check', async () => {
    const r = await strata('push', '--force');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await strata('push', '--dry-run')).stdout).toContain('the database already matches the schema code');
    expect(await sql(`select count(*)::int as n, count(distinct token)::int as tokens from items`)).toEqual([{ n: 2000, tokens: 2000 }]);
    expect(await sql(`select count(*)::int as invalid from pg_index where not indisvalid`)).toEqual([{ invalid: 0 }]);
    expect(await sql(`select count(*)::int as left from pg_constraint where conname like '%strata_not_null'`)).toEqual([{ left: 0 }]);
  });

  it('a type change that rewrites a table: generate stops with exit 2 without a terminal, naming both answers; --unsafe-plans writes it', async () => {
    const before = migrationFiles();
    writeSchema(SAFE.replace("n: integer('n')", "n: text('n')"), SAFE_EXTRAS);
    const r = await strata('generate', '--name', 'widen');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/changing "public"\."items"\."n" from integer to text rewrites "public"\."items" and its indexes, blocking writes for the whole rewrite/);
    expect(r.stderr).toContain('--unsafe-plans');
    expect(r.stderr).toContain('--multi-step');
    expect(migrationFiles()).toEqual(before);
    const plain = await strata('generate', '--name', 'widen', '--unsafe-plans');
    expect(plain.code).toBe(0);
    expect(migrationFiles()).toHaveLength(before.length + 2);
  });

  it('push asks before a rewrite like before data loss: exit 2 without a terminal, applied with --force', async () => {
    const r = await strata('push');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/push would rewrite a table that already exists, blocking every write to it/);
    expect(r.stderr).toContain('--force');
    expect((await strata('push', '--force')).code).toBe(0);
    expect(await sql(`select format_type(atttypid, atttypmod) as t from pg_attribute where attrelid = 'items'::regclass and attname = 'n'`)).toEqual([{ t: 'text' }]);
  });

  it('the config key unsafePlans writes plain statements; a binary-coercible change is one statement and asks nothing', async () => {
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations', unsafePlans: true };\n`);
    writeSchema(SAFE.replace("n: integer('n')", "n: text('n')").replace("{ length: 10 }", '{ length: 20 }'), `${SAFE_EXTRAS}, index('items_n_idx').on(t.n)`);
    const r = await strata('generate', '--name', 'plain');
    expect(r.code).toBe(0);
    const up = readFileSync(join(dir, 'migrations', migrationFiles().find((f) => f.endsWith('_plain.sql'))!), 'utf8');
    expect(up).not.toContain('strata:part');
    expect(up).toContain('ALTER TABLE "public"."items" ALTER COLUMN "code" TYPE character varying(20) USING "code"::character varying(20);');
    expect(up).toContain('CREATE INDEX "items_n_idx" ON "public"."items" USING btree ("n");');
  });
});
