import { describe, expect, it } from 'vitest';
import { checkExpression, parseRelOptions, stripOuterParens, userTypeName, viewBody } from './sql-text.js';
import { explicitCollations } from './explicit-collations.js';
import { tablesFilter } from './tables-filter.js';
import { replaceNames, rewriteSchemaRefs } from '../normalize/rewrite-schema-refs.js';

describe('sql text helpers', () => {
  it('strips only parentheses that wrap the whole expression', () => {
    expect(stripOuterParens('((a > 0) AND (b > 0))')).toBe('(a > 0) AND (b > 0)');
    expect(stripOuterParens('(a) + (b)')).toBe('(a) + (b)');
    expect(stripOuterParens(`((x = ')'))`)).toBe(`x = ')'`);
  });

  it('keeps the parentheses of a scalar subquery, without which it is no expression', () => {
    expect(stripOuterParens('( SELECT (auth.uid() = t.user_id))')).toBe('( SELECT (auth.uid() = t.user_id))');
    expect(stripOuterParens('(( SELECT true))')).toBe('( SELECT true)');
    expect(stripOuterParens('( WITH x AS (SELECT 1) SELECT true)')).toBe('( WITH x AS (SELECT 1) SELECT true)');
    expect(stripOuterParens('(selected = 1)')).toBe('selected = 1');
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

  it('moves relation names inside regclass literals and sequence function arguments (issue 15, defect 2)', () => {
    const target = (s: string, o: string) => (s === 'public' && o === 'invoice_numbers' ? 'tmp_1' : s === 'We"ird' && o === 'S q' ? 'tmp_2' : null);
    expect(rewriteSchemaRefs(`nextval('public.invoice_numbers')`, target)).toBe(`nextval('tmp_1.invoice_numbers')`);
    expect(rewriteSchemaRefs(`pg_catalog.nextval ( 'PUBLIC.invoice_numbers'::regclass)`, target)).toBe(`pg_catalog.nextval ( 'tmp_1.invoice_numbers'::regclass)`);
    expect(rewriteSchemaRefs(`currval('"public"."invoice_numbers"') + setval('public.invoice_numbers', 5)`, target))
      .toBe(`currval('tmp_1."invoice_numbers"') + setval('tmp_1.invoice_numbers', 5)`);
    expect(rewriteSchemaRefs(`'mydb.public.invoice_numbers' :: regclass`, target)).toBe(`'mydb.tmp_1.invoice_numbers' :: regclass`);
    expect(rewriteSchemaRefs(`nextval('"We""ird"."S q"')`, target)).toBe(`nextval('tmp_2."S q"')`);
    // values, unqualified names, names of objects that stay, and things that are not names
    expect(rewriteSchemaRefs(`'public.invoice_numbers'`, target)).toBe(`'public.invoice_numbers'`);
    expect(rewriteSchemaRefs(`concat('public.invoice_numbers')`, target)).toBe(`concat('public.invoice_numbers')`);
    expect(rewriteSchemaRefs(`nextval('invoice_numbers')`, target)).toBe(`nextval('invoice_numbers')`);
    expect(rewriteSchemaRefs(`nextval('public.other')`, target)).toBe(`nextval('public.other')`);
    expect(rewriteSchemaRefs(`nextval('public.invoice_numbers x')`, target)).toBe(`nextval('public.invoice_numbers x')`);
    expect(rewriteSchemaRefs(`'public.'::regclass`, target)).toBe(`'public.'::regclass`);
    expect(rewriteSchemaRefs(`'public.invoice_numbers'::text`, target)).toBe(`'public.invoice_numbers'::text`);
  });

  it('maps scratch names back in identifiers and string literals', () => {
    const rendered = new Map([['strata_norm_1_0', `"it's"`]]);
    expect(replaceNames(`nextval('strata_norm_1_0.seq'::regclass) + strata_norm_1_0.f()`, rendered))
      .toBe(`nextval('"it''s".seq'::regclass) + "it's".f()`);
  });

  it('maps back a scratch name that another one begins with (11 schemas or more: _1 and _12; rashikbuksh/FZL-ERP-Backend)', () => {
    const rendered = new Map([['strata_norm_ab_1', 'audit'], ['strata_norm_ab_12', 'thread']]);
    expect(replaceNames(`nextval('strata_norm_ab_12.batch_seq'::regclass) + nextval('strata_norm_ab_1.seq'::regclass)`, rendered))
      .toBe(`nextval('thread.batch_seq'::regclass) + nextval('audit.seq'::regclass)`);
  });
});
