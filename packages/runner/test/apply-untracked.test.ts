import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DatabaseClient } from '@strata/db';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { applyUntracked, NO_TRANSACTION_DIRECTIVE } from '../src/index.js';

describeBackends('applyUntracked (how push applies its plan)', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
    await db.exec('create table t (id int, a text); create index t_a_idx on t (a); insert into t values (1, \'x\')');
  });
  afterAll(async () => tdb?.dispose());

  it('runs a first part marked -- strata:no-transaction outside a transaction, statement by statement, as migrate does', async () => {
    // What push renders when its plan starts with concurrent index work (an index changed on a table that exists).
    const sql = [
      NO_TRANSACTION_DIRECTIVE,
      'DROP INDEX CONCURRENTLY "public"."t_a_idx";',
      '--> statement-breakpoint',
      'CREATE INDEX CONCURRENTLY "t_a_idx" ON "public"."t" USING btree ((lower("a")));',
      '--> strata:part',
      'ALTER TABLE "public"."t" ADD COLUMN "b" integer;',
    ].join('\n');
    const lock = await db.acquireMigrationLock({ key: 42n });
    try {
      await applyUntracked({ client: db, session: lock.session, pid: null, name: 'push', sql });
    } finally {
      await lock.release();
    }
    const idx = await db.query<{ def: string; valid: boolean }>(
      `select pg_get_indexdef(i.indexrelid) as def, i.indisvalid as valid from pg_index i where i.indrelid = 'public.t'::regclass`);
    expect(idx.rows).toEqual([{ def: 'CREATE INDEX t_a_idx ON public.t USING btree (lower(a))', valid: true }]);
    expect((await db.query(`select attname from pg_attribute where attrelid = 'public.t'::regclass and attname = 'b'`)).rows).toHaveLength(1);
  });
});
