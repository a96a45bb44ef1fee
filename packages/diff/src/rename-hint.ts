import { StrataError } from '@strata/core';

/** A parsed `--rename from=to` hint: each side a dotted path of 1 to 3 names. */
export interface RenameHint {
  /** The hint as given. */
  text: string;
  from: string[];
  to: string[];
}

const FORMAT_HINT =
  'Write --rename from=to, each side a dotted path [schema.]table[.column] or an enum, view or schema name ' +
  '(e.g. --rename users.name=users.full_name); a name containing ".", "=" or a double quote goes in double quotes, as in SQL.';

function fail(text: string, problem: string): never {
  throw new StrataError('USAGE', `--rename ${JSON.stringify(text)}: ${problem}`, { hint: FORMAT_HINT });
}

/**
 * Parses the `--rename from=to` format of docs/cli.md: dotted paths, parts containing `.`, `=` or `"`
 * written in double quotes with `""` for a quote, as in SQL.
 *
 * @example
 * parseRenameHint('auth.users=auth.people') // => { text: 'auth.users=auth.people', from: ['auth', 'users'], to: ['auth', 'people'] }
 * parseRenameHint('"a.b".x="a=b".y')        // => { …, from: ['a.b', 'x'], to: ['a=b', 'y'] }
 */
export function parseRenameHint(text: string): RenameHint {
  const sides: string[][] = [[]];
  let part = '';
  let quotedPart = false;
  let i = 0;
  const endPart = () => {
    if (part === '' && !quotedPart) fail(text, 'a name is empty (two dots in a row, or nothing before or after "." or "=")');
    sides[sides.length - 1]!.push(part);
    part = '';
    quotedPart = false;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      if (part !== '' || quotedPart) fail(text, `a double quote may only open a name (at position ${i + 1})`);
      const close = findClosingQuote(text, i + 1);
      if (close < 0) fail(text, 'a double quote is not closed');
      part = text.slice(i + 1, close).replaceAll('""', '"');
      quotedPart = true;
      i = close + 1;
      if (i < text.length && text[i] !== '.' && text[i] !== '=') fail(text, `expected "." or "=" after a quoted name (at position ${i + 1})`);
      continue;
    }
    if (ch === '.') {
      endPart();
    } else if (ch === '=') {
      endPart();
      if (sides.length === 2) fail(text, 'more than one "=" outside double quotes');
      sides.push([]);
    } else {
      part += ch;
    }
    i++;
  }
  endPart();
  if (sides.length !== 2) fail(text, 'there is no "=" between the old and the new name');
  const [from, to] = sides as [string[], string[]];
  for (const side of [from, to]) {
    if (side.length > 3) fail(text, `${side.length} dotted names on one side; at most 3 ([schema.]table[.column])`);
  }
  return { text, from, to };
}

function findClosingQuote(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    if (text[i] !== '"') continue;
    if (text[i + 1] === '"') {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}

/**
 * Writes a path in the hint format: names containing `.`, `=` or `"` (or empty) in double quotes.
 *
 * @example
 * formatRenamePath(['public', 'a.b']) // => 'public."a.b"'
 */
export function formatRenamePath(path: readonly string[]): string {
  return path.map((p) => (p === '' || /[.="]/.test(p) ? `"${p.replaceAll('"', '""')}"` : p)).join('.');
}

/**
 * The exact command-line flag that answers one rename, quoted for a POSIX shell when needed.
 *
 * @example
 * renameFlag(['public', 'users', 'name'], ['public', 'users', 'full name']) // => "--rename 'public.users.name=public.users.full name'"
 */
export function renameFlag(from: readonly string[], to: readonly string[]): string {
  const value = `${formatRenamePath(from)}=${formatRenamePath(to)}`;
  return `--rename ${/^[A-Za-z0-9_.=/:@%+,-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`}`;
}
