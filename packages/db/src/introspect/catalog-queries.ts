/**
 * The catalog queries of `introspect`: one per object kind, each covering every managed table at
 * once, so their number never grows with the schema. All take one parameter, `$1`, a JSON object
 * `{ "schemas": string[] | null, "exclude": string[] }`, and share the two CTEs below. Lists come
 * back as JSON (both drivers parse json; arrays would come back as text).
 *
 * Version notes: PostgreSQL 13+ (attgenerated, attidentity, pg_sequence, indnkeyatts exist);
 * `indnullsnotdistinct` exists from 15 on and is read through `to_jsonb(row)` so one text serves all.
 */

/** Managed namespaces: not system (`pg_*`, information_schema), not excluded, not owned by an extension. */
const NS = `ns as (
  select n.oid, n.nspname
  from pg_catalog.pg_namespace n
  where n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema'
    and not (n.nspname = any (select jsonb_array_elements_text($1::jsonb -> 'exclude')))
    and (jsonb_typeof($1::jsonb -> 'schemas') is distinct from 'array'
         or n.nspname in (select jsonb_array_elements_text($1::jsonb -> 'schemas')))
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_namespace'::regclass and d.objid = n.oid and d.deptype = 'e')
)`;

/** Managed tables: ordinary and partitioned, not partitions, not owned by an extension. */
const TBL = `tbl as (
  select c.oid, ns.nspname, c.relname, c.relrowsecurity
  from pg_catalog.pg_class c
  join ns on ns.oid = c.relnamespace
  where c.relkind in ('r', 'p') and not c.relispartition
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
)`;

const notExtensionOwned = (catalog: string, oid: string) =>
  `not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_catalog.${catalog}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;

export const SCHEMAS_SQL = `with ${NS}
select nspname as name from ns order by nspname`;

export interface SchemaRow { name: string }

export const TABLES_SQL = `with ${NS}, ${TBL}
select tbl.oid, tbl.nspname as schema, tbl.relname as name, tbl.relrowsecurity as rls,
  coalesce((
    select json_agg(json_build_object(
      'name', a.attname,
      'num', a.attnum,
      'notNull', a.attnotnull,
      'dims', case when et.oid is null then 0 else greatest(a.attndims, 1) end,
      'baseOid', bt.oid::int8,
      'baseName', bt.typname,
      'baseSchema', btn.nspname,
      'baseKind', bt.typtype,
      'formatted', pg_catalog.format_type(bt.oid, a.atttypmod),
      'default', pg_catalog.pg_get_expr(ad.adbin, ad.adrelid),
      'generated', a.attgenerated,
      'identity', a.attidentity,
      'collation', case when a.attcollation <> 0 and a.attcollation <> bt.typcollation then co.collname end,
      'collationSchema', case when a.attcollation <> 0 and a.attcollation <> bt.typcollation then coln.nspname end
    ) order by a.attnum)
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_type t on t.oid = a.atttypid
    left join pg_catalog.pg_type et on et.oid = t.typelem and et.typarray = t.oid
    join pg_catalog.pg_type bt on bt.oid = coalesce(et.oid, t.oid)
    join pg_catalog.pg_namespace btn on btn.oid = bt.typnamespace
    left join pg_catalog.pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
    left join pg_catalog.pg_collation co on co.oid = a.attcollation
    left join pg_catalog.pg_namespace coln on coln.oid = co.collnamespace
    where a.attrelid = tbl.oid and a.attnum > 0 and not a.attisdropped
  ), '[]'::json) as columns
