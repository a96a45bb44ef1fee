import { afterEach, beforeEach, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPgliteClient } from '@strata/db';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';
import { rowsOf, schemaProject } from './project-fixture.js';

// Extension tests run on PGlite (which ships pgvector and citext) and Debian's PostgreSQL 15 (given
// pgvector by scripts/system-deps.mjs); the compatibility servers from npm have no pgvector.

const USERS = `import { pgTable, serial, text, vector, halfvec, sparsevec, bit, index, customType } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { id: serial('id').primaryKey(), name: text('name') });
`;

/** pgvector's four column types, citext through customType, and HNSW/IVFFlat indexes with options. */
const DOCS = `${USERS}
const citext = customType<{ data: string }>({ dataType() { return 'citext'; } });
export const docs = pgTable('docs', {
  id: serial('id').primaryKey(),
  email: citext('email'),
  embedding: vector('embedding', { dimensions: 3 }),
  half: halfvec('half', { dimensions: 4 }),
  sparse: sparsevec('sparse', { dimensions: 5 }),
  bits: bit('bits', { dimensions: 8 }),
}, (t) => [
  index('docs_embedding_idx').using('hnsw', t.embedding.op('vector_cosine_ops')).with({ m: 16, ef_construction: 64 }),
  index('docs_half_idx').using('ivfflat', t.half.op('halfvec_l2_ops')).with({ lists: 100 }),
]);
`;

const cli = (dir: string, args: string[]) => runCli(args, { cwd: dir, timeoutMs: 180_000 });
/** The end-to-end tests run the CLI many times; on PGlite each run opens the database afresh. */
const CLI_STEPS_MS = 300_000;
const newest = (dir: string, suffix: string) => join(dir, 'migrations', readdirSync(join(dir, 'migrations')).filter((f) => f.endsWith(suffix)).sort().at(-1)!);

/** A custom migration that creates (and its down drops) the extensions, as drizzle-kit projects write it. */
async function extensionMigration(dir: string, url: string | null, statements: string, down = ''): Promise<void> {
  const g = await cli(dir, ['generate', '--custom', '--name', 'extensions']);
  expect(g.code, g.stderr).toBe(0);
  writeFileSync(newest(dir, '_extensions.sql'), statements);
  writeFileSync(newest(dir, '_extensions.down.sql'), down);
  const h = await cli(dir, ['hash']);
  expect(h.code, h.stderr).toBe(0);
  if (url !== null) {
    const m = await cli(dir, ['migrate', '--url', url]);
    expect(m.code, m.stderr).toBe(0);
  }
}

it('generate --custom says when the schema code has changes no migration made yet, which the custom migration then records as made', async () => {
  const dir = schemaProject('strata-ext-custom-', USERS);
  expect((await cli(dir, ['generate', '--name', 'users'])).code).toBe(0);
  // Nothing pending: no warning.
  const clean = await cli(dir, ['generate', '--custom', '--name', 'extensions']);
  expect(clean.code, clean.stderr).toBe(0);
  expect(clean.stdout + clean.stderr).not.toContain('no migration has made yet');
  // The vector table written first, the extension's migration after: the table is now its job.
  writeFileSync(join(dir, 'schema.ts'), DOCS);
  const late = await cli(dir, ['generate', '--custom', '--name', 'late_extensions', '--json']);
  expect(late.code, late.stderr).toBe(0);
  const report = JSON.parse(late.stdout) as { summary: string[]; warnings: string[] };
  expect(report.warnings).toEqual([expect.stringContaining('the schema code has changes no migration has made yet; this custom migration records them as made')]);
  expect(report.summary).toContain('  + table "public"."docs"');
});

