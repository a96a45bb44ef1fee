import { Column, getTableName, is, isTable } from 'drizzle-orm';
import { StrataError, qualify, quoteIdent, truncateIdentifier } from '@strata/core';
import type { Queryable } from '@strata/db';
import { parseDottedName } from './dotted-name.js';
import type { KeyRef, TableRef } from './types.js';

/** The table a batch walk runs over and the key it walks by, as the catalog has them. */
export interface WalkTarget {
  schema: string;
  name: string;
  /** `"schema"."name"`, quoted. */
  qualified: string;
  /** Key columns in walk order, with their type as `format_type` spells it (for parameter casts). */
  key: { name: string; type: string }[];
}

const DRIZZLE_SCHEMA = Symbol.for('drizzle:Schema');

function tableParts(table: TableRef): { schema: string | null; name: string } {
  if (typeof table === 'string') {
    const parts = parseDottedName(table);
    return parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : { schema: null, name: parts[0]! };
  }
  if (isTable(table)) {
    const schema = (table as unknown as Record<symbol, string | undefined>)[DRIZZLE_SCHEMA];
    return { schema: schema ?? null, name: getTableName(table) };
  }
  const t = table as { schema?: unknown; name?: unknown };
  if (typeof t.name === 'string' && t.name !== '' && (t.schema === undefined || (typeof t.schema === 'string' && t.schema !== ''))) {
    return { schema: (t.schema as string | undefined) ?? null, name: t.name };
  }
  throw new StrataError('USAGE', 'batch: `table` must be a table name, { schema, name } or a drizzle table', { hint: "e.g. table: 'users' or table: 'auth.users'" });
}

function keyName(k: KeyRef): string {
  if (typeof k === 'string' && k !== '') return k;
  if (is(k, Column)) return (k as Column).name;
  throw new StrataError('USAGE', 'batch: `key` must be a column name, a drizzle column, or an array of them', { hint: "e.g. key: 'id' or key: ['tenant_id', 'id']" });
}

/**
 * Finds the table (on the search_path when no schema is given) and checks the walk key: it must
 * be unique and NOT NULL, or a keyset walk could skip rows at a batch boundary. `moved` reads a
 * table named in one schema (`from`) as the one in another (`to`): a tenant run.
 */
export async function resolveWalkTarget(
  q: Queryable, table: TableRef, key: KeyRef | readonly KeyRef[] | undefined, moved?: { from: string; to: string },
): Promise<WalkTarget> {
  const ref = tableParts(table);
  // A tenant run: a table named in the managed schema is the tenant's copy.
  if (moved && ref.schema === moved.from) ref.schema = moved.to;
  const name = truncateIdentifier(ref.name);
  const schema = ref.schema === null ? null : truncateIdentifier(ref.schema);
  const found = await q.query<{ oid: string; schema: string; name: string }>(
    `select c.oid::int8::text as oid, n.nspname as schema, c.relname as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relname = $1 and c.relkind in ('r', 'p')
        and (case when $2::text is null then n.nspname = any(current_schemas(false)) else n.nspname = $2::text end)
      order by array_position(current_schemas(false), n.nspname::text)
      limit 1`,
    [name, schema],
  );
  const t = found.rows[0];
  const shown = schema === null ? quoteIdent(name) : qualify(schema, name);
  if (!t) {
    throw new StrataError('NOT_FOUND', `batch: table ${shown} not found${schema === null ? ' on the search_path' : ''}`, {
      hint: 'Check the name (it is case-sensitive, as created) and its schema: table: "schema.table".',
    });
  }
  const qualified = qualify(t.schema, t.name);
  const cols = await q.query<{ attnum: number; name: string; type: string; notnull: boolean }>(
    `select a.attnum::int4 as attnum, a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull
       from pg_attribute a where a.attrelid = $1::oid and a.attnum > 0 and not a.attisdropped order by a.attnum`,
    [t.oid],
  );
  const indexes = await q.query<{ primary: boolean; keys: string; plain: boolean }>(
    `select i.indisprimary as primary, (select string_agg(k::text, ' ' order by o) from unnest(i.indkey) with ordinality u(k, o) where o <= i.indnkeyatts) as keys,
            (i.indexprs is null and i.indpred is null) as plain
       from pg_index i where i.indrelid = $1::oid and i.indisunique and i.indisvalid
      order by i.indisprimary desc`,
    [t.oid],
  );
  const byNum = new Map(cols.rows.map((c) => [c.attnum, c]));
  const uniqueSets = indexes.rows.filter((i) => i.plain).map((i) => ({ primary: i.primary, nums: i.keys.split(' ').map(Number) }));

  if (key === undefined) {
    const pk = uniqueSets.find((u) => u.primary);
    if (!pk) {
      throw new StrataError('USAGE', `batch: ${qualified} has no primary key to walk by`, {
        hint: "Pass key: the column(s) of a unique index over NOT NULL columns, e.g. key: 'id'.",
      });
    }
    return { schema: t.schema, name: t.name, qualified, key: pk.nums.map((n) => ({ name: byNum.get(n)!.name, type: byNum.get(n)!.type })) };
  }

  const names = (Array.isArray(key) ? (key as readonly KeyRef[]) : [key as KeyRef]).map(keyName);
  if (names.length === 0) throw new StrataError('USAGE', 'batch: `key` is an empty list', { hint: 'Leave key out to walk by the primary key.' });
  const byName = new Map(cols.rows.map((c) => [c.name, c]));
  const picked = names.map((n) => {
    const c = byName.get(n) ?? byName.get(truncateIdentifier(n));
    if (!c) throw new StrataError('NOT_FOUND', `batch: ${qualified} has no column ${quoteIdent(n)}`, { hint: `Its columns: ${cols.rows.map((x) => x.name).join(', ')}.` });
    return c;
  });
  if (new Set(picked.map((c) => c.attnum)).size !== picked.length) throw new StrataError('USAGE', `batch: key (${names.join(', ')}) names a column twice`);
  const nullable = picked.filter((c) => !c.notnull);
  const nums = new Set(picked.map((c) => c.attnum));
  const unique = uniqueSets.some((u) => u.nums.every((n) => nums.has(n)));
  if (nullable.length > 0 || !unique) {
    const why = nullable.length > 0 ? `${nullable.map((c) => quoteIdent(c.name)).join(', ')} may be null` : 'no primary key or unique index covers it';
    throw new StrataError('USAGE', `batch: cannot walk ${qualified} by (${picked.map((c) => quoteIdent(c.name)).join(', ')}): ${why}`, {
      hint: 'A keyset walk needs a unique, NOT NULL key or batches skip rows: leave key out to use the primary key, or add a unique index over NOT NULL columns.',
    });
  }
  return { schema: t.schema, name: t.name, qualified, key: picked.map((c) => ({ name: c.name, type: c.type })) };
}
