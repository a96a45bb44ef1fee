/**
 * A lexer for SQL text, exact about what matters when reading or writing expressions by hand:
 * string literals (`'…'`, `E'…'`, `$$…$$`) and quoted identifiers are kept whole, so a `(`, `;`
 * or keyword inside one is never taken for SQL. It is not a parser (`@strata/sql` is).
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

/**
 * The name an identifier token stands for: quoted ones unescaped, unquoted ones folded to lower case.
 *
 * @example
 * identValue(tokenizeSql('"My""T"')[0]!) // => 'My"T'
 */
export function identValue(token: SqlToken): string | null {
  if (token.kind === 'quoted') return token.text.slice(1, -1).replaceAll('""', '"');
  if (token.kind === 'ident') return token.text.toLowerCase();
  return null;
}

/**
 * Index of the parenthesis closing the one at `open`, skipping strings and quoted identifiers; -1 if none.
 *
 * @example
 * matchingParen(`(a = ')') + 1`, 0) // => 8
 */
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
