import { expect, it } from 'vitest';
import { makeObjectName, quoteIdent } from '@strata/core';
import { describeBackends } from '@strata/testing';
import { diffSnapshots, formatRenamePath, renderMigration, STATEMENT_BREAKPOINT } from '../src/index.js';
import { check, col, el, enumOf, fk, identity, index, pk, policy, schema, seq, snap, table, unique, view } from './build.js';
import { runCases, useHarness, type Case } from './cases.js';
import { applyUp, build, dropSchemas } from './harness.js';

/** Quotes, spaces, capitals, reserved words, unicode, `;` and `--`, 63-byte names: in every kind of statement. */
const W = {
  table: 'Order Items; --x',
  reserved: 'select',
  long: `long_${'x'.repeat(58)}`, // 63 bytes: the most PostgreSQL keeps
  unicodeLong: `ü${'é'.repeat(30)}x`, // 63 bytes of two-byte characters
  colSpace: 'a b',
  colQuote: 'say "hi"',
  colSemi: ';drop table x; --',
  colUni: 'Ünïcødé',
  colReserved: 'user',
  enumName: `Mood's "kind"`,
  values: [`it's`, 'a"b', 'back\\slash', 'semi;colon', 'dash--dash', 'Üñí'],
  view: 'View "x"; --',
  index: 'idx; DROP TABLE x --',
  policy: 'pol "1"',
  check: 'chk--1',
  fk: 'fk "to" select',
  seq: 'Seq;uence',
};
const qi = quoteIdent;

