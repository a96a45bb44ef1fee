import { tokenizeSql, type SqlToken } from './sql-tokens.js';

/**
 * The tail of `(operand)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])`:
 * how PostgreSQL prints `operand IN ('a', 'b')` when the operand is character varying (a column,
 * COALESCE over one, a CASE; `<> ALL` for NOT IN; a single item prints without ARRAY). Run again,
 * that text builds another expression (the cast moves into the elements:
 * `ARRAY[('a'::character varying)::text, …]`), so code holding it would never build the catalog it
 * was read from. The operand in front is found by its parentheses.
 */
const VARCHAR = "'(?:[^']|'')*'::character varying";
const TAIL = new RegExp(
  String.raw`\)::text (?<op>= ANY|<> ALL) \(\(ARRAY\[(?<items>${VARCHAR}(?:, ${VARCHAR})+)\]\)::text\[\]\)`,
  'gu',
);

/**
 * Catalog text rewritten, where it must be, into SQL that builds the same expression again: pull
 * writes expressions as the catalog prints them, and a printed IN list over a character varying
 * operand does not parse back into itself. `(operand) IN ('a'::character varying, …)` does (NOT IN
 * likewise), and prints exactly as the catalog did. Anything else is returned as it is; a match
 * inside a string literal is left alone.
 *
 * @example
 * rebuildableSql(`((state)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))`)
 * // => `((state) IN ('a'::character varying, 'b'::character varying))`
 */
export function rebuildableSql(sql: string): string {
  if (!sql.includes('])::text[])')) return sql;
  const tokens = tokenizeSql(sql);
  let out = '';
  let done = 0;
  for (const m of sql.matchAll(TAIL)) {
    const close = m.index;
    const at = tokens.findIndex((t) => t.start === close);
    // The `)` must be SQL, not part of a string literal or a quoted name.
    if (at === -1 || tokens[at]!.kind !== 'other' || close < done) continue;
    const open = openingParen(tokens, at);
    if (open === -1 || open < done) continue;
    const groups = m.groups as { op: string; items: string };
    out += `${sql.slice(done, open)}${sql.slice(open, close + 1)} ${groups.op === '= ANY' ? 'IN' : 'NOT IN'} (${groups.items})`;
    done = close + m[0].length;
  }
  return done === 0 ? sql : out + sql.slice(done);
}

/** The offset of the `(` matching the `)` at `tokens[at]`, skipping strings and quoted names; -1 if none. */
function openingParen(tokens: readonly SqlToken[], at: number): number {
  let depth = 0;
  for (let i = at; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.kind !== 'other') continue;
    if (t.text === ')') depth++;
    else if (t.text === '(' && --depth === 0) return t.start;
  }
  return -1;
}
