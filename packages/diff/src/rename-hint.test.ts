import { describe, expect, it } from 'vitest';
import { formatRenamePath, parseRenameHint, renameFlag } from './rename-hint.js';

describe('parseRenameHint', () => {
  it.each([
    ['users.name=users.full_name', ['users', 'name'], ['users', 'full_name']],
    ['products=catalog_items', ['products'], ['catalog_items']],
    ['auth.users=auth.people', ['auth', 'users'], ['auth', 'people']],
    ['public.users.name=public.users.full_name', ['public', 'users', 'name'], ['public', 'users', 'full_name']],
    ['"a.b".x="a=b".y', ['a.b', 'x'], ['a=b', 'y']],
    ['"say ""hi""".c=t.d', ['say "hi"', 'c'], ['t', 'd']],
    ['Order Items=Orders', ['Order Items'], ['Orders']],
    ['"".x=y', ['', 'x'], ['y']],
  ])('%s', (text, from, to) => {
    expect(parseRenameHint(text)).toEqual({ text, from, to });
  });

  it.each([
    ['users', /no "=" between/],
    ['a=b=c', /more than one "="/],
    ['a..b=c', /a name is empty/],
    ['a.b=', /a name is empty/],
    ['=b', /a name is empty/],
    ['"a=b', /double quote is not closed/],
    ['a"b"=c', /may only open a name/],
    ['"a"b=c', /expected "\." or "=" after a quoted name/],
    ['a.b.c.d=x', /4 dotted names on one side/],
  ])('rejects %s with a clear usage error', (text, message) => {
    expect(() => parseRenameHint(text)).toThrow(message);
    try {
      parseRenameHint(text);
    } catch (e) {
      expect((e as { code: string }).code).toBe('USAGE');
      expect((e as { hint: string }).hint).toMatch(/--rename from=to/);
    }
  });

  it('formats paths back so that they parse to the same names', () => {
    const names = ['a.b', 'x=y', 'say "hi"', 'plain', 'with space', ''];
    for (const a of names) for (const b of names) {
      const text = `${formatRenamePath([a, b])}=${formatRenamePath([b, a])}`;
      expect(parseRenameHint(text)).toEqual({ text, from: [a, b], to: [b, a] });
    }
  });

  it('writes the exact flag, shell-quoted only when needed', () => {
    expect(renameFlag(['public', 'users'], ['public', 'people'])).toBe('--rename public.users=public.people');
    expect(renameFlag(['t', 'a b'], ['t', `it's`])).toBe(`--rename 't.a b=t.it'\\''s'`);
    expect(renameFlag(['a.b'], ['c'])).toBe(`--rename '"a.b"=c'`);
  });
});
