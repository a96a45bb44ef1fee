import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { push } from '../src/index.js';
import { createProject, type TestProject } from './project.js';

// `x IN ('a', 'b')` on a varchar column: PostgreSQL prints it as `= ANY ((ARRAY['a'::character
// varying, …])::text[])`, and that text, parsed again, is stored as another expression
// (`ARRAY[('a'::character varying)::text, …]`). Push must build what the code says, as migrate does.
const STATES = `import { sql } from 'drizzle-orm';
import { check, pgTable, serial, varchar } from 'drizzle-orm/pg-core';

export const parts = pgTable('parts', {
  id: serial('id').primaryKey(),
  state: varchar('state', { length: 32 }),
}, () => [check('state_valid', sql\`(state IS NULL OR state IN ('open', 'done'))\`)]);
`;

describeBackends('push builds expressions as the code writes them', (backend) => {
  let tdb: TestDatabase;
  let p: TestProject;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    p = createProject(STATES);
  });
  afterAll(async () => {
    await tdb?.dispose();
    p?.remove();
  });

  it('a check the server prints in a form that does not parse back to itself: push builds it from the code, and a second push finds nothing', async () => {
    const db = await tdb.client();
    const r = await push({ config: p.config, db });
    expect(r.applied).toBe(true);
    expect(r.sql).toContain(`state IN ('open', 'done')`);
    const def = (await db.query<{ d: string }>(`select pg_get_constraintdef(oid) as d from pg_constraint where conname = 'state_valid'`)).rows[0]!.d;
    expect(def).toContain(`(ARRAY['open'::character varying, 'done'::character varying])::text[]`);
    expect(await push({ config: p.config, db })).toMatchObject({ changed: false, applied: false });
  });
});