from tbl`;

export interface ColumnRow {
  name: string;
  num: number;
  notNull: boolean;
  dims: number;
  baseOid: number;
  baseName: string;
  baseSchema: string;
  /** pg_type.typtype of the (element) type: b base, e enum, d domain, c composite, r range, m multirange. */
  baseKind: string;
  formatted: string;
  default: string | null;
  /** '' none, 's' stored, 'v' virtual (PostgreSQL 18). */
  generated: string;
  /** '' none, 'a' always, 'd' by default. */
  identity: string;
  collation: string | null;
  /** The schema of `collation` (a collation name alone is ambiguous: see collationName). */
  collationSchema: string | null;
}

export interface TableRow { oid: number; schema: string; name: string; rls: boolean; columns: ColumnRow[] }

export const CONSTRAINTS_SQL = `with ${NS}, ${TBL}
select con.conrelid as table_oid, con.conname as name, con.contype as type,
  (select json_agg(a.attname order by k.i) from unnest(con.conkey) with ordinality k(attnum, i)
     join pg_catalog.pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as columns,
  fn.nspname as foreign_schema, fc.relname as foreign_table,
  (select json_agg(a.attname order by k.i) from unnest(con.confkey) with ordinality k(attnum, i)
     join pg_catalog.pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum) as foreign_columns,
  con.confupdtype as on_update, con.confdeltype as on_delete,
  case when con.contype = 'c' then pg_catalog.pg_get_constraintdef(con.oid) end as def,
  coalesce((to_jsonb(ix) ->> 'indnullsnotdistinct')::boolean, false) as nulls_not_distinct
from pg_catalog.pg_constraint con
join tbl on tbl.oid = con.conrelid
left join pg_catalog.pg_class fc on fc.oid = con.confrelid
left join pg_catalog.pg_namespace fn on fn.oid = fc.relnamespace
left join pg_catalog.pg_index ix on ix.indexrelid = con.conindid and con.contype = 'u'
where con.contype in ('p', 'u', 'c', 'f')`;

export interface ConstraintRow {
  table_oid: number;
  name: string;
  type: 'p' | 'u' | 'c' | 'f';
  columns: string[] | null;
  foreign_schema: string | null;
  foreign_table: string | null;
  foreign_columns: string[] | null;
  on_update: string;
  on_delete: string;
  def: string | null;
  nulls_not_distinct: boolean;
}

export const INDEXES_SQL = `with ${NS}, ${TBL}
select i.indrelid as table_oid, ic.relname as name, i.indisunique as unique, am.amname as method,
  (select json_agg(json_build_object(
      'value', pg_catalog.pg_get_indexdef(i.indexrelid, k.i::int, true),
      'expression', k.attnum = 0,
      'column', a.attname,
      'option', i.indoption[k.i::int - 1],
      'opclass', case when opc.opcdefault then null when pg_catalog.pg_opclass_is_visible(opc.oid) then opc.opcname
        else pg_catalog.quote_ident(ocn.nspname) || '.' || pg_catalog.quote_ident(opc.opcname) end,
      'collationOid', i.indcollation[k.i::int - 1]::int8,
      'collation', co.collname,
      'collationSchema', coln.nspname,
      'columnCollationOid', a.attcollation::int8
    ) order by k.i)
   from unnest(i.indkey::int2[]) with ordinality k(attnum, i)
   left join pg_catalog.pg_opclass opc on opc.oid = i.indclass[k.i::int - 1]
   left join pg_catalog.pg_namespace ocn on ocn.oid = opc.opcnamespace
   left join pg_catalog.pg_collation co on co.oid = i.indcollation[k.i::int - 1]
   left join pg_catalog.pg_namespace coln on coln.oid = co.collnamespace
   left join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum and k.attnum > 0
   where k.i <= i.indnkeyatts) as elements,
  pg_catalog.pg_get_expr(i.indpred, i.indrelid) as "where",
  (select json_agg(o) from unnest(ic.reloptions) o) as options,
  coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) as nulls_not_distinct,
  pg_catalog.pg_get_indexdef(i.indexrelid, 0, true) as def
from pg_catalog.pg_index i
join tbl on tbl.oid = i.indrelid
join pg_catalog.pg_class ic on ic.oid = i.indexrelid
join pg_catalog.pg_am am on am.oid = ic.relam
where not exists (select 1 from pg_catalog.pg_constraint con
                  where con.conindid = i.indexrelid and con.conrelid = i.indrelid and con.contype in ('p', 'u', 'x'))`;

export interface IndexElementRow {
  value: string;
  expression: boolean;
  /** The key column's name (null for an expression). */
  column: string | null;
  option: number;
  /** A non-default operator class, schema-qualified when the search path does not reach it (as pg_get_indexdef prints it). */
  opclass: string | null;
  collationOid: number;
  collation: string | null;
  collationSchema: string | null;
  columnCollationOid: number | null;
}

export interface IndexRow {
  table_oid: number;
  name: string;
  unique: boolean;
  method: string;
  elements: IndexElementRow[];
  where: string | null;
  options: string[] | null;
  nulls_not_distinct: boolean;
  def: string;
}

export const ENUMS_SQL = `with ${NS}
select ns.nspname as schema, t.typname as name,
  coalesce((select json_agg(e.enumlabel order by e.enumsortorder) from pg_catalog.pg_enum e where e.enumtypid = t.oid), '[]'::json) as values
