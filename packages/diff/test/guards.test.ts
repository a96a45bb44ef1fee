import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DatabaseClient } from '@strata/db';
import type { Snapshot } from '@strata/schema';
import { catalogFingerprint, describeBackends } from '@strata/testing';
import { diffSnapshots, type Diff } from '../src/index.js';
import { col, enumOf, schema, snap, table } from './build.js';
import { applyDown, applyUp, build, dropSchemas, openHarness, type Harness } from './harness.js';

/**
 * Rows that do not fit the new (or, for a down, the old) shape stop the migration with a message
 * naming table, column and value, and leave schema and rows as they were.
 */
describeBackends('guards', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(backend);
  });
  afterAll(async () => h?.dispose());

  async function expectStops(
    s: string, prev: Snapshot, next: Snapshot, seed: string, message: RegExp, direction: 'up' | 'down', afterUp = '',
  ): Promise<Diff> {
    const c: DatabaseClient = h.migrated;
    await dropSchemas(c, [s]);
    await build(c, prev);
    await c.exec(seed);
    const diff = await diffSnapshots(prev, next);
    if (direction === 'down') {
      await applyUp(c, diff);
      await c.exec(afterUp);
    }
    const before = await catalogFingerprint(c, [s]);
    const rows = (await c.query(`select * from "${s}"."t" order by 1`)).rows;
    await expect(direction === 'up' ? applyUp(c, diff) : applyDown(c, diff)).rejects.toThrow(message);
    expect(await catalogFingerprint(c, [s])).toEqual(before);
    expect((await c.query(`select * from "${s}"."t" order by 1`)).rows).toEqual(rows);
    await dropSchemas(c, [s]);
    return diff;
  }

  it('a narrowing type change stops on a value that does not fit (no silent truncation)', async () => {
    const s = 'g_narrow';
    const t = (ty: string) => snap(schema(s, { tables: [table(s, 't', [col('id', 'integer'), col('code', ty)])] }));
    await expectStops(s, t('character varying(20)'), t('character varying(5)'), `insert into ${s}.t values (1, 'abc'), (2, 'much too long')`,
      /column "code" of table "g_narrow"\."t".*'much too long'/, 'up');
  });

  it('a type change stops on a value the cast rejects, naming it', async () => {
    const s = 'g_cast';
    const t = (ty: string) => snap(schema(s, { tables: [table(s, 't', [col('id', 'integer'), col('qty', ty)])] }));
    await expectStops(s, t('text'), t('integer'), `insert into ${s}.t values (1, '12'), (2, 'twelve')`, /column "qty" of table "g_cast"\."t".*'twelve'/, 'up');
  });

  it('a type change stops instead of rounding (numeric → integer)', async () => {
    const s = 'g_round';
    const t = (ty: string) => snap(schema(s, { tables: [table(s, 't', [col('id', 'integer'), col('price', ty)])] }));
    await expectStops(s, t('numeric(10,2)'), t('integer'), `insert into ${s}.t values (1, 2.00), (2, 2.50)`, /column "price".*'2\.50'/, 'up');
  });

  it('SET NOT NULL stops on a NULL', async () => {
    const s = 'g_null';
    const t = (notNull: boolean) => snap(schema(s, { tables: [table(s, 't', [col('id', 'integer'), col('email', 'text', { notNull })])] }));
    await expectStops(s, t(false), t(true), `insert into ${s}.t values (1, 'a'), (2, null)`, /cannot make column "email" of table "g_null"\."t" NOT NULL: a row holds NULL/, 'up');
  });

  it('adding a NOT NULL column without a default stops when the table holds rows', async () => {
    const s = 'g_add';
    const prev = snap(schema(s, { tables: [table(s, 't', [col('id', 'integer')])] }));
    const next = snap(schema(s, { tables: [table(s, 't', [col('id', 'integer'), col('tier', 'integer', { notNull: true })])] }));
    await expectStops(s, prev, next, `insert into ${s}.t values (1)`, /cannot add column "tier" of table "g_add"\."t" as NOT NULL without a default/, 'up');
  });

  it('the down of an added enum value stops when a row uses it', async () => {
    const s = 'g_enum';
    const t = (values: string[]) => snap(schema(s, { enums: [enumOf(s, 'mood', values)], tables: [table(s, 't', [col('id', 'integer'), col('m', 'mood', { typeSchema: s })])] }));
    const diff = await expectStops(s, t(['a', 'b']), t(['a', 'b', 'c']), `insert into ${s}.t values (1, 'a')`,
      /cannot change the values of type "g_enum"\."mood": column "m" of table "g_enum"\."t" holds 'c'/, 'down', `insert into ${s}.t values (2, 'c')`);
    expect(diff.warnings.join('\n')).toMatch(/down migration stops if "g_enum"\."t"\."m" holds a value/);
  });

  it('the down of a widening stops when a row no longer fits the old type', async () => {
    const s = 'g_widen';
    const t = (ty: string) => snap(schema(s, { tables: [table(s, 't', [col('id', 'integer'), col('n', ty)])] }));
    await expectStops(s, t('integer'), t('bigint'), `insert into ${s}.t values (1, 1)`, /column "n" of table "g_widen"\."t".*'9000000000'/, 'down',
      `insert into ${s}.t values (2, 9000000000)`);
  });

  it('the down of a dropped NOT NULL column stops when the table holds rows', async () => {
    const s = 'g_restore';
    const prev = snap(schema(s, { tables: [table(s, 't', [col('id', 'integer'), col('must', 'text', { notNull: true })])] }));
    const next = snap(schema(s, { tables: [table(s, 't', [col('id', 'integer')])] }));
    const diff = await expectStops(s, prev, next, `insert into ${s}.t values (1, 'x')`, /cannot add column "must".*Its old values were dropped/, 'down');
    expect(diff.warnings.join('\n')).toMatch(/"must" is dropped.*stops if the table holds rows/);
  });
});
