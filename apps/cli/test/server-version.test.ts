import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

/**
 * Version-specific SQL, end to end. NULLS NOT DISTINCT exists from PostgreSQL 15 on: a server that
 * has it builds it (PostgreSQL 15 in the quick lane, PGlite's 18, 16–18 in the compatibility run);
 * an older one (13 and 14 in the compatibility run) stops generate --url, push and migrate with
 * exit 1 naming the feature and the minimum version, before any SQL runs. Each run takes the branch
 * of the server it is given and asserts that branch's behaviour.
 */
const SCHEMA = `import { integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
export const accounts = pgTable('accounts', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  email: text('email'),
}, (t) => [unique('accounts_email_key').on(t.email).nullsNotDistinct()]);
`;

const FEATURE = 'NULLS NOT DISTINCT (PostgreSQL 15 or newer)';

describeBackends('a schema with NULLS NOT DISTINCT, on the server the run is given', (backend) => {
  let tdb: TestDatabase;
  let major: number;
  let dir: string;
  const strata = (args: string[], url = tdb.url) => runCli([...args, '--url', url], { cwd: dir });
  const accountsExists = async (db: TestDatabase) => {
    try {
      const r = await (await db.client()).query<{ n: string }>(`select count(*)::text as n from pg_class where relname = 'accounts'`);
      return r.rows[0]!.n === '1';
    } finally {
      await db.closeClient();
    }
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    const r = await (await tdb.client()).query<{ v: string }>(`select current_setting('server_version_num') as v`);
    major = Math.floor(Number(r.rows[0]!.v) / 10_000);
    await tdb.closeClient();
    dir = mkdtempSync(join(tmpdir(), 'strata-server-version-'));
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'schema.ts'), SCHEMA);
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };\n`);
  });
  afterAll(async () => tdb?.dispose());

  it('generate --url, push and migrate: built with NULLS NOT DISTINCT from 15 on, refused with exit 1 before', async () => {
    const generated = await strata(['generate', '--name', 'init']);
    if (major >= 15) {
      expect(generated.code, generated.stderr).toBe(0);
      const migrated = await strata(['migrate']);
      expect(migrated.code, migrated.stderr).toBe(0);
      const c = await tdb.client();
      const def = await c.query<{ d: string }>(`select pg_get_constraintdef(oid) as d from pg_constraint where conname = 'accounts_email_key'`);
      await tdb.closeClient();
      expect(def.rows[0]!.d).toBe('UNIQUE NULLS NOT DISTINCT (email)');
      const other = await createTestDatabase(backend);
      try {
        const pushed = await strata(['push', '--force'], other.url);
        expect(pushed.code, pushed.stderr).toBe(0);
        expect(await accountsExists(other)).toBe(true);
      } finally {
        await other.dispose();
      }
      expect((await strata(['check'])).code).toBe(0);
    } else {
      // generate knows the target version from --url: it writes nothing.
      expect(generated.code).toBe(1);
      expect(generated.stderr).toContain(`generate: PostgreSQL ${major}.`);
      expect(generated.stderr).toContain(FEATURE);
      expect(generated.stderr).toContain('unique constraint "accounts_email_key" on public.accounts');
      expect(readdirSync(dir)).not.toContain('migrations');

      // Without a server, generate writes the migration; migrate on this server refuses it.
      const offline = await runCli(['generate', '--name', 'init'], { cwd: dir });
      expect(offline.code, offline.stderr).toBe(0);
      const migrated = await strata(['migrate']);
      expect(migrated.code).toBe(1);
      expect(migrated.stderr).toMatch(/migrate: migration \d+_init: PostgreSQL \d+\.\d+ cannot express NULLS NOT DISTINCT/);
      expect(migrated.stderr).not.toContain('syntax error');
      expect(await accountsExists(tdb)).toBe(false);

      const pushed = await strata(['push', '--force']);
      expect(pushed.code).toBe(1);
      expect(pushed.stderr).toContain(`push: PostgreSQL ${major}.`);
      expect(pushed.stderr).toContain(FEATURE);
      expect(pushed.stderr).not.toContain('syntax error');
      expect(await accountsExists(tdb)).toBe(false);
    }
  }, 300_000); // four to six CLI runs in one test (minutes on a loaded machine)
});

/**
 * SQL chosen by the server's version: a changed generated expression is SET EXPRESSION on
 * PostgreSQL 17 and newer (PGlite's 18, 17 and 18 in the compatibility run) and a drop and add
 * before (15 in the quick lane, 13, 14 and 16 in the compatibility run) — in push, which knows the
 * server, and in generate --url.
 */
const GENERATED = (factor: number) => `import { sql } from 'drizzle-orm';
import { integer, pgTable } from 'drizzle-orm/pg-core';
export const totals = pgTable('totals', { a: integer('a'), g: integer('g').generatedAlwaysAs(sql\`a * ${factor}\`) });
`;

describeBackends('a changed generated expression, planned for the server the run is given', (backend) => {
  let tdb: TestDatabase;
  let major: number;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir });

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    const r = await (await tdb.client()).query<{ v: string }>(`select current_setting('server_version_num') as v`);
    major = Math.floor(Number(r.rows[0]!.v) / 10_000);
    await tdb.closeClient();
    dir = mkdtempSync(join(tmpdir(), 'strata-set-expression-'));
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'schema.ts'), GENERATED(2));
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };\n`);
  });
  afterAll(async () => tdb?.dispose());

  it('push and generate --url: SET EXPRESSION from 17 on, drop and add before; the values follow', async () => {
    expect((await strata('push', '--force')).code).toBe(0);
    expect((await strata('generate', '--name', 'init')).code).toBe(0);
    const c = await tdb.client();
    await c.exec(`insert into totals (a) values (4)`);
    await tdb.closeClient();
    writeFileSync(join(dir, 'schema.ts'), GENERATED(3));

    const inPlace = /^ALTER TABLE "public"\."totals" ALTER COLUMN "g" SET EXPRESSION AS \(a \* 3\);$/m;
    const dropAdd = /^ALTER TABLE "public"\."totals" DROP COLUMN "g";$/m;
    const plan = await strata('push', '--dry-run', '--json');
    expect(plan.code, plan.stderr).toBe(0);
    const sql = (JSON.parse(plan.stdout) as { sql: string }).sql;
    expect(sql).toMatch(major >= 17 ? inPlace : dropAdd);
    expect(sql).not.toMatch(major >= 17 ? dropAdd : inPlace);

    const generated = await strata('generate', '--name', 'triple', '--unsafe-plans');
    expect(generated.code, generated.stderr).toBe(0);
    const up = readFileSync(join(dir, 'migrations', readdirSync(join(dir, 'migrations')).find((f) => /_triple\.sql$/.test(f))!), 'utf8');
    expect(up).toMatch(major >= 17 ? inPlace : dropAdd);
    // The meta file records a statement only newer servers run, for migrate to check.
    const metaFile = readdirSync(join(dir, 'migrations', 'meta')).find((f) => /_triple\.json$/.test(f))!;
    const meta = JSON.parse(readFileSync(join(dir, 'migrations', 'meta', metaFile), 'utf8')) as { serverFeatures?: unknown };
    if (major >= 17) expect(meta.serverFeatures).toEqual([{ feature: 'ALTER COLUMN … SET EXPRESSION', minMajor: 17, object: 'column "g" of public.totals' }]);
    else expect(meta.serverFeatures).toBeUndefined();

    // The same folder on the other backend's server: refused before anything runs when it is
    // older than the SQL needs, applied when it can run it.
    const other = await createTestDatabase(backend === 'pglite' ? 'postgres' : 'pglite');
    try {
      const oc = await other.client();
      const otherMajor = Math.floor(Number((await oc.query<{ v: string }>(`select current_setting('server_version_num') as v`)).rows[0]!.v) / 10_000);
      await other.closeClient();
      const migrated = await runCli(['migrate', '--url', other.url], { cwd: dir });
      const totalsThere = async () => {
        const q = await (await other.client()).query<{ n: number }>(`select count(*)::int as n from pg_tables where tablename = 'totals'`);
        await other.closeClient();
        return q.rows[0]!.n === 1;
      };
      if (major >= 17 && otherMajor < 17) {
        expect(migrated.code).toBe(1);
        expect(migrated.stderr).toMatch(/migrate: migration \d+_triple: PostgreSQL [\d.]+ cannot express ALTER COLUMN … SET EXPRESSION \(PostgreSQL 17 or newer\), used by column "g" of public\.totals/);
        expect(migrated.stderr).toContain('generate the migration again without --url');
        expect(migrated.stderr).not.toContain('syntax error');
        // Not even the first migration ran: the check comes before anything.
        expect(await totalsThere()).toBe(false);
      } else {
        expect(migrated.code, migrated.stderr).toBe(0);
        expect(await totalsThere()).toBe(true);
      }
    } finally {
      await other.dispose();
    }

    const pushed = await strata('push', '--force', '--unsafe-plans');
    expect(pushed.code, pushed.stderr).toBe(0);
    const after = await tdb.client();
    expect((await after.query(`select a, g from totals`)).rows).toEqual([{ a: 4, g: 12 }]);
    await tdb.closeClient();
    expect((await strata('push', '--dry-run')).stdout).toContain('the database already matches the schema code');
  }, 300_000); // several CLI runs: generous on a loaded machine
});
