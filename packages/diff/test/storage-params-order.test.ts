import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DatabaseClient } from '@strata/db';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { col, index, snap, table, view } from './build.js';
import { build } from './harness.js';

/**
 * Storage parameters (`.with({ … })` on an index or a view) reach the catalog in the order the schema
 * code declares them, as drizzle-kit writes them: PostgreSQL keeps reloptions in the order given, so
 * a sorted WITH list built a catalog that differed from drizzle-kit's for the same code (midday's
 * hnsw indexes declare `{ m, ef_construction }`). The comparison of two snapshots ignores the order.
 */
const s = snap();
s.schemas.public!.tables.docs = table('public', 'docs', [col('id', 'integer'), col('tags', 'text', { dimensions: 1 })], {
  indexes: [index('docs_tags_idx', ['tags'], { method: 'gin', with: { gin_pending_list_limit: '128', fastupdate: 'off' } })],
});
s.schemas.public!.views.docs_count = view('public', 'docs_count', 'SELECT count(*) AS n FROM public.docs', {
  materialized: true, with: { fillfactor: '70', autovacuum_enabled: 'false' },
});

describeBackends('storage parameters keep the declared order', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
    await build(db, s);
  });
  afterAll(async () => tdb?.dispose());

  it('an index and a materialized view list their WITH options as the code declares them', async () => {
    const rows = await db.query<{ relname: string; reloptions: string[] }>(
      `select c.relname, to_json(c.reloptions) as reloptions from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relname in ('docs_tags_idx', 'docs_count') order by c.relname`,
    );
    expect(rows.rows).toEqual([
      { relname: 'docs_count', reloptions: ['fillfactor=70', 'autovacuum_enabled=false'] },
      { relname: 'docs_tags_idx', reloptions: ['gin_pending_list_limit=128', 'fastupdate=off'] },
    ]);
  });
});
