import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { introspect, type DatabaseClient } from '@strata/db';
import { generateSchemaCode, loadSchema } from '@strata/schema';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { createSnapshotSql } from '../src/index.js';

/**
 * From morphic's schema: `CHECK (tool_state IN ('input-streaming', …))` on a varchar column. The
 * catalog prints it as `(tool_state)::text = ANY ((ARRAY[…])::text[])`, which run again builds
 * another expression; the code pull writes must build what the database holds.
 */
describeBackends('pull of IN lists on a varchar column', (backend) => {
  const dbs: TestDatabase[] = [];
  let source: DatabaseClient;
  let rebuilt: DatabaseClient;
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) dbs.push(await createTestDatabase(backend));
    source = await dbs[0]!.client();
    rebuilt = await dbs[1]!.client();
  });
  afterAll(async () => {
    for (const d of dbs) await d.dispose();
  });

  const definitions = async (db: DatabaseClient) => (await db.query<{ name: string; def: string }>(
    `select conname as name, pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'public.parts'::regclass and contype = 'c'
     union all select indexrelid::regclass::text, pg_get_indexdef(indexrelid) from pg_index where indrelid = 'public.parts'::regclass
     order by 1`,
  )).rows;

  it('writes code that builds the same checks (IN, NOT IN, over COALESCE) and index predicate again', async () => {
    await source.exec(`create table public.parts (state varchar(20), "Kind" varchar(10),
      constraint state_valid check (state is null or state in ('input-streaming', 'it''s')),
      constraint kind_valid check ("Kind" in ('a', 'b')),
      constraint state_not_old check (state not in ('old', 'older')),
      constraint kind_or_blank check (coalesce("Kind", '') in ('', 'a', 'b')))`);
    await source.exec(`create index parts_open_idx on public.parts (state) where state in ('input-streaming', 'x')`);
    const files = generateSchemaCode(await introspect(source, { schemas: ['public'] }));
    const dir = mkdtempSync(join(tmpdir(), 'strata-pulled-in-'));
    symlinkSync(fileURLToPath(new URL('../../schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    mkdirSync(join(dir, 'pulled'));
    for (const f of files) writeFileSync(join(dir, 'pulled', f.path), f.content);
    const pulled = (await loadSchema(['./pulled'], { cwd: dir })).snapshot;
    for (const st of createSnapshotSql(pulled)) await rebuilt.exec(st.sql);
    expect(await definitions(rebuilt)).toEqual(await definitions(source));
  });
});
