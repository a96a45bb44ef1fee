import { describe, expect, it } from 'vitest';
import { toCsv, toJson } from '../page/src/export.ts';
import { zoomAt } from '../page/src/pan-zoom.ts';
import { referencedHash, referencingHash, tableHash } from '../page/src/links.ts';

// The page's pure parts (no browser, no database): export formats, zooming, foreign-key addresses.
describe('the page\'s export, zoom and link helpers', () => {
  it('writes RFC 4180 CSV: quotes doubled, commas and line breaks quoted, NULL empty, JSON as JSON', () => {
    expect(toCsv(['id', 'note', 'meta', 'gone'], [
      { id: 1, note: 'a, "b"\nc', meta: { k: [1, 'x'] }, gone: null },
      { id: 2, note: 'plain', meta: null, gone: undefined },
    ])).toBe('id,note,meta,gone\r\n1,"a, ""b""\nc","{""k"":[1,""x""]}",\r\n2,plain,,\r\n');
    expect(toCsv(['a,b'], [])).toBe('"a,b"\r\n');
  });

  it('writes JSON with only the columns asked for, in their order', () => {
    expect(JSON.parse(toJson(['b', 'a'], [{ a: 1, b: { c: 2 }, hidden: 3 }, { a: null }]))).toEqual([{ b: { c: 2 }, a: 1 }, { b: null, a: null }]);
  });

  it('zooms about the pointer: the point under it stays put, and the scale stays within bounds', () => {
    const v = zoomAt({ x: 10, y: 20, scale: 1 }, 2, 110, 70);
    expect(v).toEqual({ x: -90, y: -30, scale: 2 });
    // The picture point under the pointer before and after is the same.
    expect((110 - v.x) / v.scale).toBe((110 - 10) / 1);
    expect(zoomAt({ x: 0, y: 0, scale: 1 }, 100, 0, 0).scale).toBe(4);
    expect(zoomAt({ x: 0, y: 0, scale: 1 }, 0.001, 0, 0).scale).toBe(0.2);
  });

  it('addresses the referenced row and the referencing rows, with names and values encoded', () => {
    expect(tableHash('Odd Schema', 'a/b?c', { 'Weird Col': 'x&y=z' }, true)).toBe('#/tables/Odd%20Schema/a%2Fb%3Fc/row?Weird+Col=x%26y%3Dz');
    const fk = { name: 'f', columns: ['a', 'b'], refSchema: 'public', refTable: 't', refColumns: ['x', 'y'] };
    expect(referencedHash(fk, { a: 1, b: 'two' })).toBe('#/tables/public/t/row?x=1&y=two');
    expect(referencedHash(fk, { a: 1, b: null })).toBeNull();
    const ref = { name: 'f', schema: 'public', table: 'c', columns: ['parent'], refColumns: ['id'] };
    expect(referencingHash(ref, { id: 7 })).toBe('#/tables/public/c?parent=7');
    expect(referencingHash(ref, { id: null })).toBeNull();
  });
});
