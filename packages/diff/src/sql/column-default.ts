import { identValue, matchingParen, tokenizeSql } from '@strata/core';

// The keywords of PostgreSQL's a_expr that its b_expr lacks. A column's DEFAULT inside CREATE TABLE
// or ADD COLUMN is a b_expr, so `DEFAULT now() AT TIME ZONE 'utc'` is a syntax error there, while
// ALTER COLUMN … SET DEFAULT (an a_expr) takes it; a default read from a database has lost its
// outer parentheses (docs/postgres-behaviour.md#enums-types-defaults-generated-columns).
const A_EXPR_ONLY = new Set([
  'all', 'and', 'any', 'at', 'between', 'collate', 'ilike', 'in', 'is', 'isnull', 'like', 'not', 'notnull', 'or', 'overlaps',
  'similar', 'some',
]);
// The same words anywhere in the text (also inside a string): most defaults (`now()`, `0`, `'x'::text`)
// have none and skip the tokenizer, which a CREATE TABLE of many tables would run thousands of times.
const MAYBE_A_EXPR = new RegExp(`\\b(?:${[...A_EXPR_ONLY].join('|')})\\b`, 'i');

/**
 * A column default as the DEFAULT clause of a column definition takes it: in parentheses when it
 * holds an operator only a full expression may (`AT TIME ZONE`, `AND`, `IS`, `IN`, `COLLATE`…),
 * as written otherwise. A keyword inside a function call or CASE is wrapped too, which changes
 * nothing PostgreSQL stores.
 *
 * @example
 * columnDefaultSql("now() AT TIME ZONE 'utc'::text") // => "(now() AT TIME ZONE 'utc'::text)"
 * columnDefaultSql('now()') // => 'now()'
 */
export function columnDefaultSql(expr: string): string {
  const s = expr.trim();
  if (!MAYBE_A_EXPR.test(s) || (s.startsWith('(') && matchingParen(s, 0) === s.length - 1)) return s;
  const needsParens = tokenizeSql(s).some((t) => t.kind === 'ident' && A_EXPR_ONLY.has(identValue(t)!));
  return needsParens ? `(${s})` : s;
}
