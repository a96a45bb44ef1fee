import type { Queryable } from '@strata/db';

/**
 * What a set of schemas holds, read straight from pg_catalog and normalised into sorted plain data,
 * so two databases can be compared with `toEqual`. It is a test oracle independent of Strata's own
 * introspection: PostgreSQL renders every definition (`format_type`, `pg_get_expr`,
 * `pg_get_constraintdef`, `pg_get_indexdef`, `pg_get_viewdef`), so two catalogs that print the same
 * were built to the same shape. Arrays come back as JSON so both drivers return plain JS arrays. Left out on purpose: column order (attnum), PostgreSQL 18's NOT NULL
 * constraints (contype 'n', already covered by `notNull`), sequence positions, OIDs and grants.
 */
export interface CatalogFingerprint {
  schemas: string[];
  tables: FingerprintTable[];
  enums: { schema: string; name: string; labels: string[] }[];
  sequences: {
    schema: string; name: string; type: string; start: string; increment: string; min: string; max: string;
    cache: string; cycle: boolean; ownedBy: string | null;
  }[];
  views: { schema: string; name: string; kind: 'view' | 'materialized'; definition: string; options: string[] }[];
}

export interface FingerprintTable {
  schema: string;
  name: string;
  rls: boolean;
  columns: {
    name: string; type: string; notNull: boolean; default: string | null; identity: string; generated: string;
    collation: string | null;
  }[];
  constraints: { name: string; type: string; definition: string }[];
  indexes: { name: string; definition: string }[];
  policies: { name: string; permissive: boolean; command: string; roles: string[]; using: string | null; withCheck: string | null }[];
}

const byName = <T extends { name: string; schema?: string }>(a: T, b: T) =>
  (a.schema ?? '').localeCompare(b.schema ?? '') || a.name.localeCompare(b.name);

/**
 * Reads the fingerprint of `schemas` (schemas that do not exist are simply absent from `schemas`).
 *
 * @example
 * expect(await catalogFingerprint(migrated, ['app'])).toEqual(await catalogFingerprint(fresh, ['app']));
 */
