import { identValue, quoteIdent, tokenizeSql, type SqlToken } from '@strata/core';

/**
 * Points the qualified references of an expression at other schemas: `"auth"."users"` becomes
 * `"strata_norm_…"."users"` when `auth.users` is an object that moves. Only a reference whose
 * first part is a moving schema and whose second part names one of that schema's objects is
 * rewritten, so `users.auth` (a column) and `auth.uid()` (a function the snapshot does not hold)
 * stay as they are. Also skipped: a two-part name whose first part is the expression's own table
 * (`"users"."id"` in a check), which is a column reference.
 *
 * A name can also sit inside a string literal that the server reads as a relation name:
 * `'public.seq'::regclass` and the first argument of `nextval`, `currval` and `setval`. Those
 * move too (written unquoted: scratch names are plain lower-case identifiers, and `replaceNames`
 * turns them back into the server's own spelling of the real name). Other literals are values
 * and are left alone.
 *
 * @example
 * rewriteSchemaRefs('select * from "auth"."users"', (s, o) => (s === 'auth' && o === 'users' ? 'tmp_1' : null))
 * // => 'select * from "tmp_1"."users"'
 * rewriteSchemaRefs(`nextval('public.seq')`, (s, o) => (s === 'public' && o === 'seq' ? 'tmp_1' : null))
 * // => `nextval('tmp_1.seq')`
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
    if (t.kind === 'string') {
      const moved = isRelationNameLiteral(tokens, k) ? movedRelationLiteral(t.text, target) : null;
      if (moved === null) continue;
      out += sql.slice(last, t.start) + moved;
      last = t.start + t.text.length;
      continue;
    }
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

const SEQUENCE_FUNCTIONS = new Set(['nextval', 'currval', 'setval']);

/** The index of the nearest token before (step -1) or after (step 1) `k` that is not white space. */
function significant(tokens: readonly SqlToken[], k: number, step: 1 | -1): number {
  let i = k + step;
  while (i >= 0 && i < tokens.length && tokens[i]!.kind === 'other' && /\s/u.test(tokens[i]!.text)) i += step;
  return i;
}

/** Whether the string literal at `k` is cast to regclass or is a sequence function's first argument. */
function isRelationNameLiteral(tokens: readonly SqlToken[], k: number): boolean {
  const c1 = significant(tokens, k, 1);
  if (tokens[c1]?.text === ':' && tokens[c1 + 1]?.text === ':') {
    const type = tokens[significant(tokens, c1 + 1, 1)];
    if (type && identValue(type) === 'regclass') return true;
  }
  const open = significant(tokens, k, -1);
  if (tokens[open]?.text !== '(') return false;
  const fn = tokens[significant(tokens, open, -1)];
  return Boolean(fn && SEQUENCE_FUNCTIONS.has(identValue(fn) ?? ''));
}

/**
 * The literal with its schema part moved, when it is a plain `'…'` literal holding a qualified
 * name (`schema.name` or `db.schema.name`, quoted parts as in SQL) of an object that moves.
 */
function movedRelationLiteral(literal: string, target: (schema: string, object: string) => string | null): string | null {
  if (!literal.startsWith("'")) return null; // E'…' and $$…$$: not a spelling drizzle or the catalog uses here
  const content = literal.slice(1, -1).replaceAll("''", "'");
  const parts = tokenizeSql(content);
  const names: SqlToken[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i % 2 === 1 ? p.text !== '.' : identValue(p) === null) return null;
    if (i % 2 === 0) names.push(p);
  }
  if (names.length < 2 || names.length > 3 || parts.length !== names.length * 2 - 1) return null;
  const schemaToken = names[names.length - 2]!;
  const to = target(identValue(schemaToken)!, identValue(names[names.length - 1]!)!);
  if (to === null) return null;
  const rewritten = content.slice(0, schemaToken.start) + to + content.slice(schemaToken.start + schemaToken.text.length);
  return `'${rewritten.replaceAll("'", "''")}'`;
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
      const text = t.text.replace(namePattern(rendered), (name) => rendered.get(name)!.replaceAll("'", "''"));
      if (text !== t.text) replacement = text;
    }
    if (replacement === undefined) continue;
    out += sql.slice(last, t.start) + replacement;
    last = t.start + t.text.length;
  }
  return out + sql.slice(last);
}

const namePatterns = new WeakMap<ReadonlyMap<string, string>, RegExp>();

/**
 * The names of `rendered` as whole words, longest first: inside a string a name is found as text,
 * and `strata_norm_…_12` must not be read as `strata_norm_…_1` followed by `2`. Built once per map
 * (normalisation maps every expression of a snapshot with one).
 */
function namePattern(rendered: ReadonlyMap<string, string>): RegExp {
  let pattern = namePatterns.get(rendered);
  if (!pattern) {
    const names = [...rendered.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    pattern = new RegExp(`(?<![\\w$])(?:${names.join('|')})(?![\\w$])`, 'g');
    namePatterns.set(rendered, pattern);
  }
  return pattern;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
