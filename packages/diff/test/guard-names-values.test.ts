import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { quoteIdent, quoteLiteral } from '@strata/core';
import type { DatabaseClient } from '@strata/db';
import type { Snapshot } from '@strata/schema';
import { catalogFingerprint, describeBackends } from '@strata/testing';
import { diffSnapshots } from '../src/index.js';
import { col, enumOf, schema, snap, table } from './build.js';
import { applyDown, applyUp, build, dropSchemas, openHarness, type Harness } from './harness.js';

/**
 * Guards (issue 15, defects 3 and 4): they compare values, not text, so a conversion that loses
 * nothing passes; and they work whatever the column is called — like the guard's own variables and
 * aliases, a reserved word, a quoted name.
 */

/** Names a guard's SQL could take for its own: its variables and aliases (old and new), reserved words, quoted names. */
const AWKWARD_NAMES = [
  'r', 'bad', 'v', 's', 'u', 't', 'found', 'FOUND', 'strata_bad', 'strata_row', 'strata_t', 'strata_s', 'strata_u', 'strata_v',
  'select', 'order', 'user', 'end', 'Weird "x" ;--', "it's", 'a.b', '%s%', 'ÿ ü',
];

/** Type changes with values at the edges of the new type; the oracle (below) says which survive. */
const CHANGES: { from: string; to: string; values: string[] }[] = [
  { from: 'numeric', to: 'numeric(20,4)', values: ['3.5', '3.50000', '0.00005', '-0.0001', '999999999999999.99995', '9999999999999999.9999', '10000000000000000'] },
  { from: 'numeric(12,2)', to: 'integer', values: ['2.00', '2.50', '2147483647.00', '2147483648.00', '-2147483648.00'] },
  { from: 'bigint', to: 'integer', values: ['2147483647', '2147483648', '-2147483648', '-2147483649', '0'] },
  { from: 'double precision', to: 'real', values: ['1.5', '0.1', '3.4e38', '1e39', 'NaN', 'Infinity', '-0', '1e-46'] },
  { from: 'text', to: 'character varying(3)', values: ['abc', 'abcd', '', 'ab ', 'äöü', 'äöüx'] },
  { from: 'text', to: 'integer', values: ['12', ' 12', 'twelve', '2147483648', '-0'] },
  { from: 'character varying(10)', to: 'character(3)', values: ['ab', 'abc', 'abcd', 'ab  '] },
  { from: 'interval', to: 'interval hour to minute', values: ['02:03', '1 day 02:03', '1 day 02:03:04', '00:00:00.5'] },
  { from: 'timestamp(6) without time zone', to: 'timestamp(0) without time zone', values: ['2024-01-01 10:00:00', '2024-01-01 10:00:00.5', '294276-12-31 23:59:59'] },
];

