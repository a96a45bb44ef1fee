import { quoteIdent } from '@strata/core';
import { identValue, tokenizeSql } from '../introspect/sql-text.js';

/**
 * Points the qualified references of an expression at other schemas: `"auth"."users"` becomes
 * `"strata_norm_…"."users"` when `auth.users` is an object that moves. Only a reference whose
 * first part is a moving schema and whose second part names one of that schema's objects is
 * rewritten, so `users.auth` (a column) and `auth.uid()` (a function the snapshot does not hold)
 * stay as they are. Also skipped: a two-part name whose first part is the expression's own table
 * (`"users"."id"` in a check), which is a column reference.
 *
 * @example
 * rewriteSchemaRefs('select * from "auth"."users"', (s, o) => (s === 'auth' && o === 'users' ? 'tmp_1' : null))
 * // => 'select * from "tmp_1"."users"'
 */
export function rewriteSchemaRefs(
  sql: string,
  target: (schema: string, object: string) => string | null,
  ownTable?: string,
): string {
  const tokens = tokenizeSql(sql);
  let out = '';
  let last = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const first = identValue(t);
    if (first === null || tokens[k + 1]?.text !== '.' || tokens[k - 1]?.text === '.') continue;
    const second = tokens[k + 2] ? identValue(tokens[k + 2]!) : null;
    if (second === null) continue;
    const threeParts = tokens[k + 3]?.text === '.';
    if (!threeParts && first === ownTable) continue;
    const to = target(first, second);
    if (to === null) continue;
    out += sql.slice(last, t.start) + quoteIdent(to);
    last = t.start + t.text.length;
  }
  return out + sql.slice(last);
}

/**
 * Replaces every occurrence of some (unique, random) names in text PostgreSQL printed: as
 * identifiers, and inside string literals (`'strata_norm_1.seq'::regclass`), where quotes are
 * doubled. `rendered` gives each replacement as PostgreSQL would print the identifier.
 */
export function replaceNames(sql: string, rendered: ReadonlyMap<string, string>): string {
  if (rendered.size === 0) return sql;
  const tokens = tokenizeSql(sql);
  let out = '';
  let last = 0;
  for (const t of tokens) {
    let replacement: string | undefined;
    if (t.kind === 'ident' || t.kind === 'quoted') {
      const value = identValue(t);
      if (value !== null && rendered.has(value)) replacement = rendered.get(value);
    } else if (t.kind === 'string') {
      let text = t.text;
      for (const [from, to] of rendered) if (text.includes(from)) text = text.split(from).join(to.replaceAll("'", "''"));
      if (text !== t.text) replacement = text;
    }
    if (replacement === undefined) continue;
    out += sql.slice(last, t.start) + replacement;
    last = t.start + t.text.length;
  }
  return out + sql.slice(last);
}
