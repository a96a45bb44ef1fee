import { afterAll, beforeAll, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogFingerprint, createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

/**
 * A real schema's history (histories.json): every version one project committed, in order, each
 * generated as a migration over the last and applied to one database, as the project's team would
 * have done with Strata. After every step `check` must find database, history and code agreeing;
 * at the end the migrated catalog must equal a fresh `push` of the last version, rolling every
 * migration back must leave the database empty, and migrating again must rebuild it.
 */
interface HistoryEntry {
  slug: string;
  repository: string;
  licence: string;
  path: string;
  versions: { commit: string; date: string; file: string }[];
}

const here = dirname(fileURLToPath(import.meta.url));
const corpusRoot = join(here, '..');
const { histories } = JSON.parse(readFileSync(join(corpusRoot, 'histories.json'), 'utf8')) as { histories: HistoryEntry[] };
/** Each test runs the CLI a few times per version (on PGlite, each run opens the database afresh). */
const STEPS_MS = 600_000;

it('every history names its repository, licence and commits, with each version’s file and the LICENSE beside them', () => {
  expect(histories.length).toBeGreaterThan(0);
  for (const h of histories) {
    expect(['MIT', 'Apache-2.0', 'ISC', 'BSD-3-Clause', 'BSD-2-Clause']).toContain(h.licence);
    const files = readdirSync(join(corpusRoot, 'histories', h.slug));
    expect(files).toContain('LICENSE');
    expect(h.versions.length).toBeGreaterThanOrEqual(10);
    for (const v of h.versions) {
      expect(v.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(files).toContain(v.file);
      expect(readFileSync(join(corpusRoot, 'histories', h.slug, v.file), 'utf8')).toContain('drizzle-orm/pg-core');
    }
  }
});

for (const history of histories) {
  describeBackends(`history: ${history.slug}`, (backend) => {
    let db: TestDatabase;
    let dir: string;
    const schemaFile = () => join(dir, 'db', 'schema.ts');
    const ok = async (args: string[]) => {
      const r = await runCli(args, { cwd: dir, timeoutMs: 240_000 });
      expect(r.code, `strata ${args.join(' ')}\n${r.stderr}${r.stdout}`).toBe(0);
      return r;
    };
    const fingerprint = async (target: TestDatabase) => {
      try {
        return await catalogFingerprint(await target.client(), ['public']);
      } finally {
        await target.closeClient();
      }
    };

    beforeAll(async () => {
      db = await createTestDatabase(backend);
      dir = mkdtempSync(join(tmpdir(), `strata-history-${history.slug}-`));
      mkdirSync(join(dir, 'db'));
      symlinkSync(join(corpusRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
      writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './db/schema.ts', out: './migrations' };\n`);
    });
    afterAll(async () => db?.dispose());

    it('each version generates a migration that applies, and check agrees after every step', async () => {
      let written = 0;
      for (const [i, v] of history.versions.entries()) {
        copyFileSync(join(corpusRoot, 'histories', history.slug, v.file), schemaFile());
        const generated = JSON.parse((await ok(['generate', '--no-renames', '--name', `v${i + 1}`, '--json'])).stdout) as { changed: boolean };
        if (generated.changed) written++;
        await ok(['migrate', '--url', db.url]);
        const checked = await runCli(['check', '--url', db.url], { cwd: dir, timeoutMs: 240_000 });
        expect(checked.code, `check after ${v.file} (${v.commit})\n${checked.stderr}${checked.stdout}`).toBe(0);
      }
      // Formatting-only commits write nothing; the others each write one migration.
      expect(written).toBeGreaterThan(5);
      expect(written).toBeLessThan(history.versions.length);
    }, STEPS_MS);

    it('the migrated catalog equals a fresh push of the last version', async () => {
      const pushed = await createTestDatabase(backend);
      try {
        await ok(['push', '--force', '--url', pushed.url]);
        expect(await fingerprint(db)).toEqual(await fingerprint(pushed));
      } finally {
        await pushed.dispose();
      }
    }, STEPS_MS);

    it('rolling every migration back leaves no table, and migrating again rebuilds the catalog', async () => {
      const built = await fingerprint(db);
      const migrations = readdirSync(join(dir, 'migrations')).filter((f) => /\.sql$/.test(f) && !f.endsWith('.down.sql'));
      await ok(['rollback', '--steps', String(migrations.length), '--url', db.url]);
      expect((await fingerprint(db)).tables).toEqual([]);
      await ok(['migrate', '--url', db.url]);
      expect(await fingerprint(db)).toEqual(built);
      await ok(['check', '--url', db.url]);
    }, STEPS_MS);
  });
}
