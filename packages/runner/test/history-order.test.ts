import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DatabaseClient } from '@strata/db';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { ensureHistoryTable, insertHistory, readHistory } from '../src/history-table.js';

// Every part of a multi-part migration upserts its history row, and each upsert takes an identity
// value: ids pass 10 after a few migrations. The history is read in application order, by the
// number (text order put '10' before '9', and rollback reverted the wrong migration).
describeBackends('history order', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
  });
  afterAll(async () => tdb?.dispose());

  it('reads rows in id order past 9', async () => {
    const h = { schema: 'strata_order', table: 'migrations' };
    await ensureHistoryTable(db, h);
    const names = Array.from({ length: 12 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    for (const name of names) await insertHistory(db, h, { name, checksum: 'h1:x', durationMs: 1, appliedBy: 'test' });
    const rows = (await readHistory(db, h))!;
    expect(rows.map((r) => r.name)).toEqual(names);
    expect(rows.map((r) => Number(r.id))).toEqual([...rows.map((r) => Number(r.id))].sort((a, b) => a - b));
  });
});
