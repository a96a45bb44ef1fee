import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import type { DatabaseClient } from './client.js';

describeBackends('query rowMode', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
  });
  afterAll(async () => tdb?.dispose());

  it('returns rows as arrays in column order, keeping columns that share a name apart', async () => {
    const r = await db.query(`select 1::int4 as id, 'a'::text as id, 9007199254740993::int8 as big, '{"k":1}'::jsonb as j`, [], { rowMode: 'array' });
    expect(r.rows).toEqual([[1, 'a', '9007199254740993', { k: 1 }]]);
    expect(r.fields.map((f) => f.name)).toEqual(['id', 'id', 'big', 'j']);
  });

  it('passes the option through a session and a transaction, and defaults to objects', async () => {
    const rows = await db.transaction(async (tx) => {
      const arr = await tx.query(`select $1::text as a, 2 as b`, ['x'], { rowMode: 'array' });
      const obj = await tx.query(`select $1::text as a, 2 as b`, ['x']);
      return [arr.rows, obj.rows];
    });
    expect(rows).toEqual([[['x', 2]], [{ a: 'x', b: 2 }]]);
  });

  it('reports the affected row count of an update in array mode', async () => {
    await db.exec('create table rm_t (id int primary key, v int); insert into rm_t select g, 0 from generate_series(1, 5) g');
    const r = await db.query('update rm_t set v = v + 1 where id <= $1', [3], { rowMode: 'array' });
    expect(r.rowCount).toBe(3);
    expect(r.rows).toEqual([]);
  });
});
