import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeBackends, serverVersionNum, type TestDatabase } from '@strata/testing';
import type { DatabaseClient } from '../client.js';
import { introspect } from './introspect.js';

/**
 * Generated columns as each server has them (issue 15): STORED everywhere, VIRTUAL on PostgreSQL
 * 18 (PGlite and the compatibility run's 18), where `attgenerated` is 'v'. A virtual column must
 * not read back as a stored one, or push and check would take one for the other.
 */
describeBackends('introspecting generated columns', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  let version: number;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
    version = await serverVersionNum(db);
  });
  afterAll(async () => tdb?.dispose());

  it('reads STORED as stored and, on 18, VIRTUAL as virtual', async () => {
    const virtual = version >= 180000;
    await db.exec(`create schema ig; create table ig.t (
      a integer,
      "Stored" integer generated always as (a * 2) stored
      ${virtual ? ', "Virtual" text generated always as (\'n\' || a::text) virtual' : ''})`);
    const t = (await introspect(db, { schemas: ['ig'] })).schemas.ig!.tables.t!;
    expect(t.columns.find((c) => c.name === 'Stored')!.generated).toEqual({ expression: 'a * 2' });
    if (virtual) expect(t.columns.find((c) => c.name === 'Virtual')!.generated).toEqual({ expression: "'n'::text || (a)::text", virtual: true });
    else await expect(db.exec(`alter table ig.t add column v integer generated always as (a) virtual`)).rejects.toThrow();
  });
});
