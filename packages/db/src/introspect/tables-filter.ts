/**
 * The config's `tablesFilter`: globs over table (and view) names, `!` in front to exclude. A name is
 * kept when it matches one of the including globs (or there are none) and none of the excluding
 * ones. A glob containing a `.` is matched against `schema.name`, any other against the bare name.
 * Globs know `*` (any run of characters), `?` (one character) and `[…]` / `[!…]` sets.
 */

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) { re += '\\['; continue; }
      let set = glob.slice(i + 1, close);
      const negated = set.startsWith('!') || set.startsWith('^');
      if (negated) set = set.slice(1);
      re += `[${negated ? '^' : ''}${set.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'su');
}

/**
 * Builds the predicate for a list of globs; `undefined` or an empty list keeps everything.
 *
 * @example
 * const keep = tablesFilter(['!legacy_*']); keep('public', 'users') // => true
 */
export function tablesFilter(globs: readonly string[] | undefined): (schema: string, name: string) => boolean {
  if (!globs || globs.length === 0) return () => true;
  const compile = (g: string) => ({ qualified: g.includes('.'), re: globToRegExp(g) });
  const include = globs.filter((g) => !g.startsWith('!')).map(compile);
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => compile(g.slice(1)));
  const test = (p: { qualified: boolean; re: RegExp }, schema: string, name: string) => p.re.test(p.qualified ? `${schema}.${name}` : name);
  return (schema, name) =>
    (include.length === 0 || include.some((p) => test(p, schema, name))) && !exclude.some((p) => test(p, schema, name));
}
