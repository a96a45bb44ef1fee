import { qualify, quoteIdent } from '@strata/core';
import type { Queryable } from '@strata/db';

/** Objects that belong to an extension are the extension's, never dumped or dropped one by one. */
const NOT_EXTENSION_MEMBER = (classTable: string, oid: string) =>
  `not exists (select 1 from pg_depend d where d.classid = '${classTable}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;

const USER_SCHEMA = `n.nspname <> 'information_schema' and n.nspname !~ '^pg_'`;

/**
 * The schemas that hold user objects: every schema but the system ones and those created by
 * an extension, minus `exclude`.
 */
export async function listUserSchemas(q: Queryable, exclude: readonly string[] = []): Promise<string[]> {
  const r = await q.query<{ name: string }>(
    `select n.nspname as name from pg_namespace n
      where ${USER_SCHEMA} and not (n.nspname = any($1::text[])) and ${NOT_EXTENSION_MEMBER('pg_namespace', 'n.oid')}
      order by 1`,
    [exclude],
  );
  return r.rows.map((x) => x.name);
}

/** A table with the columns its rows are copied by (generated columns left out) and its size in pages. */
export interface CatalogTable {
  schema: string;
  name: string;
  columns: string[];
  pages: number;
}

/** Every ordinary table of `schemas` (not an extension's), by schema and name. */
export async function listTables(q: Queryable, schemas: readonly string[]): Promise<CatalogTable[]> {
  const r = await q.query<{ schema: string; name: string; columns: string[]; pages: string }>(
    `select n.nspname as schema, c.relname as name,
            coalesce((select json_agg(a.attname order by a.attnum) from pg_attribute a
                       where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''), '[]'::json) as columns,
            (pg_relation_size(c.oid) / current_setting('block_size')::int8)::text as pages
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and c.relpersistence <> 't' and n.nspname = any($1::text[]) and ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
      order by n.nspname collate "C", c.relname collate "C"`,
    [schemas],
  );
  return r.rows.map((x) => ({ schema: x.schema, name: x.name, columns: x.columns, pages: Number(x.pages) }));
}

/** Every sequence of `schemas` (serial and identity ones included) with its position. */
export async function listSequencePositions(q: Queryable, schemas: readonly string[]): Promise<{ schema: string; name: string; lastValue: string; isCalled: boolean }[]> {
  const r = await q.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'S' and n.nspname = any($1::text[]) and ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
      order by n.nspname collate "C", c.relname collate "C"`,
    [schemas],
  );
  const out = [];
  for (const s of r.rows) {
    const p = await q.query<{ last_value: string; is_called: boolean }>(`select last_value::text as last_value, is_called from ${qualify(s.schema, s.name)}`);
    const row = p.rows[0];
    if (row) out.push({ schema: s.schema, name: s.name, lastValue: row.last_value, isCalled: row.is_called });
  }
  return out;
}

/**
 * The populated materialized views of `schemas`, each after every materialized view it reads
 * (through plain views too), so refreshing them in this order sees fresh data.
 */
export async function populatedMatviewsInOrder(q: Queryable, schemas: readonly string[]): Promise<{ schema: string; name: string }[]> {
  const views = await q.query<{ oid: string; schema: string; name: string; kind: string; populated: boolean }>(
    `select c.oid::text as oid, n.nspname as schema, c.relname as name, c.relkind::text as kind, c.relispopulated as populated
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('v', 'm') and ${USER_SCHEMA}
      order by n.nspname collate "C", c.relname collate "C"`,
  );
  if (!views.rows.some((v) => v.kind === 'm')) return [];
  const deps = await q.query<{ view: string; ref: string }>(
    `select distinct r.ev_class::text as view, d.refobjid::text as ref
       from pg_rewrite r join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
      where d.refclassid = 'pg_class'::regclass and d.refobjid <> r.ev_class`,
  );
  const reads = new Map<string, string[]>();
  for (const d of deps.rows) reads.set(d.view, [...(reads.get(d.view) ?? []), d.ref]);
  const byOid = new Map(views.rows.map((v) => [v.oid, v]));
  const order: typeof views.rows = [];
  const seen = new Set<string>();
  const visit = (oid: string) => {
    if (seen.has(oid)) return;
    seen.add(oid);
    for (const ref of reads.get(oid) ?? []) if (byOid.has(ref)) visit(ref);
    const v = byOid.get(oid);
    if (v) order.push(v);
  };
  for (const v of views.rows) visit(v.oid);
  return order.filter((v) => v.kind === 'm' && v.populated && schemas.includes(v.schema)).map((v) => ({ schema: v.schema, name: v.name }));
}

