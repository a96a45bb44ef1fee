import { qualify, truncateIdentifier } from '@strata/core';
import type { Queryable } from '@strata/db';

/** The index a `CREATE [UNIQUE] INDEX CONCURRENTLY` builds: its name (null when the server picks it) and its table as written. */
export interface ConcurrentIndexTarget {
  name: string | null;
  table: string;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)`;
const CIC = new RegExp(
  String.raw`^\s*create\s+(?:unique\s+)?index\s+concurrently\s+(?:if\s+not\s+exists\s+)?(?:(${IDENT})\s+)?on\s+(?:only\s+)?(${IDENT}(?:\s*\.\s*${IDENT})?)`,
  'i',
);

/** An identifier as PostgreSQL reads it: quoted as written, unquoted folded to lower case; cut at 63 bytes. */
function identName(raw: string): string {
  return truncateIdentifier(raw.startsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw.toLowerCase());
}

/**
 * Reads the head of a `CREATE INDEX CONCURRENTLY` statement (no SQL parser on `migrate`'s path:
 * the head's grammar is small). Null for any other statement.
 *
 * @example
 * concurrentIndexTarget('CREATE INDEX CONCURRENTLY "i" ON "s"."t" (c)') // => { name: 'i', table: '"s"."t"' }
 */
export function concurrentIndexTarget(sql: string): ConcurrentIndexTarget | null {
  const m = CIC.exec(sql);
  if (!m || (m[1] !== undefined && /^on$/i.test(m[1]))) return null;
  return { name: m[1] === undefined ? null : identName(m[1]), table: m[2]!.replace(/\s*\.\s*/, '.') };
}

/** An INVALID index: its qualified name, and the statement that drops it without blocking writers. */
export interface InvalidIndex {
  index: string;
  dropSql: string;
}

/**
 * The INVALID indexes on the target's table (of that name, when it has one): what a failed or
 * interrupted `CREATE INDEX CONCURRENTLY` leaves behind. The table is resolved with the
 * session's `search_path`, as the statement was.
 */
export async function invalidIndexes(q: Queryable, target: ConcurrentIndexTarget): Promise<InvalidIndex[]> {
  const r = await q.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name
       from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
      where i.indrelid = to_regclass($1) and not i.indisvalid and ($2::text is null or c.relname = $2)
      order by 2`,
    [target.table, target.name],
  );
  return r.rows.map((x) => {
    const index = qualify(x.schema, x.name);
    return { index, dropSql: `DROP INDEX CONCURRENTLY IF EXISTS ${index}` };
  });
}
