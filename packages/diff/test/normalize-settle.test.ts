import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { quoteIdent } from '@strata/core';
import { canonicalJson, type Snapshot } from '@strata/schema';
import { createSnapshotSql } from '@strata/diff';
import type { DatabaseClient } from '@strata/db';
import { introspect } from '@strata/db';
import { normalizeSnapshot } from '@strata/db';
import { sameDefault, sameJson, settleAgainst } from '@strata/db';

const buildSql = (s: Snapshot) => createSnapshotSql(s).map((st) => st.sql);

describe('sameDefault', () => {
  const col = (type: string, extra: { typeSchema?: string; dimensions?: number } = {}) => ({ type, dimensions: 0, ...extra });
  it('accepts the literal cast to the column type, however the type name is written', () => {
    expect(sameDefault(`'active'`, `'active'::status`, col('status', { typeSchema: 'public' }))).toBe(true);
    expect(sameDefault(`'a'`, `'a'::"My Enum"`, col('My Enum', { typeSchema: 'public' }))).toBe(true);
    expect(sameDefault(`'a'`, `'a'::"Sc"."My Enum"`, col('My Enum', { typeSchema: 'Sc' }))).toBe(true);
    expect(sameDefault(`'q'`, `'q'::character varying`, col('character varying(20)'))).toBe(true);
    expect(sameDefault(`'{}'`, `'{}'::integer[]`, col('integer', { dimensions: 1 }))).toBe(true);
    expect(sameDefault(`-1`, `'-1'::integer`, col('integer'))).toBe(true);
    expect(sameDefault(`-9`, `'-9'::integer`, col('bigint'))).toBe(true); // cast to bigint implicit, not printed
    expect(sameDefault(`-1.5`, `'-1.5'::numeric`, col('double precision'))).toBe(true);
    expect(sameDefault(`'it''s'`, `'it''s'::text`, col('text'))).toBe(true);
  });
  it('refuses everything else', () => {
    expect(sameDefault(`'a'`, `'a'::character varying`, col('text'))).toBe(false); // another type
    expect(sameDefault(`-9`, `'-9'::bigint`, col('bigint'))).toBe(false); // the server keeps -9 an integer
    expect(sameDefault(`-9999999999`, `'-9999999999'::bigint`, col('bigint'))).toBe(false); // not guessed
    expect(sameDefault(`'ab'`, `'ab'::bpchar`, col('character(2)'))).toBe(false);
    expect(sameDefault(`'a'`, `'b'::text`, col('text'))).toBe(false);
    expect(sameDefault(`'a'`, `'a'::text::character varying`, col('character varying'))).toBe(false);
    expect(sameDefault(`now()`, `'now'::text`, col('text'))).toBe(false);
    expect(sameDefault(`'a'`, `'a'::"bit"`, col('"bit"'))).toBe(false); // quoted built-in: not guessed
  });
});

