import { describe, expect, it } from 'vitest';
import { checkExpression, parseRelOptions, stripOuterParens, tokenizeSql, userTypeName, viewBody } from './sql-text.js';
import { explicitCollations } from './explicit-collations.js';
import { tablesFilter } from './tables-filter.js';
import { replaceNames, rewriteSchemaRefs } from '../normalize/rewrite-schema-refs.js';

describe('sql text helpers', () => {
  it('keeps strings and quoted identifiers whole', () => {
    const tokens = tokenizeSql(`"a""b".c = E'x\\'y' || $q$)$q$ || ')'`);
    expect(tokens.filter((t) => t.kind !== 'other').map((t) => t.text)).toEqual(['"a""b"', 'c', `E'x\\'y'`, '$q$)$q$', `')'`]);
  });

  it('strips only parentheses that wrap the whole expression', () => {
    expect(stripOuterParens('((a > 0) AND (b > 0))')).toBe('(a > 0) AND (b > 0)');
    expect(stripOuterParens('(a) + (b)')).toBe('(a) + (b)');
    expect(stripOuterParens(`((x = ')'))`)).toBe(`x = ')'`);
  });

  it('reads the expression of a CHECK definition', () => {
    expect(checkExpression('CHECK ((price > (0)::numeric)) NOT VALID')).toBe('price > (0)::numeric');
    expect(checkExpression('CHECK (is_ok(")", x))')).toBe('is_ok(")", x)');
    expect(checkExpression('PRIMARY KEY (id)')).toBeNull();
  });

  it('splits user type names as format_type prints them', () => {
    expect(userTypeName('citext')).toEqual({ type: 'citext' });
    expect(userTypeName('"My Type"')).toEqual({ type: 'My Type' });
    expect(userTypeName('"we ird".vector(3)')).toEqual({ type: 'vector(3)', typeSchema: 'we ird' });
  });

  it('parses reloptions and view bodies', () => {
    expect(parseRelOptions(['fillfactor=70', 'a=b=c'])).toEqual({ fillfactor: '70', a: 'b=c' });
    expect(parseRelOptions(null)).toBeUndefined();
    expect(parseRelOptions(['security_barrier=on', 'fastupdate=OFF', 'security_invoker=1', 'autovacuum_enabled=f'])).toEqual({
      security_barrier: 'true', fastupdate: 'false', security_invoker: 'true', autovacuum_enabled: 'false',
    });
    expect(viewBody(' SELECT 1;')).toBe('SELECT 1');
  });

  it('finds explicit collations per index element', () => {
    expect(explicitCollations('CREATE INDEX i ON public.t USING btree (lower(a) COLLATE "C", b, (c COLLATE "C"))', 3)).toEqual([true, false, false]);
    expect(explicitCollations('CREATE INDEX "USING (" ON public."x, COLLATE" USING btree (a COLLATE "C" DESC)', 1)).toEqual([true]);
  });

  it('filters table names with globs and exclusions', () => {
    const keep = tablesFilter(['user*', 'auth.*', '!*_old', '!users_[ab]']);
    expect(keep('public', 'users')).toBe(true);
    expect(keep('public', 'users_old')).toBe(false);
    expect(keep('public', 'users_a')).toBe(false);
    expect(keep('auth', 'sessions')).toBe(true);
    expect(keep('public', 'posts')).toBe(false);
    expect(tablesFilter(undefined)('x', 'y')).toBe(true);
    expect(tablesFilter(['!legacy.*'])('legacy', 'a')).toBe(false);
  });

  it('rewrites qualified references to moving objects only', () => {
    const target = (s: string, o: string) => (s === 'auth' && o === 'users' ? 'tmp_1' : null);
    expect(rewriteSchemaRefs('select * from "auth"."users" join auth.other on auth.uid() = auth.users.id', target))
      .toBe('select * from "tmp_1"."users" join auth.other on auth.uid() = "tmp_1".users.id');
    // in a check on a table named "auth", auth.users is a column reference
    expect(rewriteSchemaRefs('"auth"."users" > 0', target, 'auth')).toBe('"auth"."users" > 0');
    expect(rewriteSchemaRefs(`'auth.users'`, target)).toBe(`'auth.users'`);
  });

  it('maps scratch names back in identifiers and string literals', () => {
    const rendered = new Map([['strata_norm_1_0', `"it's"`]]);
    expect(replaceNames(`nextval('strata_norm_1_0.seq'::regclass) + strata_norm_1_0.f()`, rendered))
      .toBe(`nextval('"it''s".seq'::regclass) + "it's".f()`);
  });
});
