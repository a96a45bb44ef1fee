import { describe, expect, it } from 'vitest';
import { parseTableList } from './table-list.js';
import { foreignKeyOrder } from './foreign-key-order.js';
import { snapshotSchema } from './snapshot-name.js';

describe('parseTableList', () => {
  it('reads tables, schemas and quoted parts', () => {
    expect(parseTableList('users, auth.sessions')).toEqual([{ name: 'users' }, { schema: 'auth', name: 'sessions' }]);
    expect(parseTableList('"My.Table","a ""b""".c,x')).toEqual([{ name: 'My.Table' }, { schema: 'a "b"', name: 'c' }, { name: 'x' }]);
    expect(parseTableList('"Ünï, code"')).toEqual([{ name: 'Ünï, code' }]);
  });

  it('refuses empty names, three parts and open quotes', () => {
    expect(() => parseTableList('users,')).toThrow(/empty table name/);
    expect(() => parseTableList('a.b.c')).toThrow(/more than schema.table/);
    expect(() => parseTableList('"open')).toThrow(/not closed/);
  });
});

describe('foreignKeyOrder', () => {
  it('puts referenced tables first and names the keys of cycles only', () => {
    const edges = [
      { from: 'orders', to: 'users', name: 'o_u' },
      { from: 'a', to: 'b', name: 'a_b' },
      { from: 'b', to: 'a', name: 'b_a' },
      { from: 'tree', to: 'tree', name: 'self' },
      { from: 'users', to: 'outside', name: 'ignored' },
    ];
    const r = foreignKeyOrder(['orders', 'users', 'a', 'b', 'tree'], edges);
    expect(r.order.indexOf('users')).toBeLessThan(r.order.indexOf('orders'));
    expect(r.order).toHaveLength(5);
    expect(r.cyclic.map((e) => e.name).sort()).toEqual(['a_b', 'b_a']);
  });
});

describe('snapshotSchema', () => {
  it('prefixes valid names and refuses the rest', () => {
    expect(snapshotSchema('before-v2')).toBe('strata_snapshot_before-v2');
    expect(snapshotSchema('ünï_1')).toBe('strata_snapshot_ünï_1');
    expect(() => snapshotSchema('a"b')).toThrow(/invalid snapshot name/);
    expect(() => snapshotSchema('')).toThrow(/invalid snapshot name/);
    expect(() => snapshotSchema('é'.repeat(24))).toThrow(/too long/);
  });
});
