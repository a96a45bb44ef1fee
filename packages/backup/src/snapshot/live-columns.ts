import type { Queryable } from '@strata/db';

/** A column of a live table, as a snapshot needs to know it. */
export interface LiveColumn {
  name: string;
  /** As `format_type` spells it, schema-qualified where needed. */
  type: string;
  /** Of a type outside pg_catalog (enum, domain, extension type) or an array of one: kept as text in a snapshot. */
  userType: boolean;
  notNull: boolean;
  hasDefault: boolean;
  /** `a` (always), `d` (by default) or ''. */
  identity: string;
  generated: boolean;
}

/** The columns of each table (keyed `schema\u0000table`), in attnum order; a missing table is absent. */
export async function liveColumns(q: Queryable, tables: { schema: string; name: string }[]): Promise<Map<string, LiveColumn[]>> {
  const r = await q.query<{ schema: string; table: string; columns: LiveColumn[] }>(
    `select n.nspname as schema, c.relname as "table",
            coalesce((select json_agg(json_build_object(
                'name', a.attname,
                'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
                'userType', t.typnamespace <> 'pg_catalog'::regnamespace
                            or coalesce((select e.typnamespace <> 'pg_catalog'::regnamespace from pg_type e where e.oid = t.typelem and t.typelem <> 0), false),
                'notNull', a.attnotnull,
                'hasDefault', a.atthasdef,
                'identity', a.attidentity::text,
                'generated', a.attgenerated <> '') order by a.attnum)
              from pg_attribute a join pg_type t on t.oid = a.atttypid
             where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]'::json) as columns
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       join json_to_recordset($1::json) as want(schema text, name text) on want.schema = n.nspname and want.name = c.relname
      where c.relkind in ('r', 'p')`,
    [JSON.stringify(tables.map((t) => ({ schema: t.schema, name: t.name })))],
  );
  return new Map(r.rows.map((x) => [`${x.schema}\u0000${x.table}`, x.columns]));
}

export const tableKey = (t: { schema: string; name: string }): string => `${t.schema}\u0000${t.name}`;
