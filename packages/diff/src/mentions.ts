/**
 * Whether SQL text may refer to an identifier: quoted (`"Name"`) or, for a name that can be written
 * bare, as a whole word in any case. Used to find what must be rebuilt around a change (views that
 * read a table, policies that read a column); a false "yes" only rebuilds one object too many.
 *
 * @example
 * mentions('select "Users".id from "Users"', 'Users') // => true
 * mentions('select userid from t', 'user')            // => false
 */
export function mentions(sql: string | undefined, name: string): boolean {
  if (!sql) return false;
  if (sql.includes(`"${name.replaceAll('"', '""')}"`)) return true;
  if (!/^[a-z_][a-z0-9_$]*$/.test(name)) return false;
  const re = new RegExp(`(^|[^A-Za-z0-9_$"])${name.replaceAll('$', '\\$')}($|[^A-Za-z0-9_$"])`, 'i');
  return re.test(sql);
}

/** True when `sql` mentions any of `names`. */
export function mentionsAny(sql: string | undefined, names: Iterable<string>): boolean {
  for (const n of names) if (mentions(sql, n)) return true;
  return false;
}
