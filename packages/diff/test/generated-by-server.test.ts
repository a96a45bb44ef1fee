import { afterAll, beforeAll, expect, it } from 'vitest';
import { StrataError } from '@strata/core';
import { assertServerCanExpress, type Column, type Snapshot } from '@strata/schema';
import { describeBackends, serverVersionNum } from '@strata/testing';
import { diffSnapshots, type Diff } from '../src/index.js';
import { col, schema, snap, table } from './build.js';
import { openHarness, roundTrip, type Harness } from './harness.js';

/**
 * Generated columns, planned for the server they run on (issue 15, "every supported server"): a
 * changed expression is set in place with SET EXPRESSION on PostgreSQL 17 and newer and dropped and
 * added again before; VIRTUAL columns (PostgreSQL 18) are built, changed and dropped there, and
 * refused on older servers. Each branch runs on the backend whose version takes it: PGlite (18),
 * the quick lane's PostgreSQL 15, and the compatibility run's 13–18.
 */
describeBackends('generated columns by server version', (backend) => {
  let h: Harness;
  let version: number;
  beforeAll(async () => {
    h = await openHarness(backend);
    version = await serverVersionNum(h.migrated);
  });
  afterAll(async () => h?.dispose());

  const gen = (name: string, expression: string, virtual = false, extra: Partial<Column> = {}) =>
    col(name, 'integer', { generated: { expression, ...(virtual ? { virtual: true as const } : {}) }, ...extra });
  const t = (s: string, ...columns: Column[]): Snapshot => snap(schema(s, { tables: [table(s, 't', [col('a', 'integer'), ...columns])] }));
  const kinds = (d: Diff) => d.changes.map((c) => c.kind);
  const rows = (s: string) => async (c: { query: Harness['migrated']['query'] }) =>
    (await c.query<{ a: number; g: number }>(`select a, g from ${s}.t order by a`)).rows;

  it('a changed expression: SET EXPRESSION on 17 and newer, drop and add before; values recomputed both ways', async () => {
    const s = 'gs_expr';
    let up: unknown, down: unknown;
    const diff = await roundTrip(h, t(s, gen('g', 'a * 2')), t(s, gen('g', 'a * 3')), {
      forServer: true,
      seed: `insert into ${s}.t (a) values (1), (5)`,
      afterUp: async (c) => { up = await rows(s)(c); },
      afterDown: async (c) => { down = await rows(s)(c); },
    });
    expect(up).toEqual([{ a: 1, g: 3 }, { a: 5, g: 15 }]);
    expect(down).toEqual([{ a: 1, g: 2 }, { a: 5, g: 10 }]);
    if (version >= 170000) {
      expect(kinds(diff)).toEqual(['set-generated-expression']);
      expect(diff.up.map((x) => x.sql)).toEqual([`ALTER TABLE "${s}"."t" ALTER COLUMN "g" SET EXPRESSION AS (a * 3)`]);
      expect(diff.hazards.map((x) => x.kind)).toEqual(['table-rewrite']);
    } else {
      expect(kinds(diff)).toEqual(['drop-column', 'add-column']);
    }
    // Without a known server the plan is the one every supported server runs.
    expect(kinds(await diffSnapshots(t(s, gen('g', 'a * 2')), t(s, gen('g', 'a * 3'))))).toEqual(['drop-column', 'add-column']);
  });

  it('SET EXPRESSION reading a column added by the same migration runs after the add', async () => {
    const s = 'gs_expr_add';
    const diff = await roundTrip(h, t(s, gen('g', 'a * 2')), t(s, col('b', 'integer', { default: '7' }), gen('g', 'a + b')), {
      forServer: true,
      seed: `insert into ${s}.t (a) values (1)`,
      afterUp: async (c) => expect((await c.query(`select g from ${s}.t`)).rows).toEqual([{ g: 8 }]),
    });
    expect(kinds(diff)).toEqual(version >= 170000 ? ['add-column', 'set-generated-expression'] : ['drop-column', 'add-column', 'add-column']);
  });

  it('a changed expression whose column changes type, or that read a dropped column, is dropped and added again on every server', async () => {
    const s = 'gs_expr_blocked';
    const typed = await roundTrip(h, t(s, gen('g', 'a * 2')), t(s, gen('g', 'a * 3', false, { type: 'bigint' })), { forServer: true, seed: `insert into ${s}.t (a) values (2)` });
    expect(kinds(typed)).toEqual(['drop-column', 'add-column']);
    const prev = t(s, col('b', 'integer'), gen('g', 'a + b'));
    const dropped = await roundTrip(h, prev, t(s, gen('g', 'a * 3')), { forServer: true });
    expect(kinds(dropped)).not.toContain('set-generated-expression');
  });

  it('VIRTUAL generated columns: built, changed and dropped on 18; refused before with the feature and the version', async () => {
    const s = 'gs_virtual';
    const virtual = t(s, gen('g', 'a * 2', true));
    if (version < 180000) {
      let error: unknown;
      try {
        assertServerCanExpress(virtual, { versionNum: version }, 'push');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StrataError);
      expect((error as StrataError).code).toBe('UNSUPPORTED_BY_SERVER');
      expect((error as StrataError).message).toMatch(/cannot express VIRTUAL generated columns \(PostgreSQL 18 or newer\), used by column "g" of gs_virtual\.t/);
      return;
    }
    expect(() => assertServerCanExpress(virtual, { versionNum: version }, 'push')).not.toThrow();
    // added: computed when read, so nothing is rewritten
    const added = await roundTrip(h, t(s), virtual, { forServer: true, seed: `insert into ${s}.t values (4)` });
    expect(added.up.map((x) => x.sql).join('\n')).toContain('GENERATED ALWAYS AS (a * 2) VIRTUAL');
    expect(added.hazards).toEqual([]);
    // a changed expression is set in place without a rewrite
    const changed = await roundTrip(h, virtual, t(s, gen('g', 'a * 5', true)), {
      forServer: true, seed: `insert into ${s}.t values (4)`,
      afterUp: async (c) => expect((await c.query(`select g from ${s}.t`)).rows).toEqual([{ g: 20 }]),
    });
    expect(kinds(changed)).toEqual(['set-generated-expression']);
    expect(changed.hazards).toEqual([]);
    // STORED ↔ VIRTUAL and VIRTUAL → plain have no ALTER: dropped and added again
    expect(kinds(await roundTrip(h, t(s, gen('g', 'a * 2')), virtual, { forServer: true, seed: `insert into ${s}.t values (4)` }))).toEqual(['drop-column', 'add-column']);
    expect(kinds(await roundTrip(h, virtual, t(s, col('g', 'integer')), { forServer: true }))).toEqual(['drop-column', 'add-column']);
  });
});
