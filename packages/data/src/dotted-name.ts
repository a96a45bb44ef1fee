import { StrataError } from '@strata/core';

/**
 * Splits `schema.table` into its parts, as written in SQL but without case folding: a part holding
 * a dot or a quote is written in double quotes (`"my.schema"."odd ""name"""`).
 *
 * @example
 * parseDottedName('auth.users') // => ['auth', 'users']
 * parseDottedName('"a.b".c')    // => ['a.b', 'c']
 */
export function parseDottedName(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  const fail = (why: string) =>
    new StrataError('USAGE', `cannot read the table name ${JSON.stringify(text)}: ${why}`, {
      hint: 'Write table or schema.table; put a part holding a dot or a quote in double quotes, e.g. "my.schema".users.',
    });
  while (i <= text.length) {
    let part = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw fail('a double quote is not closed');
        if (text[i] === '"') {
          if (text[i + 1] === '"') { part += '"'; i += 2; continue; }
          i++;
          break;
        }
        part += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== '.') {
        if (text[i] === '"') throw fail('a double quote in the middle of a name');
        part += text[i++];
      }
    }
    if (part === '') throw fail('an empty part');
    parts.push(part);
    if (i >= text.length) break;
    if (text[i] !== '.') throw fail(`unexpected ${JSON.stringify(text[i])} after a quoted part`);
    i++;
    if (i === text.length) throw fail('it ends with a dot');
  }
  if (parts.length > 2) throw fail('more than schema.table');
  return parts;
}