describe('sameJson', () => {
  it('compares as canonical JSON would: key order and undefined members do not count, array order does', () => {
    expect(sameJson({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, z: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameJson({ a: '1' }, { a: 1 })).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson(JSON.parse('{"__proto__": {"x": 1}}'), JSON.parse('{"__proto__": {"x": 2}}'))).toBe(false);
  });
});

describe('settleAgainst', () => {
  it('takes names such as constructor and __proto__ as plain names', () => {
    const table = (name: string) => ({ schema: 'public', name, columns: [{ name: 'id', type: 'integer', dimensions: 0, notNull: true }], uniques: {}, checks: {}, foreignKeys: {}, indexes: {}, rlsEnabled: false, policies: {} });
    const snapshot = (names: string[]): Snapshot => ({
      version: 1, dialect: 'postgresql',
      schemas: { public: { name: 'public', enums: {}, sequences: {}, views: {}, tables: Object.fromEntries(names.map((n) => [n, table(n)])) } },
    }) as Snapshot;
    const settled = settleAgainst(snapshot(['constructor', '__proto__', 'same']), snapshot(['same']));
    expect([...settled.open.tables].sort()).toEqual(['public\0__proto__', 'public\0constructor']);
    expect(Object.keys(settled.snapshot.schemas.public!.tables).sort()).toEqual(['__proto__', 'constructor', 'same']);
  });
});

describeBackends('settling against the live database', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
  });
  afterAll(async () => tdb?.dispose());

  // Column types × default expressions, written as schema code would write them.
  const TYPES = ['integer', 'bigint', 'numeric(10,2)', 'double precision', 'text', 'varchar(20)', 'char(2)', 'boolean', 'jsonb', 'integer[]', 'timestamp(3) with time zone', 'mood', '"Odd ""Sch"""."Mo od"', '"Odd ""Sch"""."Mo od"[]'];
  const DEFAULTS = ['-1', `'-1'`, '1', `'1'`, '-1.5', `'-1.5'`, `'a'`, `'ab'`, `'{}'`, `'{"a":1}'`, `'{"a": 1}'`, 'true', `'true'`, `'2020-01-01'`, 'now()', `'sad'`, `'it''s'`];

  it('never settles a default the server would spell otherwise (every type × every pair of defaults)', async () => {
    await db.exec(`create schema settle_m; create type settle_m.mood as enum ('sad', 'a', 'ab');
      create schema "Odd ""Sch"""; create type "Odd ""Sch"""."Mo od" as enum ('sad', 'a', 'ab', '-1', '1')`);
    await db.exec(`set search_path to settle_m, public`);
    try {
      // One table per type, one column per default the server accepts for it.
      const accepted = new Map<string, string[]>();
      for (const [ti, type] of TYPES.entries()) {
        const ok: string[] = [];
        await db.exec(`create table settle_m.t${ti} (k int)`);
        for (const [di, d] of DEFAULTS.entries()) {
          try {
            await db.exec(`alter table settle_m.t${ti} add column c${di} ${type} default ${d}`);
            ok.push(d);
          } catch {
            // the server refused this default for this type: not a case
          }
        }
        accepted.set(String(ti), ok);
      }
      const live = await introspect(db, { schemas: ['settle_m'] });
      let settledPairs = 0;
      for (const [ti] of TYPES.entries()) {
        const table = live.schemas.settle_m!.tables[`t${ti}`]!;
        const spelled = new Map(table.columns.filter((c) => c.name !== 'k').map((c) => [DEFAULTS[Number(c.name.slice(1))]!, c]));
        for (const [codeDefault, a] of spelled) {
          for (const b of spelled.values()) {
            if (!sameDefault(codeDefault, b.default!, b)) continue;
            settledPairs++;
            // settling `codeDefault` as b's spelling is only right when the server spells it so
            expect({ type: TYPES[ti], code: codeDefault, server: a.default }).toEqual({ type: TYPES[ti], code: codeDefault, server: b.default });
          }
        }
      }
      expect(settledPairs).toBeGreaterThan(20); // the rule does settle the common cases
    } finally {
      await db.exec(`reset search_path; drop schema settle_m cascade; drop schema "Odd ""Sch""" cascade`);
    }
  });

  /** A schema as code writes it: literals uncast, a check and an index the server reformats. */
  function code(schema: string): Snapshot {
    const t = (name: string, extra: object = {}) => ({
      schema, name, uniques: {}, checks: {}, foreignKeys: {}, indexes: {}, rlsEnabled: false, policies: {},
      primaryKey: { name: `${name}_pkey`, columns: ['id'] },
      columns: [
        { name: 'id', type: 'serial', dimensions: 0, notNull: true },
        { name: 'state', type: 'st', typeSchema: schema, dimensions: 0, notNull: true, default: `'on'` },
        { name: 'n', type: 'numeric(10,2)', dimensions: 0, notNull: false, default: `'0'` },
        { name: 'tags', type: 'text', dimensions: 1, notNull: false, default: `'{}'` },
      ],
      ...extra,
    });
    return {
      version: 1, dialect: 'postgresql',
      schemas: {
        [schema]: {
          name: schema,
          enums: { st: { schema, name: 'st', values: ['on', 'off'] } },
          sequences: {},
          views: {},
          tables: {
            parent: t('parent'),
            child: t('child', {
              columns: [
                { name: 'id', type: 'serial', dimensions: 0, notNull: true },
                { name: 'parent_id', type: 'integer', dimensions: 0, notNull: false },
                { name: 'n', type: 'integer', dimensions: 0, notNull: false, default: '-1' },
              ],
              checks: { child_n: { name: 'child_n', expression: `"child"."n" > -5` } },
              foreignKeys: { child_parent_fk: { name: 'child_parent_fk', columns: ['parent_id'], foreignSchema: schema, foreignTable: 'parent', foreignColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' } },
            }),
          },
        },
      },
    } as Snapshot;
  }

  async function built(schema: string): Promise<Snapshot> {
    await db.exec(`drop schema if exists ${quoteIdent(schema)} cascade`);
    for (const st of buildSql(code(schema))) await db.exec(st);
    return introspect(db, { schemas: [schema] });
  }

  const only = (s: Snapshot, schema: string) => canonicalJson(s.schemas[schema]);

  it('settles a matching database without touching the server, equal to a full build', async () => {
    const live = await built('settle_a');
    const full = await normalizeSnapshot(db, code('settle_a'), { buildSql });
    const settled = settleAgainst(code('settle_a'), live);
    // the check expression is spelled differently by the server: only that table stays open
    expect([...settled.open.tables]).toEqual(['settle_a\0child']);
    expect(settled.snapshot.schemas.settle_a!.tables.parent!.columns.map((c) => c.default)).toEqual([undefined, `'on'::settle_a.st`, `'0'::numeric`, `'{}'::text[]`]);
    const viaReference = await normalizeSnapshot(db, code('settle_a'), { buildSql, reference: live });
    expect(only(viaReference, 'settle_a')).toBe(only(full, 'settle_a'));
    expect(only(viaReference, 'settle_a')).toBe(only(live, 'settle_a'));
  });

  it('builds only what differs, and gives what a full build gives', async () => {
    const live = await built('settle_b');
    await db.exec(`alter table settle_b.parent alter column n set default 7; alter table settle_b.child drop constraint child_n`);
    const drifted = await introspect(db, { schemas: ['settle_b'] });
    const full = await normalizeSnapshot(db, code('settle_b'), { buildSql });
    const viaReference = await normalizeSnapshot(db, code('settle_b'), { buildSql, reference: drifted });
    expect(only(viaReference, 'settle_b')).toBe(only(full, 'settle_b'));
    expect(only(viaReference, 'settle_b')).toBe(only(live, 'settle_b'));
  });

  it('asks the server nothing when everything settles', async () => {
    const codeOnly = code('settle_c');
    delete codeOnly.schemas.settle_c!.tables.child; // its check is the one thing the server must spell
    await db.exec(`drop schema if exists settle_c cascade`);
    for (const st of buildSql(codeOnly)) await db.exec(st);
    const live = await introspect(db, { schemas: ['settle_c'] });
    const closed = await createTestDatabase(backend);
    const gone = await closed.client();
    await closed.dispose(); // any query on `gone` now fails
    const result = await normalizeSnapshot(gone, codeOnly, { buildSql, reference: live });
    expect(only(result, 'settle_c')).toBe(only(live, 'settle_c'));
  });
});
