import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { createPgliteClient } from './pglite-client.js';
import type { DatabaseClient } from './client.js';

/** Opens the test database; on PGlite with the extensions given registered (a server has them all). */
const open = (tdb: TestDatabase, extensions: string[]): Promise<DatabaseClient> =>
  tdb.backend === 'pglite' ? createPgliteClient(tdb.url.slice('pglite:'.length), { extensions }) : tdb.client();

describeBackends('extensions on open', (backend) => {
  let tdb: TestDatabase;
  beforeEach(async () => {
    tdb = await createTestDatabase(backend);
  });
  afterEach(async () => tdb?.dispose());

  it('a database that has pgvector and citext reads and writes their values when opened again without naming them', async () => {
    const first = await open(tdb, ['vector', 'citext']);
    await first.exec(`create extension vector; create extension citext;
      create table t (e vector(3), c citext); insert into t values ('[1,2,3]', 'Ab')`);
    await (tdb.backend === 'pglite' ? first.close() : tdb.closeClient());
    const again = await open(tdb, []);
    try {
      await again.exec(`insert into t values ('[4,5,6]', 'cd')`);
      const r = await again.query<{ e: string; c: string }>(`select e::text as e, c::text as c from t where c = 'AB' order by e <-> '[1,2,3]'`);
      expect(r.rows).toEqual([{ e: '[1,2,3]', c: 'Ab' }]);
    } finally {
      await (tdb.backend === 'pglite' ? again.close() : tdb.closeClient());
    }
  });

  it('CREATE EXTENSION of one not registered (PGlite) or not installed says what to do', async () => {
    const db = await open(tdb, []);
    try {
      await expect(db.exec('create extension postgis')).rejects.toMatchObject({ message: 'extension "postgis" is not available' });
      if (backend === 'pglite') {
        await expect(db.exec('create extension postgis')).rejects.toMatchObject({ hint: expect.stringContaining('Run this project on a PostgreSQL server that has "postgis" installed') });
        await expect(db.exec('create extension hstore')).rejects.toMatchObject({ hint: expect.stringContaining(`PGlite ships "hstore", but it is registered only when the database opens`) });
      }
    } finally {
      await (tdb.backend === 'pglite' ? db.close() : tdb.closeClient());
    }
  });
});
