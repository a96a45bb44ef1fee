import { StrataError } from '@strata/core';

/** A table named on the command line: `table`, `schema.table`, parts in double quotes as in SQL. */
export interface TableName {
  schema?: string;
  name: string;
}

/**
 * Parses `--tables users,auth.sessions,"Odd.Name"`: commas separate tables, a dot separates the
 * schema, and double quotes keep a part as written (`""` is a quote inside quotes).
 *
 * @example
 * parseTableList('users, auth.sessions') // => [{ name: 'users' }, { schema: 'auth', name: 'sessions' }]
 */
export function parseTableList(text: string): TableName[] {
  const tables: TableName[] = [];
  let parts: string[] = [];
  let cur = '';
  let quoted = false;
  let wasQuoted = false;
  const endPart = () => {
    const p = wasQuoted ? cur : cur.trim();
    if (p === '') throw new StrataError('USAGE', `--tables "${text}": an empty table name`, { hint: 'Separate tables with commas: --tables users,auth.sessions' });
    parts.push(p);
    cur = '';
    wasQuoted = false;
  };
  const endTable = () => {
    endPart();
    if (parts.length > 2) throw new StrataError('USAGE', `--tables: "${parts.join('.')}" has more than schema.table`, { hint: 'Quote a name that holds a dot: "my.table"' });
    tables.push(parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : { name: parts[0]! });
    parts = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') {
      if (cur.trim() !== '') throw new StrataError('USAGE', `--tables "${text}": a quote in the middle of a name`);
      cur = '';
      quoted = true;
      wasQuoted = true;
    } else if (ch === '.') endPart();
    else if (ch === ',') endTable();
    else if (!wasQuoted) cur += ch;
    else if (ch.trim() !== '') throw new StrataError('USAGE', `--tables "${text}": text after a quoted name`);
  }
  if (quoted) throw new StrataError('USAGE', `--tables "${text}": a quote is not closed`);
  endTable();
  return tables;
}
