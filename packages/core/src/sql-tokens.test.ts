import { describe, expect, it } from 'vitest';
import { identValue, matchingParen, tokenizeSql } from './sql-tokens.js';

describe('sql tokens', () => {
  it('keeps strings and quoted identifiers whole', () => {
    const tokens = tokenizeSql(`"a""b".c = E'x\\'y' || $q$)$q$ || ')'`);
    expect(tokens.filter((t) => t.kind !== 'other').map((t) => t.text)).toEqual(['"a""b"', 'c', `E'x\\'y'`, '$q$)$q$', `')'`]);
  });

  it('reads identifiers as PostgreSQL names them and matches parentheses outside strings', () => {
    expect(tokenizeSql('Abc "My""T"').filter((t) => t.kind !== 'other').map(identValue)).toEqual(['abc', 'My"T']);
    expect(matchingParen(`(a = ')') + 1`, 0)).toBe(8);
    expect(matchingParen('(a', 0)).toBe(-1);
  });
});
