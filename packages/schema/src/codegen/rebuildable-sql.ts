import { tokenizeSql } from '@strata/core';

/**
 * `(col)::text = ANY ((ARRAY['a'::character varying, …])::text[])`: how PostgreSQL prints
 * `col IN ('a', …)` on a varchar column (`<> ALL` for NOT IN). Run again, that text builds another
 * expression (the cast moves into the elements: `ARRAY[('a'::character varying)::text, …]`), so
 * code holding it would never build the catalog it was read from. Only this exact shape is
 * matched: a column (qualified or not), then literals cast to character varying.
 */
const IDENT = '(?:[a-z_][a-z0-9_$]*|"(?:[^"]|"")+")';
const VARCHAR = "'(?:[^']|'')*'::character varying";
const VARCHAR_IN = new RegExp(
  String.raw`\((?<col>(?:${IDENT}\.)?${IDENT})\)::text (?<op>= ANY|<> ALL) \(\(ARRAY\[(?<items>${VARCHAR}(?:, ${VARCHAR})*)\]\)::text\[\]\)`,
  'gu',
);

/**
 * Catalog text rewritten, where it must be, into SQL that builds the same expression again: pull
 * writes expressions as the catalog prints them, and a printed `col IN (…)` on a varchar column
 * does not parse back into itself. `col IN ('a'::character varying, …)` does (NOT IN likewise),
 * and prints exactly as the catalog did. Anything else is returned as it is; a match inside a
 * string literal is left alone.
 *
 * @example
 * rebuildableSql(`((state)::text = ANY ((ARRAY['a'::character varying])::text[]))`)
 * // => `(state IN ('a'::character varying))`
 */
export function rebuildableSql(sql: string): string {
  if (!sql.includes('])::text[])')) return sql;
  const inString = stringSpans(sql);
  return sql.replace(VARCHAR_IN, (match: string, ...args: unknown[]) => {
    const offset = args.at(-3) as number;
    const groups = args.at(-1) as { col: string; op: string; items: string };
    if (inString(offset)) return match;
    return `${groups.col} ${groups.op === '= ANY' ? 'IN' : 'NOT IN'} (${groups.items})`;
  });
}

/** Whether an offset falls inside a string literal of `sql`. */
function stringSpans(sql: string): (offset: number) => boolean {
  const spans = tokenizeSql(sql).filter((t) => t.kind === 'string').map((t) => [t.start, t.start + t.text.length] as const);
  return (offset) => spans.some(([from, to]) => offset >= from && offset < to);
}
