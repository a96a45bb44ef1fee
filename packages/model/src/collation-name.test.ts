import { describe, expect, it } from 'vitest';
import { canonicalCollation, collationName } from './collation-name.js';

describe('collation names', () => {
  it.each([
    ['pg_catalog', 'C', 'C'],
    ['public', 'nocase', 'nocase'],
    ['app', 'nocase', 'app.nocase'],
    [undefined, 'de-x-icu', 'de-x-icu'],
    ['we"ird', 'co.ll', '"we""ird"."co.ll"'],
    [undefined, 'a.b', '"a.b"'],
  ])('collationName(%s, %s) is %s', (schema, name, expected) => {
    expect(collationName(schema, name)).toBe(expected);
  });

  it.each([
    ['public.nocase', 'nocase'],
    ['pg_catalog."POSIX"', 'POSIX'],
    ['"public"."nocase"', 'nocase'],
    ['app.nocase', 'app.nocase'],
    ['"we""ird"."co.ll"', '"we""ird"."co.ll"'],
    ['"a.b"', '"a.b"'],
    ['C', 'C'],
  ])('canonicalCollation(%s) is %s', (stored, expected) => {
    expect(canonicalCollation(stored)).toBe(expected);
  });
});
