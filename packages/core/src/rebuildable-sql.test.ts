import { expect, it } from 'vitest';
import { rebuildableSql } from './rebuildable-sql.js';

const printed = (operand: string, items: string[], op = '= ANY') =>
  `(${operand})::text ${op} ((ARRAY[${items.map((i) => `${i}::character varying`).join(', ')}])::text[])`;
const list = (items: string[]) => items.map((i) => `${i}::character varying`).join(', ');

it('writes a printed IN list over a character varying operand back as IN over the same literals', () => {
  expect(rebuildableSql(`((tool_state IS NULL) OR ${printed('tool_state', [`'input-streaming'`, `'it''s'`])})`))
    .toBe(`((tool_state IS NULL) OR (tool_state) IN (${list([`'input-streaming'`, `'it''s'`])}))`);
  expect(rebuildableSql(`(${printed('"St)ate"', [`'a'`, `'b'`])})`)).toBe(`(("St)ate") IN (${list([`'a'`, `'b'`])}))`);
  expect(rebuildableSql(`${printed('a', [`'x'`, `'y'`])} AND ${printed('t.b', [`'y'`, `'z'`], '<> ALL')}`))
    .toBe(`(a) IN (${list([`'x'`, `'y'`])}) AND (t.b) NOT IN (${list([`'y'`, `'z'`])})`);
  expect(rebuildableSql(`(${printed(`COALESCE(x, ')'::character varying)`, [`'a'`, `'b'`])})`))
    .toBe(`((COALESCE(x, ')'::character varying)) IN (${list([`'a'`, `'b'`])}))`);
});

it('leaves other shapes, and the shape inside a string literal, as they are', () => {
  for (const sql of [
    `((x)::text = ANY (ARRAY['a'::text, 'b'::text]))`,
    `(z = ANY (ARRAY['a'::bpchar, 'b'::bpchar]))`,
    // one item: PostgreSQL never prints this shape for it (x IN ('a') prints as x = 'a')
    `(${printed('x', [`'a'`])})`,
    `(note <> '${printed('x', [`''a''`, `''b''`])}'::text)`,
  ]) expect(rebuildableSql(sql)).toBe(sql);
});
