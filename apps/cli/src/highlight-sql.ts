import type { Colors } from './output.js';

const KEYWORDS = new Set(
  ('add alter and as asc by cascade check column comment concurrently constraint create default delete desc do drop else end enum exists ' +
    'foreign from generated identity if in index insert into is key not null on or primary raise references rename replace restrict ' +
    'schema select sequence set stored table then to type union unique update using values view when where with begin commit exception')
    .split(' '),
);

/**
 * Colours SQL for a terminal: comments dim, strings green, keywords bold cyan, quoted identifiers
 * untouched. Without colours it returns the text as it is.
 *
 * @example
 * out.line(highlightSql('ALTER TABLE "users" ADD COLUMN "x" text;', out.colors));
 */
export function highlightSql(sql: string, c: Colors): string {
  if (!c.isColorSupported) return sql;
  const token = /(--[^\n]*)|('(?:[^']|'')*')|("(?:[^"]|"")*")|(\b[A-Za-z_]+\b)/g;
  return sql.replace(token, (m, comment: string | undefined, str: string | undefined, ident: string | undefined, word: string | undefined) => {
    if (comment) return comment.startsWith('-- hazard') ? c.yellow(comment) : c.dim(comment);
    if (str) return c.green(str);
    if (ident) return ident;
    if (word && KEYWORDS.has(word.toLowerCase())) return c.bold(c.cyan(word));
    return m;
  });
}