/**
 * The user objects of a database (what makes it "not empty"): schemas other than an empty
 * `public`, relations, types and routines, leaving extensions' own objects out.
 */
export async function listUserObjects(q: Queryable): Promise<{ kind: string; name: string }[]> {
  const r = await q.query<{ kind: string; name: string }>(
    `select 'schema' as kind, n.nspname as name from pg_namespace n
      where ${USER_SCHEMA} and n.nspname <> 'public' and ${NOT_EXTENSION_MEMBER('pg_namespace', 'n.oid')}
     union all
     select case c.relkind when 'r' then 'table' when 'p' then 'table' when 'v' then 'view' when 'm' then 'materialized view'
                           when 'S' then 'sequence' when 'f' then 'foreign table' when 'c' then 'type' else 'relation' end,
            n.nspname || '.' || c.relname
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where ${USER_SCHEMA} and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f', 'c') and ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
     union all
     select 'type', n.nspname || '.' || t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where ${USER_SCHEMA} and t.typtype in ('e', 'd', 'r', 'm') and ${NOT_EXTENSION_MEMBER('pg_type', 't.oid')}
     union all
     select 'function', n.nspname || '.' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where ${USER_SCHEMA} and ${NOT_EXTENSION_MEMBER('pg_proc', 'p.oid')}
     order by 1, 2`,
  );
  return r.rows;
}

/**
 * Tables whose primary key or unique constraint a view relies on (a `GROUP BY` on the key lets the
 * view select other columns: PostgreSQL records that as a dependency on the constraint). Their keys
 * must exist before the views are created, so a backup builds them before the data.
 *
 * @example
 * const keep = await keysUsedByViews(session); keep.has('public.users') // => true
 */
export async function keysUsedByViews(q: Queryable): Promise<Set<string>> {
  const r = await q.query<{ schema: string; name: string }>(
    `select distinct n.nspname as schema, c.relname as name
       from pg_depend d
       join pg_constraint con on d.refclassid = 'pg_constraint'::regclass and d.refobjid = con.oid
       join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
      where d.classid = 'pg_rewrite'::regclass and con.contype in ('p', 'u')`,
  );
  return new Set(r.rows.map((x) => `${x.schema}.${x.name}`));
}

/**
 * The functions, procedures and triggers in `schemas` (an extension's own left out): a backup holds
 * none of them, so a restore needs them created first (a hand-written migration does). Named as
 * a person would look them up: `function "app"."org_id"(uuid)`, `trigger "touch" on "app"."items"`.
 */
export async function listRoutinesAndTriggers(q: Queryable, schemas: readonly string[]): Promise<string[]> {
  const routines = await q.query<{ schema: string; name: string; args: string; kind: string }>(
    `select n.nspname as schema, p.proname as name, pg_catalog.pg_get_function_identity_arguments(p.oid) as args, p.prokind::text as kind
       from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
      where n.nspname = any($1::text[]) and ${NOT_EXTENSION_MEMBER('pg_proc', 'p.oid')}
      order by 1, 2, 3`,
    [schemas],
  );
  const triggers = await q.query<{ schema: string; table: string; name: string }>(
    `select n.nspname as schema, c.relname as table, t.tgname as name
       from pg_catalog.pg_trigger t join pg_catalog.pg_class c on c.oid = t.tgrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where not t.tgisinternal and n.nspname = any($1::text[]) and ${NOT_EXTENSION_MEMBER('pg_trigger', 't.oid')}
      order by 1, 2, 3`,
    [schemas],
  );
  const kinds: Record<string, string> = { f: 'function', p: 'procedure', a: 'aggregate', w: 'window function' };
  return [
    ...routines.rows.map((r) => `${kinds[r.kind] ?? 'function'} ${qualify(r.schema, r.name)}(${r.args})`),
    ...triggers.rows.map((t) => `trigger ${quoteIdent(t.name)} on ${qualify(t.schema, t.table)}`),
  ];
}