describeBackends('guards over awkward column names and boundary values', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(backend);
  });
  afterAll(async () => h?.dispose());

  const one = (s: string, name: string, type: string, extra = {}) => snap(schema(s, { tables: [table(s, 't', [col('id', 'integer'), col(name, type, extra)])] }));

  /** Builds prev, seeds it and applies up (or up then down); returns the error, if any. */
  async function migrate(c: DatabaseClient, s: string, prev: Snapshot, next: Snapshot, seed: string, direction: 'up' | 'down' = 'up', afterUp = '') {
    await dropSchemas(c, [s]);
    await build(c, prev);
    if (seed) await c.exec(seed);
    const diff = await diffSnapshots(prev, next);
    if (direction === 'down') {
      await applyUp(c, diff);
      if (afterUp) await c.exec(afterUp);
    }
    const before = await catalogFingerprint(c, [s]);
    const rows = (await c.query(`select * from ${quoteIdent(s)}.t order by 1`)).rows;
    const error = await (direction === 'up' ? applyUp(c, diff) : applyDown(c, diff)).then(() => null, (e: unknown) => e as Error);
    if (error) {
      // a stop leaves schema and rows as they were
      expect(await catalogFingerprint(c, [s])).toEqual(before);
      expect((await c.query(`select * from ${quoteIdent(s)}.t order by 1`)).rows).toEqual(rows);
    }
    return { diff, error };
  }

  it('a change of display scale passes; a real rounding stops (numeric → numeric(20,4))', async () => {
    const s = 'gv_scale';
    const seed = `insert into ${s}.t values (1, 3.5), (2, 12), (3, -0.25)`;
    const ok = await migrate(h.migrated, s, one(s, 'n', 'numeric'), one(s, 'n', 'numeric(20,4)'), seed);
    expect(ok.error).toBeNull();
    expect((await h.migrated.query(`select n::text as n from ${s}.t order by id`)).rows).toEqual([{ n: '3.5000' }, { n: '12.0000' }, { n: '-0.2500' }]);
    const stop = await migrate(h.migrated, s, one(s, 'n', 'numeric'), one(s, 'n', 'numeric(20,4)'), `${seed}, (4, 3.14159)`);
    expect(stop.error?.message).toMatch(/cannot change column "n" of table "gv_scale"\."t" from numeric to numeric\(20,4\): a row holds '3\.14159'/);
    await dropSchemas(h.migrated, [s]);
  });

  it('interval day to second → interval is a widening: no guard, no hazard, rows kept', async () => {
    const s = 'gv_interval';
    const { diff, error } = await migrate(h.migrated, s, one(s, 'd', 'interval day to second'), one(s, 'd', 'interval'),
      `insert into ${s}.t values (1, '1 year 2 days 03:04:05.678')`);
    expect(error).toBeNull();
    expect(diff.hazards).toEqual([]);
    expect(diff.rewrites).toEqual([]);
    expect(diff.up.map((x) => x.sql).join('\n')).not.toContain('DO $');
    expect((await h.migrated.query(`select d::text as d from ${s}.t`)).rows).toEqual([{ d: '1 year 2 days 03:04:05.678' }]);
    await dropSchemas(h.migrated, [s]);
  });

  // Every interval widening keeps the table's file (PostgreSQL's interval_support makes the cast a
  // no-op), so none is flagged as a rewrite; a narrowing is guarded and does rewrite.
  it.each([
    ['interval day to second', 'interval', false], ['interval day to second(3)', 'interval', false],
    ['interval(2)', 'interval day to second(3)', false], ['interval hour to minute', 'interval day to second', false],
    ['interval year', 'interval year to month', false], ['interval(3)', 'interval(6)', false],
    ['interval', 'interval hour to minute', true], ['interval(6)', 'interval(2)', true],
  ])('%s → %s rewrites the table: %s', async (from, to, rewrites) => {
    const s = 'gv_interval_rw';
    const fileOf = async () => (await h.migrated.query<{ f: string }>(`select pg_relation_filenode('${s}.t')::text as f`)).rows[0]!.f;
    await dropSchemas(h.migrated, [s]);
    await build(h.migrated, one(s, 'd', from));
    await h.migrated.exec(`insert into ${s}.t values (1, '1 year'), (2, null)`); // a value every interval type holds
    const before = await fileOf();
    const diff = await diffSnapshots(one(s, 'd', from), one(s, 'd', to));
    expect(diff.hazards.some((x) => x.kind === 'table-rewrite')).toBe(rewrites);
    expect(diff.rewrites.length > 0).toBe(rewrites);
    await applyUp(h.migrated, diff);
    expect(await fileOf() !== before).toBe(rewrites);
    expect((await h.migrated.query(`select d::text as d from ${s}.t order by id`)).rows).toEqual([{ d: '1 year' }, { d: null }]);
    await dropSchemas(h.migrated, [s]);
  });

  it.each(AWKWARD_NAMES)('every guard works on a column named %j', async (name) => {
    const s = 'gv_names';
    const c = quoteIdent(name);
    const stopsOn = (value: string) => new RegExp(`column ${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} of table "gv_names"\\."t".*${value}`);
    // the issue's case: double → real, and the down of real → double
    expect((await migrate(h.migrated, s, one(s, name, 'double precision'), one(s, name, 'real'), `insert into ${s}.t values (1, 1.5)`)).error).toBeNull();
    expect((await migrate(h.migrated, s, one(s, name, 'double precision'), one(s, name, 'real'), `insert into ${s}.t values (1, 0.1)`)).error?.message).toMatch(stopsOn(`'0\\.1'`));
    expect((await migrate(h.migrated, s, one(s, name, 'real'), one(s, name, 'double precision'), `insert into ${s}.t values (1, 1.5)`, 'down', `insert into ${s}.t values (2, 2.25)`)).error).toBeNull();
    expect((await migrate(h.migrated, s, one(s, name, 'real'), one(s, name, 'double precision'), `insert into ${s}.t values (1, 1.5)`, 'down', `insert into ${s}.t values (2, 0.1)`)).error?.message)
      .toMatch(stopsOn(`'0\\.1'`));
    // a cast that throws (rows tried one by one)
    expect((await migrate(h.migrated, s, one(s, name, 'text'), one(s, name, 'integer'), `insert into ${s}.t values (1, '7'), (2, 'seven')`)).error?.message).toMatch(stopsOn(`'seven'`));
    expect((await migrate(h.migrated, s, one(s, name, 'text'), one(s, name, 'integer'), `insert into ${s}.t values (1, '7'), (2, null)`)).error).toBeNull();
    // SET NOT NULL
    expect((await migrate(h.migrated, s, one(s, name, 'text'), one(s, name, 'text', { notNull: true }), `insert into ${s}.t values (1, null)`)).error?.message)
      .toMatch(new RegExp(`cannot make column ${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} of table "gv_names"\\."t" NOT NULL`));
    // enum rebuilds, scalar and array
    for (const dims of [0, 1]) {
      const e = (values: string[]) => snap(schema(s, { enums: [enumOf(s, 'mood', values)], tables: [table(s, 't', [col('id', 'integer'), col(name, 'mood', { typeSchema: s, dimensions: dims })])] }));
      const value = dims ? `'{a,b}'` : `'b'`;
      expect((await migrate(h.migrated, s, e(['a', 'b', 'c']), e(['a', 'b']), `insert into ${s}.t values (1, ${value})`)).error).toBeNull();
      expect((await migrate(h.migrated, s, e(['a', 'b', 'c']), e(['a', 'b']), `insert into ${s}.t values (1, ${value}), (2, ${dims ? `'{a,c}'` : `'c'`})`)).error?.message)
        .toMatch(/cannot change the values of type "gv_names"\."mood".* holds 'c'/);
    }
    await dropSchemas(h.migrated, [s]);
  });

  it('random column names and boundary values: a migration stops exactly when a value would change', async () => {
    const c = h.migrated;
    /** The oracle, one value at a time on the server: does it convert there and back to the same value? */
    const survives = async (from: string, to: string, value: string): Promise<boolean> => {
      try {
        const r = await c.query<{ same: boolean }>(`select (${quoteLiteral(value)}::${from})::${to}::${from} = ${quoteLiteral(value)}::${from} as same`);
        return r.rows[0]!.same;
      } catch {
        return false;
      }
    };
    const name = fc.oneof(fc.constantFrom(...AWKWARD_NAMES), fc.string({ minLength: 1, maxLength: 20 }).filter((x) => !x.includes('\0') && x !== 'id'));
    const change = fc.integer({ min: 0, max: CHANGES.length - 1 }).chain((i) =>
      fc.record({ i: fc.constant(i), values: fc.subarray(CHANGES[i]!.values, { minLength: 1 }) }));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(name, change, async (column, { i, values }) => {
        const { from, to } = CHANGES[i]!;
        const s = `gv_prop_${run++}`;
        const seed = `insert into ${quoteIdent(s)}.t values ${values.map((v, k) => `(${k}, ${quoteLiteral(v)}::${from})`).join(', ')}`;
        const expected = (await Promise.all(values.map((v) => survives(from, to, v)))).every(Boolean);
        const { error } = await migrate(c, s, one(s, column, from), one(s, column, to), seed);
        if (expected) {
          expect(error).toBeNull();
          const kept = await c.query<{ same: boolean }>(`select bool_and(t.${quoteIdent(column)}::${from} = v.x::${from}) as same from ${quoteIdent(s)}.t join (values ${values.map((v, k) => `(${k}, ${quoteLiteral(v)})`).join(', ')}) as v(k, x) on v.k = t.id`);
          expect(kept.rows[0]!.same).toBe(true);
        } else {
          expect(error?.message).toContain(`cannot change column ${quoteIdent(column)} of table ${quoteIdent(s)}."t"`);
        }
        await dropSchemas(c, [s]);
      }),
      { numRuns: Number(process.env.STRATA_PROPERTY_RUNS ?? 25), endOnFailure: true },
    );
  }, 600_000);
});