function weird(s: string, variant: 0 | 1) {
  const en = enumOf(s, W.enumName, variant === 0 ? W.values : [...W.values].reverse().filter((v) => v !== 'dash--dash'));
  const enumType = { type: W.enumName, typeSchema: s };
  const parent = table(s, W.reserved, [
    col('id', 'integer', { notNull: true }),
    col(W.colReserved, 'text'),
  ], { primaryKey: pk(`${W.reserved}_pkey`, 'id') });
  const items = variant === 0 ? W.table : `${W.table} 2`;
  const colName = variant === 0 ? W.colSpace : `${W.colSpace} renamed`;
  const main = table(s, items, [
    col('id', 'serial', { notNull: true }),
    col(colName, 'integer', { default: '1' }),
    col(W.colQuote, variant === 0 ? 'character varying(20)' : 'text'),
    col(W.colSemi, 'text', { notNull: variant === 1 }),
    col(W.colUni, W.enumName, { typeSchema: s, default: `${quoteLiteral(`it's`)}::${qi(s)}.${qi(W.enumName)}` }),
    col('tags', W.enumName, { ...enumType, dimensions: 1 }),
    col('parent', 'integer'),
    col('g', 'integer', { generated: { expression: `${qi(colName)} * 2` } }),
  ], {
    primaryKey: pk(makeObjectName(items, undefined, 'pkey'), 'id'),
    uniques: [unique(`${W.colQuote} unique`, [W.colQuote])],
    checks: [check(W.check, `${qi(colName)} >= 0`)],
    foreignKeys: [fk(W.fk, ['parent'], [s, W.reserved], ['id'], { onDelete: 'set null' })],
    indexes: [
      index(W.index, [W.colSemi, el(`lower(${qi(W.colQuote)})`, { expression: true })], { where: `${qi(W.colUni)} <> 'a"b'::${qi(s)}.${qi(W.enumName)}` }),
    ],
    rlsEnabled: true,
    policies: [policy(W.policy, { using: `${qi(colName)} > 0`, withCheck: variant === 0 ? undefined : 'true' })],
  });
  const long = table(s, W.long, [col('id', 'bigint', { notNull: true, identity: identity(makeObjectName(W.long, 'id', 'seq'), { maxValue: '9223372036854775807' }) }), col('n', 'serial', { notNull: true })], {
    primaryKey: pk(makeObjectName(W.long, undefined, 'pkey'), 'id'),
  });
  const uni = table(s, W.unicodeLong, [col('id', 'serial', { notNull: true }), col(W.unicodeLong, 'integer')], {
    primaryKey: pk(makeObjectName(W.unicodeLong, undefined, 'pkey'), 'id'),
    indexes: [index(makeObjectName(W.unicodeLong, W.unicodeLong, 'index'), [W.unicodeLong])],
  });
  return snap(schema(s, {
    enums: [en],
    sequences: [seq(s, W.seq, variant === 0 ? {} : { increment: '3' })],
    tables: [parent, main, long, uni],
    views: [view(s, W.view, `select ${qi(W.colQuote)}, ${qi(W.colUni)} from ${qi(s)}.${qi(items)}`)],
  }));
}

function quoteLiteral(v: string) {
  return `'${v.replaceAll("'", "''")}'`;
}

const S = (i: number) => `Wéird "Schema"; --${i}`;

const CASES: Case[] = [
  {
    name: 'creates and drops everything with weird names',
    build: (s) => ({ prev: snap(), next: weird(s, 0) }),
  },
  {
    name: 'renames (hints with quoted parts), type changes, enum rebuild, view and policy rebuilds with weird names, on rows',
    build: (s) => ({
      prev: weird(s, 0),
      next: weird(s, 1),
      renames: [
        `${formatRenamePath([s, W.table])}=${formatRenamePath([s, `${W.table} 2`])}`,
        `${formatRenamePath([W.table, W.colSpace])}=${formatRenamePath([`${W.table} 2`, `${W.colSpace} renamed`])}`,
      ],
      seed: `insert into ${qi(s)}.${qi(W.reserved)} values (1, 'u');
             insert into ${qi(s)}.${qi(W.table)} (${qi(W.colSpace)}, ${qi(W.colQuote)}, ${qi(W.colSemi)}, tags, parent)
               values (5, 'Hello', 'x', '{semi;colon,Üñí}', 1);
             insert into ${qi(s)}.${qi(W.long)} default values;
             insert into ${qi(s)}.${qi(W.unicodeLong)} (${qi(W.unicodeLong)}) values (3);`,
      afterUp: async (c) => {
        expect((await c.query(`select ${qi(`${W.colSpace} renamed`)} as a, g, tags::text from ${qi(s)}.${qi(`${W.table} 2`)}`)).rows)
          .toEqual([{ a: 5, g: 10, tags: '{semi;colon,Üñí}' }]);
      },
    }),
  },
  {
    name: 'renames a schema, an enum (adding values in place), a view and a materialized view with weird names',
    build: (s) => {
      const make = (sch: string, e: string, values: string[], v: string, m: string) => schema(sch, {
        enums: [enumOf(sch, e, values)],
        tables: [table(sch, W.reserved, [col(W.colUni, e, { typeSchema: sch })])],
        views: [
          // Not reading the table: a view naming the renamed schema in its SQL is rebuilt, not renamed.
          view(sch, v, `select 1 as ${qi(W.colSemi)}`),
          view(sch, m, `select 2 as ${qi(W.colQuote)}`, { materialized: true }),
        ],
      });
      const s2 = `${s} renamed`;
      return {
        prev: snap(make(s, W.enumName, W.values.slice(0, 2), W.view, `${W.view} m`)),
        next: snap(make(s2, `${W.enumName} 2`, [W.values[2]!, ...W.values.slice(0, 2), W.values[3]!], `${W.view} 2`, `${W.view} m2`)),
        renames: [
          `${formatRenamePath([s])}=${formatRenamePath([s2])}`,
          // The old side is named as it was (old schema), the new side as it is.
          `${formatRenamePath([s, W.enumName])}=${formatRenamePath([s2, `${W.enumName} 2`])}`,
          `${formatRenamePath([W.view])}=${formatRenamePath([`${W.view} 2`])}`,
          `${formatRenamePath([`${W.view} m`])}=${formatRenamePath([`${W.view} m2`])}`,
        ],
        seed: `insert into ${qi(s)}.${qi(W.reserved)} values ('a"b')`,
        check: (d) => expect(d.changes.map((c) => c.kind)).toEqual(['rename-schema', 'rename-enum', 'add-enum-value', 'add-enum-value', 'rename-view', 'rename-view']),
      };
    },
  },
];

describeBackends('weird identifiers', (backend) => {
  const harness = useHarness(backend);
  runCases(harness, 'wi', CASES.map((c, i) => ({ ...c, build: () => c.build(S(i)) })));

  it('a guard names weird table, column and value in its message', async () => {
    const s = S(9);
    const t = (ty: string) => snap(schema(s, { tables: [table(s, W.table, [col(W.colQuote, ty)])] }));
    const h = harness();
    await dropSchemas(h.migrated, [s]);
    await build(h.migrated, t('text'));
    await h.migrated.exec(`insert into ${qi(s)}.${qi(W.table)} values ('it''s 100%; --"x"')`);
    const diff = await diffSnapshots(t('text'), t('integer'));
    await expect(applyUp(h.migrated, diff)).rejects.toThrow(`column "say ""hi""" of table "Wéird ""Schema""; --9"."Order Items; --x" from text to integer: a row holds 'it''s 100%; --"x"'`);
    await dropSchemas(h.migrated, [s]);
  });

  it('a rendered file splits back into exactly its statements', async () => {
    const diff = await diffSnapshots(snap(), weird(S(8), 0));
    const file = renderMigration(diff.up);
    const chunks = file.split(`\n${STATEMENT_BREAKPOINT}\n`);
    expect(chunks).toHaveLength(diff.up.length);
    chunks.forEach((chunk, i) => {
      const code = chunk.split('\n').filter((l) => !l.startsWith('-- ')).join('\n').trim();
      expect(code).toBe(`${diff.up[i]!.sql};`);
    });
  });
});
