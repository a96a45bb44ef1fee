import { afterAll, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, describeBackends, serverVersionNum, snapshotForServer, type TestDatabase } from '@strata/testing';
import { canonicalJson, generateSchemaCode, loadSchema, loadSchemaModules, serializeSchema, type Snapshot } from '@strata/schema';
// db's normalisation is tested here, beside the builder (createSnapshotSql) it is checked against:
// @strata/db does not depend on @strata/diff, so these tests cannot live in db.
import { createSnapshotSql } from '@strata/diff';
import { introspect } from '@strata/db';
import { normalizeSnapshot } from '@strata/db';

const FIXTURES = ['all-features.ts', 'guide.ts', 'weird-names.ts'];
const fixture = (name: string) => fileURLToPath(new URL(`../../schema/test/fixtures/${name}`, import.meta.url));
const buildSql = (s: Snapshot) => createSnapshotSql(s).map((st) => st.sql);

/** Hints say how to build, not what is built: never compared. */
function withoutHints(s: Snapshot): Snapshot {
  const copy = JSON.parse(canonicalJson(s)) as Snapshot;
  for (const d of Object.values(copy.schemas)) {
    for (const t of Object.values(d.tables)) for (const i of Object.values(t.indexes)) delete i.concurrently;
    for (const v of Object.values(d.views)) delete v.withNoData;
  }
  return copy;
}

describeBackends('schema code fixtures: normalize(serialise) == introspect(build)', (backend) => {
  const opened: TestDatabase[] = [];
  afterAll(async () => {
    for (const t of opened) await t.dispose();
  });

  for (const name of FIXTURES) {
    it(`${name}: no false difference between code and a database built from it; pull code round-trips`, async () => {
      const { snapshot: loaded } = await loadSchema([fixture(name)], { cwd: fileURLToPath(new URL('.', import.meta.url)) });
      const tdb = await createTestDatabase(backend);
      opened.push(tdb);
      const db = await tdb.client();
      // Before PostgreSQL 15 (compatibility run) the fixture's NULLS NOT DISTINCT is built as a plain unique.
      const code = snapshotForServer(loaded, await serverVersionNum(db));
      for (const sql of buildSql(code)) await db.exec(sql);
      const live = await introspect(db, { schemas: Object.keys(code.schemas) });
      const count = (s: Snapshot) => Object.values(s.schemas).map((d) => [d.name, Object.keys(d.tables).length, Object.keys(d.views).length, Object.keys(d.enums).length]);
      expect(count(live)).toEqual(count(code));
      expect(count(live).some(([, tables]) => (tables as number) > 0)).toBe(true);
      const normalized = await normalizeSnapshot(db, code, { buildSql });
      expect(withoutHints(normalized)).toEqual(withoutHints(live));

      // What `strata pull` writes for that database loads back to the same thing.
      const dir = mkdtempSync(join(tmpdir(), 'strata-fixture-pull-'));
      symlinkSync(fileURLToPath(new URL('../../schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
      for (const f of generateSchemaCode(live)) {
        mkdirSync(dirname(join(dir, 'schema', f.path)), { recursive: true });
        writeFileSync(join(dir, 'schema', f.path), f.content);
      }
      const pulled = serializeSchema(await loadSchemaModules([join(dir, 'schema')], { cwd: dir }), { schemas: Object.keys(live.schemas) });
      expect(withoutHints(await normalizeSnapshot(db, pulled, { buildSql }))).toEqual(withoutHints(live));
    });
  }
});
