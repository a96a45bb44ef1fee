import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import type { DatabaseClient } from './client.js';
import { QueryError } from './query-error.js';

const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8');
async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of it) out.push(c);
  return out;
}

describeBackends('COPY streams', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
    await db.exec(`create table "Odd ""copy"" tbl" (id int primary key, "välue" text, n int);
      insert into "Odd ""copy"" tbl" values (1, E'tab\\there', 10), (2, E'line\\nbreak', null), (3, E'back\\\\slash ✓', 30)`);
  });
  afterAll(async () => tdb?.dispose());

  it('says whether COPY streams', () => {
    expect(db.capabilities.streamingCopy).toBe(backend === 'postgres');
  });

  it('copies a table out in COPY text format, escapes and NULLs included', async () => {
    const out = text(await collect(db.copyOut!(`COPY "Odd ""copy"" tbl" (id, "välue", n) TO STDOUT`)));
    expect(out).toBe('1\ttab\\there\t10\n2\tline\\nbreak\t\\N\n3\tback\\\\slash ✓\t30\n');
  });

  it('copies a query out, with STDOUT only replaced where the statement ends', async () => {
    const out = text(await collect(db.copyOut!(`COPY (select 'to stdout' as x order by 1) TO STDOUT`)));
    expect(out).toBe('to stdout\n');
  });

  it('copies rows in from chunks that split rows anywhere, and counts them', async () => {
    await db.exec('create table copy_in (id int primary key, v text)');
    const data = Buffer.from('1\tα\n2\t\\N\n3\tx\\ty\n');
    const chunks = [data.subarray(0, 3), data.subarray(3, 9), data.subarray(9)];
    const n = await db.copyIn!('COPY copy_in (id, v) FROM STDIN', chunks);
    expect(n).toBe(3);
    const r = await db.query<{ id: number; v: string | null }>('select id, v from copy_in order by id');
    expect(r.rows).toEqual([{ id: 1, v: 'α' }, { id: 2, v: null }, { id: 3, v: 'x\ty' }]);
  });

  it('runs inside a transaction on a session and rolls back with it', async () => {
    await db.exec('create table copy_tx (id int)');
    await expect(db.transaction(async (tx) => {
      expect(await tx.copyIn!('COPY copy_tx FROM STDIN', (async function* () { yield Buffer.from('1\n2\n'); })())).toBe(2);
      const seen = await collect(tx.copyOut!('COPY copy_tx TO STDOUT'));
      expect(text(seen)).toBe('1\n2\n');
      throw new Error('undo');
    })).rejects.toThrow('undo');
    const r = await db.query<{ n: string }>('select count(*)::text as n from copy_tx');
    expect(r.rows[0]?.n).toBe('0');
  });

  it('reports bad input as a QueryError and the client keeps working', async () => {
    await db.exec('create table copy_bad (id int)');
    await expect(db.copyIn!('COPY copy_bad FROM STDIN', [Buffer.from('1\nnot a number\n')])).rejects.toBeInstanceOf(QueryError);
    await expect(collect(db.copyOut!('COPY no_such_table TO STDOUT'))).rejects.toBeInstanceOf(QueryError);
    const r = await db.query<{ n: string }>('select count(*)::text as n from copy_bad');
    expect(r.rows[0]?.n).toBe('0');
  });
});
