import { expect, it } from 'vitest';
import { rebuildableSql } from './rebuildable-sql.js';

const printed = (col: string, items: string[], op = '= ANY') =>
  `(${col})::text ${op} ((ARRAY[${items.map((i) => `${i}::character varying`).join(', ')}])::text[])`;

it('writes a printed IN list on a varchar column back as IN over the same literals', () => {
  expect(rebuildableSql(`((tool_state IS NULL) OR ${printed('tool_state', [`'input-streaming'`, `'it''s'`])})`))
    .toBe(`((tool_state IS NULL) OR tool_state IN ('input-streaming'::character varying, 'it''s'::character varying))`);
  expect(rebuildableSql(`(${printed('"State"', [`'a'`])})`)).toBe(`("State" IN ('a'::character varying))`);
  expect(rebuildableSql(`${printed('a', [`'x'`])} AND ${printed('b', [`'y'`])}`)).toBe(`a IN ('x'::character varying) AND b IN ('y'::character varying)`);
  expect(rebuildableSql(`(${printed('t.kind', [`'a'`, `'b'`], '<> ALL')})`)).toBe(`(t.kind NOT IN ('a'::character varying, 'b'::character varying))`);
});

it('leaves other shapes, and the shape inside a string literal, as they are', () => {
  for (const sql of [
    `((x)::text = ANY (ARRAY['a'::text, 'b'::text]))`,
    `((lower(x))::text = ANY ((ARRAY['a'::character varying])::text[]))`,
    `(z = ANY (ARRAY['a'::bpchar, 'b'::bpchar]))`,
    `(note <> '${printed('x', [`''a''`])}'::text)`,
  ]) expect(rebuildableSql(sql)).toBe(sql);
});
