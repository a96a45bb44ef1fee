import { afterAll, beforeAll, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import {
  catalogFingerprint, createTestDatabase, describeBackends, runCli, type CatalogFingerprint, type TestDatabase,
} from '@strata/testing';

/**
 * Every schema of the corpus (manifest.json), on both backends, through the built CLI as a user runs
 * it. The reference build is independent of Strata: drizzle-kit's own SQL for the schema (what these
 * projects run today), applied to an empty database. Catalogs are compared with `catalogFingerprint`,
 * which reads pg_catalog directly.
 */
interface CorpusEntry { slug: string; repository: string; commit: string; licence: string; files: string[]; schema: string }

const here = dirname(fileURLToPath(import.meta.url));
const corpusRoot = join(here, '..');
const manifest = JSON.parse(readFileSync(join(corpusRoot, 'manifest.json'), 'utf8')) as { schemas: CorpusEntry[] };

/** A project folder holding a copy of one corpus schema, resolving drizzle-orm like the project would. */
function projectDir(entry: CorpusEntry): string {
  const dir = mkdtempSync(join(tmpdir(), `strata-corpus-${entry.slug}-`));
  cpSync(join(corpusRoot, 'schemas', entry.slug), dir, { recursive: true });
  symlinkSync(join(corpusRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: ${JSON.stringify(`./${entry.schema}`)}, out: './migrations' };\n`);
  return dir;
}

/** drizzle-kit's migration from nothing to the schema, and the schemas it creates besides public. */
async function drizzleKitBuild(entry: CorpusEntry): Promise<{ statements: string[]; schemas: string[] }> {
  const mod = (await import(join(corpusRoot, 'schemas', entry.slug, entry.schema))) as Record<string, unknown>;
  const json = generateDrizzleJson(mod);
  const statements = await generateMigration(generateDrizzleJson({}), json);
  return { statements, schemas: ['public', ...Object.keys((json as { schemas?: Record<string, string> }).schemas ?? {})] };
}

const MATCHES = 'the database already matches the schema code';
/** Each test runs the CLI several times (on PGlite, each run opens the database afresh). */
const CLI_STEPS_MS = 300_000;

it('the corpus holds at least six schemas from different projects, each with its commit and licence', () => {
  expect(manifest.schemas.length).toBeGreaterThanOrEqual(6);
  expect(new Set(manifest.schemas.map((e) => e.repository)).size).toBe(manifest.schemas.length);
  for (const e of manifest.schemas) {
    expect(e.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(['MIT', 'Apache-2.0', 'ISC', 'BSD-3-Clause', 'BSD-2-Clause']).toContain(e.licence);
    expect(readdirSync(join(corpusRoot, 'schemas', e.slug))).toContain('LICENSE');
    const texts = e.files.map((f) => readFileSync(join(corpusRoot, 'schemas', e.slug, f), 'utf8'));
    expect(texts.some((t) => t.includes('drizzle-orm/pg-core'))).toBe(true);
    expect(e.files).toContain(e.schema);
  }
});

for (const entry of manifest.schemas) {
  describeBackends(`corpus: ${entry.slug}`, (backend) => {
    let reference: CatalogFingerprint;
    let schemas: string[];
    let migrated: TestDatabase;
    let dir: string;
    const dbs: TestDatabase[] = [];
    const fresh = async () => {
      const db = await createTestDatabase(backend);
      dbs.push(db);
      return db;
    };
    const fingerprint = async (db: TestDatabase) => {
      try {
        return await catalogFingerprint(await db.client(), schemas);
      } finally {
        await db.closeClient();
      }
    };
    const ok = async (args: string[], cwd = dir) => {
      const r = await runCli(args, { cwd, timeoutMs: 240_000 });
      expect(r.code, `strata ${args.join(' ')}\n${r.stderr}${r.stdout}`).toBe(0);
      return r;
    };

    beforeAll(async () => {
      const build = await drizzleKitBuild(entry);
      schemas = build.schemas;
      const ref = await fresh();
      const c = await ref.client();
      for (const s of build.statements) await c.exec(s);
      reference = await fingerprint(ref);
      migrated = await fresh();
      dir = projectDir(entry);
    }, CLI_STEPS_MS);
    afterAll(async () => {
      for (const db of dbs) await db.dispose();
    });

    it('generate + migrate builds the same catalog as drizzle-kit’s own SQL', async () => {
      expect(reference.tables.length).toBeGreaterThan(0);
      await ok(['generate', '--name', 'init']);
      await ok(['migrate', '--url', migrated.url]);
      expect(await fingerprint(migrated)).toEqual(reference);
    }, CLI_STEPS_MS);

    it('check is clean on the migrated database', async () => {
      const r = await ok(['check', '--url', migrated.url]);
      expect(r.stderr).toBe('');
    }, CLI_STEPS_MS);

    it('a second generate finds nothing to write', async () => {
      const before = readdirSync(join(dir, 'migrations')).sort();
      const r = await ok(['generate', '--json']);
      expect((JSON.parse(r.stdout) as { changed: boolean }).changed).toBe(false);
      expect(readdirSync(join(dir, 'migrations')).sort()).toEqual(before);
    }, CLI_STEPS_MS);

    it('push on an empty database builds the same catalog', async () => {
      const db = await fresh();
      await ok(['push', '--force', '--url', db.url]);
      expect(await fingerprint(db)).toEqual(reference);
      expect((await ok(['push', '--dry-run', '--url', db.url])).stdout).toContain(MATCHES);
    }, CLI_STEPS_MS);

    it('pull round-trips: the pulled code matches the database and builds the same catalog', async () => {
      const pulledDir = mkdtempSync(join(tmpdir(), `strata-corpus-pull-${entry.slug}-`));
      symlinkSync(join(corpusRoot, 'node_modules'), join(pulledDir, 'node_modules'), 'dir');
      mkdirSync(join(pulledDir, 'schema'));
      writeFileSync(join(pulledDir, 'strata.config.ts'), `export default { schema: './schema', out: './migrations' };\n`);
      await ok(['pull', '--url', migrated.url, '--out', 'schema'], pulledDir);
      expect((await ok(['push', '--dry-run', '--url', migrated.url], pulledDir)).stdout).toContain(MATCHES);
      const db = await fresh();
      await ok(['push', '--force', '--url', db.url], pulledDir);
      expect(await fingerprint(db)).toEqual(reference);
    }, CLI_STEPS_MS);
  });
}