from pg_catalog.pg_type t
join ns on ns.oid = t.typnamespace
where t.typtype = 'e' and ${notExtensionOwned('pg_type', 't.oid')}`;

export interface EnumRow { schema: string; name: string; values: string[] }

export const SEQUENCES_SQL = `with ${NS}
select ns.nspname as schema, c.relname as name, pg_catalog.format_type(s.seqtypid, null) as data_type,
  s.seqincrement::text as increment, s.seqmin::text as min_value, s.seqmax::text as max_value,
  s.seqstart::text as start, s.seqcache::text as cache, s.seqcycle as cycle,
  c.oid::regclass::text as regclass,
  dep.deptype as owner_kind, dep.refobjid as owner_table, dep.refobjsubid as owner_column
from pg_catalog.pg_sequence s
join pg_catalog.pg_class c on c.oid = s.seqrelid
join ns on ns.oid = c.relnamespace
left join pg_catalog.pg_depend dep on dep.classid = 'pg_catalog.pg_class'::regclass and dep.objid = c.oid
  and dep.refclassid = 'pg_catalog.pg_class'::regclass and dep.deptype in ('a', 'i')
where ${notExtensionOwned('pg_class', 'c.oid')}`;

export interface SequenceRow {
  schema: string;
  name: string;
  data_type: string;
  increment: string;
  min_value: string;
  max_value: string;
  start: string;
  cache: string;
  cycle: boolean;
  regclass: string;
  /** 'a': owned by a column (serial, OWNED BY); 'i': an identity column's sequence. */
  owner_kind: 'a' | 'i' | null;
  owner_table: number | null;
  owner_column: number | null;
}

export const VIEWS_SQL = `with ${NS}
select c.oid, ns.nspname as schema, c.relname as name, c.relkind = 'm' as materialized,
  pg_catalog.pg_get_viewdef(c.oid) as def,
  (select json_agg(o) from unnest(c.reloptions) o) as options,
  c.relispopulated as populated,
  (select am.amname from pg_catalog.pg_am am where am.oid = c.relam) as access_method,
  (select ts.spcname from pg_catalog.pg_tablespace ts where ts.oid = c.reltablespace) as tablespace,
  (select json_agg(distinct d.refobjid::int8) from pg_catalog.pg_rewrite r
     join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_rewrite'::regclass and d.objid = r.oid
       and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid <> c.oid
   where r.ev_class = c.oid) as depends_on
from pg_catalog.pg_class c
join ns on ns.oid = c.relnamespace
where c.relkind in ('v', 'm') and ${notExtensionOwned('pg_class', 'c.oid')}`;

export interface ViewRow {
  oid: number;
  schema: string;
  name: string;
  materialized: boolean;
  def: string;
  options: string[] | null;
  populated: boolean;
  access_method: string | null;
  tablespace: string | null;
  depends_on: number[] | null;
}

export const POLICIES_SQL = `with ${NS}, ${TBL}
select p.polrelid as table_oid, p.polname as name, p.polpermissive as permissive, p.polcmd as cmd,
  (select json_agg(case when r = 0 then 'public' else pg_catalog.pg_get_userbyid(r)::text end) from unnest(p.polroles) r) as roles,
  pg_catalog.pg_get_expr(p.polqual, p.polrelid) as using,
  pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) as with_check
from pg_catalog.pg_policy p
join tbl on tbl.oid = p.polrelid`;

export interface PolicyRow {
  table_oid: number;
  name: string;
  permissive: boolean;
  cmd: 'r' | 'a' | 'w' | 'd' | '*';
  roles: string[] | null;
  using: string | null;
  with_check: string | null;
}