describeBackends('pgvector and citext, end to end', (backend) => {
  let tdb: TestDatabase;
  const sql = rowsOf(() => tdb);
  beforeEach(async () => {
    tdb = await createTestDatabase(backend);
  });
  afterEach(async () => tdb?.dispose());

  it('generate, migrate, check, generate again, push, pull, drop and rollback work with the extensions a custom migration creates', async () => {
    const dir = schemaProject('strata-ext-', USERS);
    expect((await cli(dir, ['generate', '--name', 'users'])).code).toBe(0);
    await extensionMigration(dir, null, 'CREATE EXTENSION IF NOT EXISTS vector;\nCREATE EXTENSION IF NOT EXISTS citext;\n', 'DROP EXTENSION citext;\nDROP EXTENSION vector;\n');
    writeFileSync(join(dir, 'schema.ts'), DOCS);
    const g = await cli(dir, ['generate', '--name', 'docs']);
    expect(g.code, g.stderr).toBe(0);
    const up = readFileSync(newest(dir, '_docs.sql'), 'utf8');
    expect(up).toContain('"embedding" vector(3)');
    expect(up).toContain('"half" halfvec(4)');
    expect(up).toContain('"sparse" sparsevec(5)');
    expect(up).toContain('"bits" bit(8)');
    expect(up).toContain('"email" citext');
    expect(up).toContain(`USING hnsw ("embedding" "vector_cosine_ops") WITH (m = '16', ef_construction = '64')`);
    expect(up).toContain(`USING ivfflat ("half" "halfvec_l2_ops") WITH (lists = '100')`);

    // On PGlite the extensions are registered because a migration creates them.
    const m = await cli(dir, ['migrate', '--url', tdb.url]);
    expect(m.code, m.stderr + m.stdout).toBe(0);
    await sql(`insert into docs (email, embedding) values ('A@x.org', '[1,0,0]'), ('b@x.org', '[0,1,0]')`);
    expect(await sql(`select email from docs where email = 'a@X.ORG' order by embedding <=> '[1,0.1,0]' limit 1`)).toEqual([{ email: 'A@x.org' }]);
    expect(await sql(`select indexrelid::regclass::text as name, reloptions from pg_index join pg_class on oid = indexrelid where indrelid = 'docs'::regclass and reloptions is not null order by 1`))
      .toEqual([{ name: 'docs_embedding_idx', reloptions: '{m=16,ef_construction=64}' }, { name: 'docs_half_idx', reloptions: '{lists=100}' }]);

    const c = await cli(dir, ['check', '--url', tdb.url]);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    const again = await cli(dir, ['generate', '--name', 'again']);
    expect(again.code).toBe(0);
    expect(again.stdout + again.stderr).toContain('no schema changes');
    const p = await cli(dir, ['push', '--dry-run', '--url', tdb.url]);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout + p.stderr).toContain('already matches');

    // pull: drizzle's builders, nothing of the extensions' own objects, and it reads back as the database.
    const pulled = await cli(dir, ['pull', '--out', 'pulled', '--url', tdb.url]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(readdirSync(join(dir, 'pulled')).sort()).toEqual(['index.ts', 'public.ts']);
    const code = readFileSync(join(dir, 'pulled', 'public.ts'), 'utf8');
    expect(code).toContain('embedding: vector({ dimensions: 3 }),');
    expect(code).toContain('half: halfvec({ dimensions: 4 }),');
    expect(code).toContain('sparse: sparsevec({ dimensions: 5 }),');
    expect(code).toContain('bits: bit({ dimensions: 8 }),');
    expect(code).toContain(`.using('hnsw', t.embedding.op('vector_cosine_ops')).with({ m: 16, ef_construction: 64 })`);
    expect(code).not.toMatch(/dataType: \(\) => '(vector|halfvec|sparsevec|bit)/);
    expect(code.match(/export const \w+/g)).toEqual(['export const docs', 'export const users']);
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './pulled', out: './migrations' };\n`);
    const fromPulled = await cli(dir, ['generate', '--name', 'from_pulled']);
    expect(fromPulled.stdout + fromPulled.stderr).toContain('no schema changes');
    const checkPulled = await cli(dir, ['check', '--url', tdb.url]);
    expect(checkPulled.code, checkPulled.stdout + checkPulled.stderr).toBe(0);

    // rollback: the tables, then the extensions themselves.
    const r1 = await cli(dir, ['rollback', '--url', tdb.url]);
    expect(r1.code, r1.stderr).toBe(0);
    expect(await sql(`select to_regclass('public.docs')::text as t`)).toEqual([{ t: null }]);
    const r2 = await cli(dir, ['rollback', '--url', tdb.url]);
    expect(r2.code, r2.stderr).toBe(0);
    expect(await sql(`select extname from pg_extension where extname in ('vector', 'citext')`)).toEqual([]);

    // drop leaves the extensions (and everything they own) alone; migrate builds everything again.
    expect((await cli(dir, ['migrate', '--url', tdb.url])).code).toBe(0);
    const d = await cli(dir, ['drop', '--force', '--url', tdb.url]);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout + d.stderr).not.toMatch(/vector_|halfvec|sparsevec|citext/);
    expect(await sql(`select extname from pg_extension where extname in ('vector', 'citext') order by 1`)).toEqual([{ extname: 'citext' }, { extname: 'vector' }]);
    const again2 = await cli(dir, ['migrate', '--url', tdb.url]);
    expect(again2.code, again2.stderr).toBe(0);
    expect((await cli(dir, ['check', '--url', tdb.url])).code).toBe(0);
  }, CLI_STEPS_MS);

  it('push builds vector columns on an empty database that has the extension, then has nothing to do', async () => {
    const ext = 'CREATE EXTENSION IF NOT EXISTS vector; CREATE EXTENSION IF NOT EXISTS citext;';
    // Created outside Strata (no migration names it): on PGlite, every later open finds and registers it.
    const db = backend === 'pglite' ? await createPgliteClient(tdb.url.slice('pglite:'.length), { extensions: ['vector', 'citext'] }) : await tdb.client();
    await db.exec(ext);
    await (backend === 'pglite' ? db.close() : tdb.closeClient());
    const dir = schemaProject('strata-ext-push-', DOCS);
    const p = await cli(dir, ['push', '--yes', '--url', tdb.url]);
    expect(p.code, p.stdout + p.stderr).toBe(0);
    const again = await cli(dir, ['push', '--yes', '--url', tdb.url]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout + again.stderr).toContain('already matches');
    await sql(`insert into docs (embedding) values ('[1,2,3]')`);
    expect(await sql(`select embedding::text as e from docs`)).toEqual([{ e: '[1,2,3]' }]);
  }, CLI_STEPS_MS);

  it('code using extensions installed in a schema of their own (Supabase: extensions), off the search_path: migrate, check, push and pull agree, as they do with it on the path', async () => {
    const db = backend === 'pglite' ? await createPgliteClient(tdb.url.slice('pglite:'.length), { extensions: ['vector', 'citext'] }) : await tdb.client();
    await db.exec('CREATE SCHEMA extensions; CREATE EXTENSION vector WITH SCHEMA extensions; CREATE EXTENSION citext WITH SCHEMA extensions');
    await (backend === 'pglite' ? db.close() : tdb.closeClient());
    const dir = schemaProject('strata-ext-schema-', DOCS);
    expect((await cli(dir, ['generate', '--name', 'docs'])).code).toBe(0);
    // Migrations run with search_path pinned to public: the extensions' schema must follow it.
    const m = await cli(dir, ['migrate', '--url', tdb.url]);
    expect(m.code, m.stderr).toBe(0);
    expect(await sql(`select n.nspname as schema from pg_attribute a join pg_type t on t.oid = a.atttypid join pg_namespace n on n.oid = t.typnamespace
      where a.attrelid = 'public.docs'::regclass and a.attname in ('embedding', 'email') order by a.attname`)).toEqual([{ schema: 'extensions' }, { schema: 'extensions' }]);
    expect(await sql(`select current_setting('search_path') as path`)).toEqual([{ path: backend === 'pglite' ? 'public' : '"$user", public' }]);
    // check, push and pull read the catalog, and spell the code, with the same path as migrate:
    // the extensions' types read unqualified, as the code writes them.
    const agree = async () => {
      const c = await cli(dir, ['check', '--url', tdb.url]);
      expect(c.code, c.stdout + c.stderr).toBe(0);
      const p = await cli(dir, ['push', '--dry-run', '--url', tdb.url]);
      expect(p.code, p.stdout + p.stderr).toBe(0);
      expect(p.stdout + p.stderr).toContain('already matches');
      const pulled = await cli(dir, ['pull', '--out', 'pulled', '--url', tdb.url]);
      expect(pulled.code, pulled.stderr).toBe(0);
      const code = readFileSync(join(dir, 'pulled', 'public.ts'), 'utf8');
      expect(code).toContain('embedding: vector({ dimensions: 3 }),');
      expect(code).toContain(`dataType: () => 'citext'`);
      expect(code).not.toContain('extensions.');
    };
    await agree();
    // PGlite starts every session with search_path=public, so only a server's database can name the schema.
    if (backend === 'pglite') return;
    await sql(`DO $d$ BEGIN EXECUTE format('ALTER DATABASE %I SET search_path = "$user", public, extensions', current_database()); END $d$`);
    await agree();
  }, CLI_STEPS_MS);

  it('a drizzle-kit folder whose migration creates vector is adopted: generate replays it (on a scratch PGlite) and writes only what changed', async () => {
    const dir = schemaProject('strata-ext-kit-', `import { pgTable, serial, vector, text } from 'drizzle-orm/pg-core';
export const docs = pgTable('docs', { id: serial('id').primaryKey(), embedding: vector('embedding', { dimensions: 3 }), title: text('title') });
`);
    mkdirSync(join(dir, 'migrations', 'meta'), { recursive: true });
    writeFileSync(join(dir, 'migrations', '0000_init.sql'), 'CREATE EXTENSION IF NOT EXISTS vector;--> statement-breakpoint\nCREATE TABLE "docs" (\n\t"id" serial PRIMARY KEY NOT NULL,\n\t"embedding" vector(3)\n);\n');
    writeFileSync(join(dir, 'migrations', 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1735689600000, tag: '0000_init', breakpoints: true }] }));
    const g = await cli(dir, ['generate', '--name', 'title']);
    expect(g.code, g.stdout + g.stderr).toBe(0);
    expect(readFileSync(newest(dir, '_title.sql'), 'utf8')).toMatch(/^ALTER TABLE "public"\."docs" ADD COLUMN "title" text;$/m);
    const m = await cli(dir, ['migrate', '--url', tdb.url]);
    expect(m.code, m.stderr).toBe(0);
    const c = await cli(dir, ['check', '--url', tdb.url]);
    expect(c.code, c.stdout + c.stderr).toBe(0);
  }, CLI_STEPS_MS);

  it('push of vector columns to a database without the extension says which extension to create and how', async () => {
    const dir = schemaProject('strata-ext-missing-', DOCS);
    const p = await cli(dir, ['push', '--yes', '--url', tdb.url]);
    expect(p.code).toBe(1);
    expect(p.stderr).toMatch(/uses a type of the extension "(vector|citext)", which the database does not have/);
    expect(p.stderr).toMatch(/CREATE EXTENSION IF NOT EXISTS "(vector|citext)";/);
    expect(p.stderr).toContain('strata generate --custom');
  }, CLI_STEPS_MS);

  it('a migration creating an extension the database cannot provide fails naming it, the file and what to do', async () => {
    const dir = schemaProject('strata-ext-postgis-', USERS);
    expect((await cli(dir, ['generate', '--name', 'users'])).code).toBe(0);
    await extensionMigration(dir, null, 'CREATE EXTENSION IF NOT EXISTS postgis;\n');
    const m = await cli(dir, ['migrate', '--url', tdb.url]);
    expect(m.code).toBe(1);
    expect(m.stderr).toContain('_extensions.sql');
    expect(m.stderr).toContain('extension "postgis" is not available');
    if (backend === 'pglite') {
      expect(m.stderr).toContain('PGlite ships only vector, ');
      expect(m.stderr).toContain('Run this project on a PostgreSQL server that has "postgis" installed');
    }
    // Nothing of that migration is applied; the one before it is.
    expect(await sql(`select to_regclass('public.users')::text as t`)).toEqual([{ t: 'users' }]);
  }, CLI_STEPS_MS);
});
