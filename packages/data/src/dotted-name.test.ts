import { describe, expect, it } from 'vitest';
import { parseDottedName } from './dotted-name.js';

describe('parseDottedName', () => {
  it('splits schema.table without folding case', () => {
    expect(parseDottedName('users')).toEqual(['users']);
    expect(parseDottedName('Auth.Users')).toEqual(['Auth', 'Users']);
  });
  it('reads double-quoted parts holding dots, quotes, spaces, ; and --', () => {
    expect(parseDottedName('"my.schema"."we ""ird""; --t"')).toEqual(['my.schema', 'we "ird"; --t']);
    expect(parseDottedName('"a.b"')).toEqual(['a.b']);
  });
  it('refuses what it cannot read, saying why', () => {
    expect(() => parseDottedName('a.b.c')).toThrow('more than schema.table');
    expect(() => parseDottedName('"open')).toThrow('a double quote is not closed');
    expect(() => parseDottedName('a.')).toThrow('it ends with a dot');
    expect(() => parseDottedName('')).toThrow('an empty part');
    expect(() => parseDottedName('"a"b')).toThrow('after a quoted part');
  });
});
