/**
 * Quotes an identifier for PostgreSQL, doubling embedded quotes.
 *
 * @example
 * quoteIdent('my "table"') // => '"my ""table"""'
 */
export function quoteIdent(name: string): string {
  // Most names hold no quote: replaceAll would still scan and copy (a 1,000-table migration quotes ~50,000 names).
  return name.includes('"') ? `"${name.replaceAll('"', '""')}"` : `"${name}"`;
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
 * `text` cut to at most `bytes` UTF-8 bytes, on a character boundary (never inside one).
 *
 * @example
 * cutToBytes('aé', 2) // => 'a'
 */
export function cutToBytes(text: string, bytes: number): string {
  // Most names fit: a UTF-16 unit is at most 3 UTF-8 bytes, and counting allocates nothing.
  if (text.length * 3 <= bytes || Buffer.byteLength(text, 'utf8') <= bytes) return text;
  const b = Buffer.from(text, 'utf8');
  if (b.length <= bytes) return text;
  let end = bytes;
  // Step back over UTF-8 continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && ((b[end] ?? 0) & 0xc0) === 0x80) end--;
  return b.subarray(0, end).toString('utf8');
}

/**
 * Cuts a name the way PostgreSQL cuts a name you give it: at 63 bytes, on a character boundary.
 *
 * @example
 * truncateIdentifier('a'.repeat(70)).length // => 63
 */
export function truncateIdentifier(name: string): string {
  return cutToBytes(name, MAX_IDENTIFIER_BYTES);
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
  const parts = [cutToBytes(name1, n1)];
  if (name2 !== undefined) parts.push(cutToBytes(name2, n2));
  parts.push(label);
  return parts.join('_');
}

/**
 * A short, stable tag of `text`: FNV-1a (32 bits) as 8 hex digits. Names that had to be cut end
 * with it, so two long names that share their first bytes stay two names.
 *
 * @example
 * nameTag('public.users.email') // => 8 hex digits, always the same for this text
 */
export function nameTag(text: string): string {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * `<name>_<label>`: a helper object Strata creates beside `name` (a shadow column, an index built
 * before a swap, a type kept while its replacement is built). When that is over 63 bytes, `name`
 * is cut and followed by a tag of the whole of it, `<cut name>_<tag>_<label>`: plain cutting
 * (makeObjectName) would give two long names that share their first bytes the same helper.
 *
 * @example
 * taggedObjectName('users_email_idx', 'strata_new') // => 'users_email_idx_strata_new'
 */
export function taggedObjectName(name: string, label: string): string {
  const plain = `${name}_${label}`;
  if (Buffer.byteLength(plain, 'utf8') <= MAX_IDENTIFIER_BYTES) return plain;
  const tail = `_${nameTag(name)}_${label}`;
  return `${cutToBytes(name, MAX_IDENTIFIER_BYTES - Buffer.byteLength(tail, 'utf8'))}${tail}`;
}