export async function catalogFingerprint(client: Queryable, schemas: string[]): Promise<CatalogFingerprint> {
  const params = [schemas];
  const ns = await client.query<{ nspname: string }>(`select nspname from pg_namespace where nspname = any($1::text[]) order by 1`, params);

  const rels = await client.query<{ oid: string; schema: string; name: string; relkind: string; rls: boolean; options: string[] | null }>(
    `select c.oid::text as oid, n.nspname as schema, c.relname as name, c.relkind::text as relkind, c.relrowsecurity as rls,
            to_json(c.reloptions) as options
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1::text[]) and c.relkind in ('r', 'p', 'v', 'm')`,
    params,
  );

  const cols = await client.query<{
    rel: string; name: string; type: string; notnull: boolean; def: string | null; identity: string; generated: string; collation: string | null;
  }>(
    `select a.attrelid::text as rel, a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull,
            pg_get_expr(d.adbin, d.adrelid) as def, a.attidentity::text as identity, a.attgenerated::text as generated,
            case when a.attcollation <> t.typcollation then co.collname else null end as collation
       from pg_attribute a
       join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
       join pg_type t on t.oid = a.atttypid
       left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       left join pg_collation co on co.oid = a.attcollation
      where n.nspname = any($1::text[]) and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped`,
    params,
  );

  const cons = await client.query<{ rel: string; name: string; type: string; definition: string }>(
    `select co.conrelid::text as rel, co.conname as name, co.contype::text as type, pg_get_constraintdef(co.oid) as definition
       from pg_constraint co join pg_class c on c.oid = co.conrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1::text[]) and co.contype <> 'n'`,
    params,
  );

  const idx = await client.query<{ rel: string; name: string; definition: string }>(
    `select i.indrelid::text as rel, ic.relname as name, pg_get_indexdef(i.indexrelid) as definition
       from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_namespace n on n.oid = ic.relnamespace
      where n.nspname = any($1::text[])`,
    params,
  );

  const pols = await client.query<{
    rel: string; name: string; permissive: boolean; command: string; roles: string[]; using: string | null; withcheck: string | null;
  }>(
    `select p.polrelid::text as rel, p.polname as name, p.polpermissive as permissive, p.polcmd::text as command,
            to_json(array(select case when r = 0 then 'public' else pg_get_userbyid(r) end from unnest(p.polroles) r order by 1)) as roles,
            pg_get_expr(p.polqual, p.polrelid) as using, pg_get_expr(p.polwithcheck, p.polrelid) as withcheck
       from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1::text[])`,
    params,
  );

  const enums = await client.query<{ schema: string; name: string; labels: string[] }>(
    `select n.nspname as schema, t.typname as name, to_json(array(select e.enumlabel from pg_enum e where e.enumtypid = t.oid order by e.enumsortorder)) as labels
       from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = any($1::text[]) and t.typtype = 'e'`,
    params,
  );

  const seqs = await client.query<{
    schema: string; name: string; type: string; start: string; increment: string; min: string; max: string; cache: string; cycle: boolean; owned: string | null;
  }>(
    `select n.nspname as schema, c.relname as name, format_type(s.seqtypid, null) as type, s.seqstart::text as start,
            s.seqincrement::text as increment, s.seqmin::text as min, s.seqmax::text as max, s.seqcache::text as cache, s.seqcycle as cycle,
            (select tn.nspname || '.' || tc.relname || '.' || a.attname
               from pg_depend d join pg_class tc on tc.oid = d.refobjid join pg_namespace tn on tn.oid = tc.relnamespace
               join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
              where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.refclassid = 'pg_class'::regclass
                and d.deptype in ('a', 'i') limit 1) as owned
       from pg_sequence s join pg_class c on c.oid = s.seqrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1::text[])`,
    params,
  );

  const viewDefs = await client.query<{ oid: string; definition: string }>(
    `select c.oid::text as oid, pg_get_viewdef(c.oid, true) as definition
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1::text[]) and c.relkind in ('v', 'm')`,
    params,
  );
  const viewDef = new Map(viewDefs.rows.map((r) => [r.oid, r.definition]));

  const tables: FingerprintTable[] = [];
  const views: CatalogFingerprint['views'] = [];
  for (const r of rels.rows) {
    if (r.relkind === 'v' || r.relkind === 'm') {
      views.push({
        schema: r.schema, name: r.name, kind: r.relkind === 'm' ? 'materialized' : 'view',
        definition: viewDef.get(r.oid) ?? '', options: [...(r.options ?? [])].sort(),
      });
      continue;
    }
    tables.push({
      schema: r.schema,
      name: r.name,
      rls: r.rls,
      columns: cols.rows.filter((c) => c.rel === r.oid).map((c) => ({
        name: c.name, type: c.type, notNull: c.notnull, default: c.def, identity: c.identity, generated: c.generated, collation: c.collation,
      })).sort(byName),
      constraints: cons.rows.filter((c) => c.rel === r.oid).map((c) => ({ name: c.name, type: c.type, definition: c.definition })).sort(byName),
      indexes: idx.rows.filter((i) => i.rel === r.oid).map((i) => ({ name: i.name, definition: i.definition })).sort(byName),
      policies: pols.rows.filter((p) => p.rel === r.oid).map((p) => ({
        name: p.name, permissive: p.permissive, command: p.command, roles: p.roles, using: p.using, withCheck: p.withcheck,
      })).sort(byName),
    });
  }
  return {
    schemas: ns.rows.map((r) => r.nspname),
    tables: tables.sort(byName),
    enums: enums.rows.map((e) => ({ schema: e.schema, name: e.name, labels: e.labels })).sort(byName),
    sequences: seqs.rows.map((s) => ({
      schema: s.schema, name: s.name, type: s.type, start: s.start, increment: s.increment, min: s.min, max: s.max, cache: s.cache,
      cycle: s.cycle, ownedBy: s.owned,
    })).sort(byName),
    views: views.sort(byName),
  };
}
