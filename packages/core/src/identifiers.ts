/**
 * Quotes an identifier for PostgreSQL, doubling embedded quotes.
 *
 * @example
 * quoteIdent('my "table"') // => '"my ""table"""'
 */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Quotes a schema-qualified name. `public` objects stay qualified too: generated SQL never
 * depends on the session's search_path for objects it names itself.
 *
 * @example
 * qualify('auth', 'users') // => '"auth"."users"'
 */
export function qualify(schema: string | undefined, name: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
}

/**
 * Quotes a string literal, doubling quotes. Uses the E'' form only when a backslash is present,
 * so standard_conforming_strings never matters.
 *
 * @example
 * quoteLiteral("it's") // => "'it''s'"
 */
export function quoteLiteral(value: string): string {
  const body = value.replaceAll("'", "''");
  return value.includes('\\') ? `E'${body.replaceAll('\\', '\\\\')}'` : `'${body}'`;
}

/** PostgreSQL's NAMEDATALEN - 1: the most bytes an identifier keeps. */
export const MAX_IDENTIFIER_BYTES = 63;

/**
 * Cuts a name the way PostgreSQL cuts a name you give it: at 63 bytes, on a character boundary.
 *
 * @example
 * truncateIdentifier('a'.repeat(70)).length // => 63
 */
export function truncateIdentifier(name: string): string {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length <= MAX_IDENTIFIER_BYTES) return name;
  let end = MAX_IDENTIFIER_BYTES;
  // Step back over UTF-8 continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

/**
 * Builds a name the way PostgreSQL's ChooseRelationName/makeObjectName does for names it
 * generates itself (`<table>_<column>_<suffix>`): when too long, the table and column parts are
 * shortened (the longer one first) and the suffix is kept.
 *
 * @example
 * makeObjectName('users', 'id', 'seq') // => 'users_id_seq'
 */
export function makeObjectName(name1: string, name2: string | undefined, label: string): string {
  const byteLen = (s: string) => Buffer.byteLength(s, 'utf8');
  const overhead = byteLen(label) + 1 + (name2 === undefined ? 0 : 1);
  const available = MAX_IDENTIFIER_BYTES - overhead;
  let n1 = byteLen(name1);
  let n2 = name2 === undefined ? 0 : byteLen(name2);
  while (n1 + n2 > available) {
    if (n1 > n2) n1--;
    else n2--;
  }
  const clip = (s: string, n: number) => {
    const b = Buffer.from(s, 'utf8');
    let end = Math.min(n, b.length);
    while (end > 0 && ((b[end] ?? 0) & 0xc0) === 0x80 && end < b.length) end--;
    return b.subarray(0, end).toString('utf8');
  };
  const parts = [clip(name1, n1)];
  if (name2 !== undefined) parts.push(clip(name2, n2));
  parts.push(label);
  return parts.join('_');
}
