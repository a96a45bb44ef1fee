import { identValue, matchingParen, tokenizeSql } from '@strata/core';

/**
 * Small, exact helpers over SQL text as PostgreSQL deparses it (pg_get_expr, pg_get_constraintdef,
 * pg_get_indexdef), over the lexer of `@strata/core`: never a parser.
 */

// A parenthesized query (SELECT, a WITH query, VALUES, TABLE) is a subquery, not a grouping.
const SUBQUERY_START = /^(?:select|with|values|table)\b/i;

/**
 * Removes parentheses that wrap the whole expression (`((a > 0))` → `a > 0`), which the deparser
 * adds around operator expressions. The parentheses of a scalar subquery are its own: a policy
 * whose USING is `(select auth.uid() = user_id)` (drizzle-orm/neon's `authUid`, Supabase's advice)
 * prints as `( SELECT (auth.uid() = t.user_id))`, and without them it is not an expression
 * (`USING (SELECT …)` is a syntax error).
 *
 * @example
 * stripOuterParens('((a > 0) AND (b > 0))') // => '(a > 0) AND (b > 0)'
 * stripOuterParens('( SELECT (auth.uid() = t.user_id))') // => '( SELECT (auth.uid() = t.user_id))'
 */
export function stripOuterParens(expr: string): string {
  let s = expr.trim();
  while (s.startsWith('(') && matchingParen(s, 0) === s.length - 1) {
    const inner = s.slice(1, -1).trim();
    if (SUBQUERY_START.test(inner)) break;
    s = inner;
  }
  return s;
}

/**
 * The expression of a CHECK constraint as `pg_get_constraintdef` prints it
 * (`CHECK ((price > 0)) NOT VALID` → `price > 0`); null when `def` is not a CHECK.
 */
export function checkExpression(def: string): string | null {
  const m = /^CHECK\s*\(/.exec(def);
  if (!m) return null;
  const open = m[0].length - 1;
  const close = matchingParen(def, open);
  if (close === -1) return null;
  return stripOuterParens(def.slice(open + 1, close));
}

// Boolean storage parameters: PostgreSQL keeps whatever spelling was given (`on`, `yes`, `1`…).
const BOOLEAN_OPTIONS = new Set([
  'security_barrier', 'security_invoker', 'fastupdate', 'autovacuum_enabled', 'toast.autovacuum_enabled', 'vacuum_truncate',
  'toast.vacuum_truncate', 'user_catalog_table', 'deduplicate_items', 'autosummarize',
]);

/** PostgreSQL's boolean spellings (parse_bool: any unique prefix of true/false/yes/no, on/off, 1/0) as `true`/`false`. */
function canonicalBoolean(value: string): string {
  const v = value.trim().toLowerCase();
  if (v === '1' || v === 'on' || (v.length > 0 && ('true'.startsWith(v) || 'yes'.startsWith(v)))) return 'true';
  if (v === '0' || v === 'of' || v === 'off' || (v.length > 0 && ('false'.startsWith(v) || 'no'.startsWith(v)))) return 'false';
  return value;
}

/**
 * `['fillfactor=70', 'a=b=c']` (a reloptions array) → `{ fillfactor: '70', a: 'b=c' }`; undefined
 * when empty. Boolean parameters are written `true`/`false` whatever spelling created them.
 */
export function parseRelOptions(options: readonly string[] | null | undefined): Record<string, string> | undefined {
  if (!options || options.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const o of options) {
    const eq = o.indexOf('=');
    const key = eq === -1 ? o : o.slice(0, eq);
    const value = eq === -1 ? 'true' : o.slice(eq + 1);
    out[key] = BOOLEAN_OPTIONS.has(key) ? canonicalBoolean(value) : value;
  }
  return out;
}

/**
 * A view body as `pg_get_viewdef` prints it, without its leading space and final semicolon.
 */
export function viewBody(def: string): string {
  return def.trim().replace(/;$/, '').trimEnd();
}

/**
 * A user or extension type as `format_type` prints it (`citext`, `"My Type"`, `ext.vector(3)`):
 * the bare name (modifiers kept) and, when the server qualified it, its schema.
 *
 * @example
 * userTypeName('"we ird".vector(3)') // => { type: 'vector(3)', typeSchema: 'we ird' }
 */
export function userTypeName(formatted: string): { type: string; typeSchema?: string } {
  const tokens = tokenizeSql(formatted);
  const parts: string[] = [];
  let k = 0;
  for (; k < tokens.length; k++) {
    const value = identValue(tokens[k]!);
    if (value === null) break;
    parts.push(value);
    if (tokens[k + 1]?.text !== '.') { k++; break; }
    k++;
  }
  const rest = tokens[k] ? formatted.slice(tokens[k]!.start) : '';
  const name = (parts.at(-1) ?? formatted) + rest;
  return parts.length >= 2 ? { type: name, typeSchema: parts.at(-2)! } : { type: name };
}
