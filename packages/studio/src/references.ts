import type { Queryable } from '@strata/db';
import type { ForeignKeyInfo, IncomingReference } from './api-types.js';

/**
 * A relation's foreign keys both ways: the ones it declares (`outgoing`) and the ones other
 * tables declare on it (`incoming`). Partitions' copies of a partitioned table's keys are left out.
 *
 * @example
 * const { outgoing, incoming } = await relationReferences(db, oid);
 */
export async function relationReferences(q: Queryable, oid: number): Promise<{ outgoing: ForeignKeyInfo[]; incoming: IncomingReference[] }> {
  const r = await q.query<{
    name: string; dir: 'out' | 'in'; schema: string; table: string; columns: string[]; ref_schema: string; ref_table: string; ref_columns: string[];
  }>(
    `select con.conname as name, case when con.conrelid = $1 then 'out' else 'in' end as dir,
            n.nspname as schema, c.relname as "table", rn.nspname as ref_schema, rc.relname as ref_table,
            (select json_agg(a.attname order by k.ord) from unnest(con.conkey) with ordinality k(attnum, ord)
               join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as columns,
            (select json_agg(a.attname order by k.ord) from unnest(con.confkey) with ordinality k(attnum, ord)
               join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum) as ref_columns
       from pg_constraint con
       join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
       join pg_class rc on rc.oid = con.confrelid join pg_namespace rn on rn.oid = rc.relnamespace
      where con.contype = 'f' and con.conparentid = 0 and (con.conrelid = $1 or con.confrelid = $1)
      order by dir, n.nspname, c.relname, con.conname`,
    [oid],
  );
  const outgoing: ForeignKeyInfo[] = [];
  const incoming: IncomingReference[] = [];
  for (const x of r.rows) {
    if (x.dir === 'out') outgoing.push({ name: x.name, columns: x.columns, refSchema: x.ref_schema, refTable: x.ref_table, refColumns: x.ref_columns });
    // A table's reference to itself is both: its rows point at rows of the same table.
    if (x.dir === 'in' || (x.schema === x.ref_schema && x.table === x.ref_table)) {
      incoming.push({ name: x.name, schema: x.schema, table: x.table, columns: x.columns, refColumns: x.ref_columns });
    }
  }
  return { outgoing, incoming };
}
