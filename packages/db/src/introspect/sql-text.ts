/**
 * Small, exact helpers over SQL text as PostgreSQL deparses it (pg_get_expr, pg_get_constraintdef,
 * pg_get_indexdef): enough lexing to skip string literals and quoted identifiers, never a parser.
 */

/** One lexical piece of SQL text: identifiers and strings are kept whole, the rest char by char. */
export interface SqlToken {
  kind: 'ident' | 'quoted' | 'string' | 'other';
  text: string;
  start: number;
}

/** The end (exclusive) of a dollar-quoted string starting at `i`, or -1 when `i` does not open one. */
function dollarQuoteEnd(sql: string, i: number): number {
  const m = /^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/u.exec(sql.slice(i));
  if (!m) return -1;
  const close = sql.indexOf(m[0], i + m[0].length);
  return close === -1 ? sql.length : close + m[0].length;
}

/**
 * Splits SQL text into tokens: unquoted identifiers/keywords, `"quoted"` identifiers, string
 * literals (`'…'`, `E'…'`, `$$…$$`) and single other characters. Comments are not expected in
 * deparsed text and are treated as other characters.
 *
 * @example
 * tokenizeSql(`"a"."b" = 'x'`).map((t) => t.kind) // => ['quoted', 'other', 'quoted', 'other', 'other', 'other', 'string']
 */
export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const start = i;
    if (ch === '"') {
      i++;
      while (i < sql.length) {
        if (sql[i] === '"') {
          if (sql[i + 1] === '"') { i += 2; continue; }
          i++;
          break;
        }
        i++;
      }
      tokens.push({ kind: 'quoted', text: sql.slice(start, i), start });
    } else if (ch === "'" || ((ch === 'E' || ch === 'e') && sql[i + 1] === "'" && !/[\w$]/u.test(sql[i - 1] ?? ''))) {
      const escapes = ch !== "'";
      i += escapes ? 2 : 1;
      while (i < sql.length) {
        if (escapes && sql[i] === '\\') { i += 2; continue; }
        if (sql[i] === "'") {
          if (sql[i + 1] === "'") { i += 2; continue; }
          i++;
          break;
        }
        i++;
      }
      tokens.push({ kind: 'string', text: sql.slice(start, i), start });
    } else if (ch === '$' && dollarQuoteEnd(sql, i) !== -1 && !/[\w$]/u.test(sql[i - 1] ?? '')) {
      i = dollarQuoteEnd(sql, i);
      tokens.push({ kind: 'string', text: sql.slice(start, i), start });
    } else if (/[A-Za-z_\u0080-\uffff]/u.test(ch)) {
      i++;
      while (i < sql.length && /[\w$\u0080-\uffff]/u.test(sql[i]!)) i++;
      tokens.push({ kind: 'ident', text: sql.slice(start, i), start });
    } else {
      i++;
      tokens.push({ kind: 'other', text: ch, start });
    }
  }
  return tokens;
}

/** The name an identifier token stands for: quoted ones unescaped, unquoted ones folded to lower case. */
export function identValue(token: SqlToken): string | null {
  if (token.kind === 'quoted') return token.text.slice(1, -1).replaceAll('""', '"');
  if (token.kind === 'ident') return token.text.toLowerCase();
  return null;
}

/** Index of the parenthesis closing the one at `open`, skipping strings and quoted identifiers; -1 if none. */
export function matchingParen(sql: string, open: number): number {
  let depth = 0;
  for (const t of tokenizeSql(sql.slice(open))) {
    if (t.kind !== 'other') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')') {
      depth--;
      if (depth === 0) return open + t.start;
    }
  }
  return -1;
}

/**
 * Removes parentheses that wrap the whole expression (`((a > 0))` → `a > 0`), which the deparser
 * adds around operator expressions.
 *
 * @example
 * stripOuterParens('((a > 0) AND (b > 0))') // => '(a > 0) AND (b > 0)'
 */
export function stripOuterParens(expr: string): string {
  let s = expr.trim();
  while (s.startsWith('(') && matchingParen(s, 0) === s.length - 1) s = s.slice(1, -1).trim();
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
