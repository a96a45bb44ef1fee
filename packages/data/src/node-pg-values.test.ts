import { describe, expect, test } from 'vitest';
import { asNodePgRows } from './node-pg-values.js';

describe('asNodePgRows', () => {
  test('arrays, bytea and point come out as node-postgres parses them; dates, timestamps and numeric[] stay text', () => {
    const fields = [
      { name: 'tags', dataTypeID: 1009 }, { name: 'ns', dataTypeID: 1007 }, { name: 'flags', dataTypeID: 1000 }, { name: 'docs', dataTypeID: 3807 },
      { name: 'raw', dataTypeID: 17 }, { name: 'at', dataTypeID: 1184 }, { name: 'amounts', dataTypeID: 1231 }, { name: 'p', dataTypeID: 600 },
    ];
    const row = ['{a,"b c",NULL}', '{{1,2},{3,4}}', '{t,f}', '{"{\\"k\\":1}"}', '\\x6869', '2020-01-02 03:04:05+00', '{1.5,2}', '(1,2.5)'];
    const [parsed] = asNodePgRows({ rows: [row], rowCount: 1, fields }) as unknown[][];
    expect(parsed).toEqual([['a', 'b c', null], [[1, 2], [3, 4]], [true, false], [{ k: 1 }], Buffer.from('hi'), '2020-01-02 03:04:05+00', '{1.5,2}', { x: 1, y: 2.5 }]);
  });

  test('object rows are parsed by column name; values already parsed and nulls pass through', () => {
    const rows = asNodePgRows({ rows: [{ tags: '{x}', n: 7 }, { tags: null, n: 8 }], rowCount: 2, fields: [{ name: 'tags', dataTypeID: 1009 }, { name: 'n', dataTypeID: 23 }] });
    expect(rows).toEqual([{ tags: ['x'], n: 7 }, { tags: null, n: 8 }]);
  });
});
