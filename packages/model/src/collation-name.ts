/**
 * How a Snapshot names a collation: bare when it lives in `pg_catalog` or `public` (where an
 * unqualified name finds it, and where the catalog's built-in ones live), `schema.name`
 * otherwise, so that code written from the snapshot finds the same collation on a fresh
 * database. A part holding a dot or a double quote is double-quoted, so the name splits back
 * unambiguously. The schema code's `COLLATE …` and the catalog both go through here: the two
 * sides then compare equal.
 *
 * @example
 * collationName('pg_catalog', 'C') // => 'C'
 * collationName('public', 'nocase') // => 'nocase'
 * collationName('app', 'nocase') // => 'app.nocase'
 * collationName(undefined, 'a.b') // => '"a.b"'
 */
export function collationName(schema: string | undefined, name: string): string {
  const parts = schema === undefined || schema === 'pg_catalog' || schema === 'public' ? [name] : [schema, name];
  return parts.some((p) => p.includes('.') || p.includes('"')) ? parts.map((p) => `"${p.replaceAll('"', '""')}"`).join('.') : parts.join('.');
}

/**
 * A stored collation name in the form `collationName` gives today. Snapshots written before
 * collations were named that way hold `public.x` or `pg_catalog.x` where today's hold `x`: the
 * diff compares collations through this, so such a snapshot is no change.
 *
 * @example
 * canonicalCollation('public.nocase') // => 'nocase'
 * canonicalCollation('"pg_catalog"."C"') // => 'C'
 * canonicalCollation('"a.b"') // => '"a.b"'
 */
export function canonicalCollation(stored: string): string {
  const parts = nameParts(stored);
  if (parts.length === 1) return collationName(undefined, parts[0]!);
  if (parts.length === 2) return collationName(parts[0], parts[1]!);
  return stored;
}

/** `a."b.c"` → ['a', 'b.c']: split on the dots outside double quotes, quotes removed. */
function nameParts(text: string): string[] {
  const parts: string[] = [];
  let part = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      if (quoted && text[i + 1] === '"') {
        part += '"';
        i++;
      } else {
        quoted = !quoted;
      }
    } else if (ch === '.' && !quoted) {
      parts.push(part);
      part = '';
    } else {
      part += ch;
    }
  }
  parts.push(part);
  return parts;
}
