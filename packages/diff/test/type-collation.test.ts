import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { introspect, normalizeSnapshot, type DatabaseClient } from '@strata/db';
import { loadSchema } from '@strata/schema';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { createSnapshotSql } from '../src/index.js';

/** A customType whose SQL type names a collation (issue 15, defect 6): quoted names keep their case. */
const CODE = `import { customType, pgTable } from 'drizzle-orm/pg-core';
const textC = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });
const posixArray = customType<{ data: string[] }>({ dataType: () => 'varchar(20)[] COLLATE pg_catalog."POSIX"' });
export const t = pgTable('t', { code: textC('code'), tags: posixArray('tags') });
`;

describeBackends('a collation inside a custom type string', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  let dir: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
    dir = mkdtempSync(join(tmpdir(), 'strata-type-collation-'));
    symlinkSync(fileURLToPath(new URL('../../schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'schema.ts'), CODE);
  });
  afterAll(async () => tdb?.dispose());

  it('becomes the column collation, builds, and reads back the same', async () => {
    const { snapshot: code } = await loadSchema(['./schema.ts'], { cwd: dir });
    const columns = code.schemas.public!.tables.t!.columns;
    expect(columns).toEqual([
      { name: 'code', type: 'text', dimensions: 0, notNull: false, collation: 'C' },
      { name: 'tags', type: 'character varying(20)', dimensions: 1, notNull: false, collation: 'POSIX' },
    ]);
    const sql = createSnapshotSql(code).map((s) => s.sql);
    expect(sql.join('\n')).toContain('"code" text COLLATE "C"');
    for (const s of sql) await db.exec(s);
    const live = await introspect(db, { schemas: ['public'] });
    expect(live.schemas.public!.tables.t!.columns).toEqual(columns);
    const spelled = await normalizeSnapshot(db, code, { buildSql: (s) => createSnapshotSql(s).map((x) => x.sql) });
    expect(spelled.schemas.public!.tables.t).toEqual(live.schemas.public!.tables.t);
  });
});
