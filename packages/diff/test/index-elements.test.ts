import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { introspect, normalizeSnapshot } from '@strata/db';
import { generateSchemaCode, loadSchema, type Snapshot } from '@strata/schema';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import type { DatabaseClient } from '@strata/db';
import { createSnapshotSql } from '../src/index.js';

/**
 * Index elements written as `sql` with a collation, an operator class, a direction and a nulls
 * order (issue 15, defects 5 and 7): schema code → generate (the SQL builds on the server) →
 * introspection gives the same elements → pull writes code that reads back to the same index.
 */

const SCHEMA_HEAD = `import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
export const t = pgTable('t', { org: integer('org'), at: timestamp('at'), email: text('email'), code: text('code') }, (t) => [
`;

/** Elements for a btree index over t, each valid whatever options are drawn for it. */
const textBase = fc.constantFrom('${t.email}', '${t.code}', 'lower(${t.email})', '(${t.code} || \'-x\')');
const otherBase = fc.constantFrom('${t.at}', '${t.org}', '(${t.org} + 1)', 'date_trunc(\'day\', ${t.at})');
const options = (text: boolean) => fc.record({
  collation: text ? fc.option(fc.constantFrom('"C"', '"POSIX"', 'pg_catalog."C"'), { nil: undefined }) : fc.constant(undefined),
  opclass: text ? fc.option(fc.constantFrom('text_pattern_ops', 'pg_catalog.text_pattern_ops'), { nil: undefined }) : fc.constant(undefined),
  order: fc.option(fc.constantFrom('ASC', 'DESC', 'desc'), { nil: undefined }),
  nulls: fc.option(fc.constantFrom('NULLS FIRST', 'nulls last'), { nil: undefined }),
});
const element = fc.oneof(
  fc.tuple(textBase, options(true)),
  fc.tuple(otherBase, options(false)),
).map(([base, o]) => [base, o.collation && `COLLATE ${o.collation}`, o.opclass, o.order, o.nulls].filter(Boolean).join(' '));

describeBackends('index elements written as sql, through generate, the catalog and pull', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  let dir: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
    dir = mkdtempSync(join(tmpdir(), 'strata-index-elements-'));
    symlinkSync(fileURLToPath(new URL('../../schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
  });
  afterAll(async () => tdb?.dispose());

  const load = async (name: string, code: string): Promise<Snapshot> => {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'schema.ts'), code);
    return (await loadSchema([`./${name}/schema.ts`], { cwd: dir })).snapshot;
  };
  const indexOf = (s: Snapshot) => s.schemas.public!.tables.t!.indexes.e_idx!;
  let run = 0;

  it('builds, reads back and pulls the same elements', async () => {
    await fc.assert(
      // A column may be listed twice (org DESC, org DESC): pull then writes its options as SQL,
      // since drizzle's .desc() would set them on the column object both uses share.
      fc.asyncProperty(fc.array(element, { minLength: 1, maxLength: 3 }), async (elements) => {
        const name = `case_${run++}`;
        const code = await load(name, `${SCHEMA_HEAD}  index('e_idx').on(${elements.map((e) => `sql\`${e}\``).join(', ')}),\n]);\n`);
        await db.exec('drop table if exists public.t');
        // generate's SQL is valid and builds what the code says
        for (const st of createSnapshotSql(code)) await db.exec(st.sql);
        const live = await introspect(db, { schemas: ['public'] });
        const spelled = await normalizeSnapshot(db, code, { buildSql: (s) => createSnapshotSql(s).map((x) => x.sql) });
        expect(indexOf(spelled)).toEqual(indexOf(live));
        const strip = (i: ReturnType<typeof indexOf>) => i.elements.map(({ value: _v, ...options }) => options);
        expect(strip(indexOf(live))).toEqual(strip(indexOf(code)));
        // pull: the code written for the database reads back to the same index
        const files = generateSchemaCode(live);
        mkdirSync(join(dir, `${name}_pulled`), { recursive: true });
        for (const f of files) writeFileSync(join(dir, `${name}_pulled`, f.path), f.content);
        expect(files.map((f) => f.content).join('\n')).not.toContain('cannot be written');
        const pulled = (await loadSchema([`./${name}_pulled`], { cwd: dir })).snapshot;
        const pulledSpelled = await normalizeSnapshot(db, pulled, { buildSql: (s) => createSnapshotSql(s).map((x) => x.sql) });
        expect(indexOf(pulledSpelled)).toEqual(indexOf(live));
      }),
      { numRuns: Number(process.env.STRATA_PROPERTY_RUNS ?? 12), endOnFailure: true },
    );
  }, 600_000);

  it('the issue\'s cases: DESC after a column, an operator class, a collation (pulled back)', async () => {
    const code = await load('issue', `${SCHEMA_HEAD}  index('e_idx').on(t.org, sql\`\${t.at} DESC\`, sql\`\${t.email} text_pattern_ops\`, sql\`\${t.code} COLLATE "C"\`),\n]);\n`);
    expect(indexOf(code).elements).toEqual([
      { value: 'org', expression: false, desc: false, nullsFirst: false },
      { value: 'at', expression: false, desc: true, nullsFirst: true },
      { value: 'email', expression: false, desc: false, nullsFirst: false, opclass: 'text_pattern_ops' },
      { value: 'code', expression: false, desc: false, nullsFirst: false, collation: 'C' },
    ]);
    await db.exec('drop table if exists public.t');
    for (const st of createSnapshotSql(code)) await db.exec(st.sql);
    const live = await introspect(db, { schemas: ['public'] });
    expect(indexOf(live).elements).toEqual(indexOf(code).elements);
    const files = generateSchemaCode(live);
    expect(files.map((f) => f.content).join('\n')).toContain('sql`${t.code} COLLATE "C"`');
  });
});
